"""Scores against closed forms: the interval score, the WIS and the CRPS of a normal forecast."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from parley.analysis.scoring import WIS_ALPHAS, score_normal, score_samples


def _crps_normal_closed_form(y: float, mu: float, sd: float) -> float:
    # Gneiting & Raftery (2007), eq. (5): sd * (z(2Φ(z) - 1) + 2φ(z) - 1/√π), z = (y - mu)/sd
    z = (y - mu) / sd
    return sd * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi))


def _wis_by_hand(y: float, mu: float, sd: float) -> float:
    # Bracher et al. (2021), eq. (3): (|y - m|/2 + Σ_k α_k/2 · IS_αk) / (K + 1/2),
    # IS_α = (u - l) + 2/α·(l - y)⁺ + 2/α·(y - u)⁺ with l, u the α/2 and 1 - α/2 quantiles
    total = 0.5 * abs(y - mu)
    for a in WIS_ALPHAS:
        lo, up = mu + sd * stats.norm.ppf(a / 2), mu + sd * stats.norm.ppf(1 - a / 2)
        interval = (up - lo) + 2 / a * max(lo - y, 0) + 2 / a * max(y - up, 0)
        total += a / 2 * interval
    return total / (len(WIS_ALPHAS) + 0.5)


@given(
    y=st.floats(-50, 50),
    mu=st.floats(-10, 10),
    sd=st.floats(0.1, 20),
)
@settings(max_examples=60, deadline=None)
def test_normal_scores_match_closed_forms(y: float, mu: float, sd: float) -> None:
    s = score_normal(y, mu, sd)
    assert s["crps"] == pytest.approx(_crps_normal_closed_form(y, mu, sd), rel=1e-9, abs=1e-12)
    assert s["wis"] == pytest.approx(_wis_by_hand(y, mu, sd), rel=1e-9, abs=1e-12)
    assert s["pit"] == pytest.approx(stats.norm.cdf(y, mu, sd))
    assert s["bias"] == pytest.approx(mu - y)


def test_coverage_flags_by_hand() -> None:
    # N(0, 1): the central 50 % interval is ±0.674, the 80 % ±1.282, the 90 % ±1.645
    for y, flags in ((0.5, (1, 1, 1)), (1.0, (0, 1, 1)), (1.5, (0, 0, 1)), (-2.0, (0, 0, 0))):
        s = score_normal(y, 0.0, 1.0)
        assert (s["cover50"], s["cover80"], s["cover90"]) == flags


def test_a_large_ensemble_scores_like_its_normal_law() -> None:
    # the ensemble estimators converge to the closed forms (CRPS error O(1/√n))
    x = np.random.default_rng(3).normal(2.0, 3.0, 200_000)
    for y in (-4.0, 2.5, 9.0):
        ens, exact = score_samples(y, x), score_normal(y, 2.0, 3.0)
        assert ens["crps"] == pytest.approx(exact["crps"], rel=0.01)
        assert ens["wis"] == pytest.approx(exact["wis"], rel=0.01)
        assert ens["pit"] == pytest.approx(exact["pit"], abs=0.005)


def test_wis_approaches_crps_for_a_normal() -> None:
    # with many intervals the WIS approximates the CRPS (Bracher et al. 2021, §2.2); with the
    # 11 intervals used here the two agree to within 10 % near the centre of the law
    s = score_normal(0.3, 0.0, 1.0)
    assert s["wis"] == pytest.approx(s["crps"], rel=0.1)
