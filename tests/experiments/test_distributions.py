"""Distributions against their closed-form moments (textbook formulas written out below)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.experiments.distributions import Distribution, fixed, from_spec
from parley.experiments.samplers import unit_sample

# Quasi-random uniforms: moments converge much faster than with plain Monte Carlo.
U = unit_sample("sobol", 2**15, 1, 7)[:, 0]

CASES = [
    # spec, mean, variance (closed forms)
    ({"dist": "uniform", "low": 2.0, "high": 5.0}, 3.5, 9.0 / 12.0),
    ({"dist": "normal", "mean": 1.0, "sd": 2.0}, 1.0, 4.0),
    # Half-normal: mean sqrt(2/pi), variance 1 - 2/pi.
    (
        {"dist": "truncnormal", "mean": 0.0, "sd": 1.0, "low": 0.0},
        math.sqrt(2 / math.pi),
        1 - 2 / math.pi,
    ),
    # Lognormal: mean exp(mu + s^2/2), variance (exp(s^2) - 1) exp(2 mu + s^2).
    (
        {"dist": "lognormal", "mu": 0.0, "sigma": 0.5},
        math.exp(0.125),
        (math.exp(0.25) - 1) * math.exp(0.25),
    ),
    # Beta(2, 3): mean a/(a+b) = 0.4, variance ab/((a+b)^2 (a+b+1)) = 6/150; rescaled to [10, 20].
    ({"dist": "beta", "a": 2.0, "b": 3.0, "low": 10.0, "high": 20.0}, 14.0, 100 * 6 / 150),
    # Triangular(0, 1, 4): mean (a+b+c)/3, variance (a²+b²+c²-ab-ac-bc)/18.
    ({"dist": "triangular", "low": 0.0, "mode": 1.0, "high": 4.0}, 5 / 3, 13 / 18),
    # Choice {1, 2, 5} with weights 1:1:2: mean 13/4, E[X^2] = (1+4+50)/4.
    ({"dist": "choice", "values": [1, 2, 5], "weights": [1, 1, 2]}, 3.25, 55 / 4 - 3.25**2),
    # Empirical {1, 2, 3, 4}: each value with probability 1/4.
    ({"dist": "empirical", "samples": [4, 1, 3, 2]}, 2.5, 1.25),
]


@pytest.mark.parametrize(("spec", "mean", "var"), CASES, ids=[c[0]["dist"] for c in CASES])
def test_moments_match_closed_form(spec: dict[str, object], mean: float, var: float) -> None:
    x = from_spec(dict(spec)).ppf(U)
    assert x.mean() == pytest.approx(mean, rel=2e-3, abs=2e-3)
    assert x.var() == pytest.approx(var, rel=1e-2, abs=2e-3)


def test_choice_frequencies() -> None:
    x = from_spec({"dist": "choice", "values": [1, 2, 5], "weights": [1, 1, 2]}).ppf(U)
    assert [np.mean(x == v) for v in (1, 2, 5)] == pytest.approx([0.25, 0.25, 0.5], abs=1e-3)


def test_truncnormal_respects_bounds_and_median() -> None:
    d = from_spec({"dist": "truncnormal", "mean": 0.0, "sd": 1.0, "low": -1.0, "high": 1.0})
    x = d.ppf(U)
    assert x.min() >= -1.0 and x.max() <= 1.0
    assert d.median() == pytest.approx(0.0, abs=1e-12)  # symmetric truncation


def test_fixed_is_a_point_mass() -> None:
    assert np.all(fixed(3.5).ppf(U[:100]) == 3.5)


def test_sobol_endpoints_stay_finite() -> None:
    d = from_spec({"dist": "normal", "mean": 0.0, "sd": 1.0})
    x = d.ppf(np.array([0.0, 1.0]))
    assert np.all(np.isfinite(x)) and x[0] < -5.9 and x[1] > 5.9


bounded = st.sampled_from(
    [
        Distribution("uniform", (("high", 3.0), ("low", -1.0))),
        Distribution("beta", (("a", 1.5), ("b", 2.0), ("high", 1.0), ("low", 0.0))),
        Distribution("triangular", (("high", 2.0), ("low", -1.0), ("mode", 1.5))),
        Distribution("truncnormal", (("high", 2.0), ("low", 1.0), ("mean", 0.0), ("sd", 0.3))),
        Distribution("empirical", (("samples", (3.0, -2.0, 7.0)),)),
    ]
)


@settings(max_examples=60, deadline=None)
@given(dist=bounded, u=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=20))
def test_quantile_is_monotone_and_in_support(dist: Distribution, u: list[float]) -> None:
    uu = np.sort(np.asarray(u))
    x = dist.ppf(uu)
    assert np.all(np.diff(x) >= -1e-12)
    lo = dist.param("low") if dist.kind != "empirical" else -2.0
    hi = dist.param("high") if dist.kind != "empirical" else 7.0
    assert np.all(x >= lo - 1e-9) and np.all(x <= hi + 1e-9)
