"""Reading a window mixture of front fits and drawing it run by run."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis import front_mixture as fm
from parley.scenario.errors import ScenarioError
from parley.scenario.front_params import validate_front_params
from parley.war.front import NUMERIC_FIELDS, REGIMES, FrontParams, initial_regime

END = {"last_date": "2022-11-07", "last_value": 113_286.1}


def _one_hot(regime: str) -> list[float]:
    probs = [0.0] * len(REGIMES)
    probs[REGIMES.index(regime)] = 1.0
    return probs


def _fit(drift: float, regime: str = "positional", **extra: object) -> FrontParams:
    return FrontParams(
        drift_positional=drift,
        sigma_positional=0.0,
        metadata={**END, "regime_probs_last": _one_hot(regime), **extra},
    )


def test_runs_per_component_are_the_largest_remainders_worked_by_hand() -> None:
    # 10 runs at 0.62 / 0.19 / 0.19: 6.2, 1.9, 1.9 -> floors 6, 1, 1 (8 runs); the two runs left
    # go to the two largest remainders (0.9, 0.9): 6, 2, 2
    comps = [(0.62, _fit(-50.0)), (0.19, _fit(10.0)), (0.19, _fit(30.0))]
    drawn = fm.sample_mixture_params(comps, 10, np.random.default_rng(1), False)
    assert list(drawn.drift_positional) == [-50.0] * 6 + [10.0] * 2 + [30.0] * 2
    # a field equal in every component stays one number
    assert drawn.sigma_positional == 0.0 and np.ndim(drawn.kappa) == 0
    # 7 runs at 0.5 / 0.3 / 0.2: 3.5, 2.1, 1.4 -> 3, 2, 1 and the last run to the 0.5: 4, 2, 1
    comps = [(0.5, _fit(-50.0)), (0.3, _fit(10.0)), (0.2, _fit(30.0))]
    drawn = fm.sample_mixture_params(comps, 7, np.random.default_rng(1), False)
    assert list(drawn.drift_positional) == [-50.0] * 4 + [10.0] * 2 + [30.0]
    assert [row[2] for row in drawn.metadata["mixture_runs"]] == [4, 2, 1]


def test_each_run_starts_in_its_own_components_filtered_regime() -> None:
    comps = [(0.75, _fit(-50.0, "positional")), (0.25, _fit(30.0, "culminated"))]
    drawn = fm.sample_mixture_params(comps, 8, np.random.default_rng(2), False)
    assert np.shape(drawn.metadata["regime_probs_last"]) == (8, len(REGIMES))
    start = initial_regime(drawn, 8, np.random.default_rng(3))
    pos, cul = REGIMES.index("positional"), REGIMES.index("culminated")
    assert list(start) == [pos] * 6 + [cul] * 2


def _posterior(theta0: float, sd: float) -> dict[str, object]:
    """A two-regime posterior whose only uncertain number is the positional drift (the fit
    optimises drifts in units of 100 km²/day): drift ~ N(100·theta0, (100·sd)²)."""
    names = [
        "drift_positional", "drift_manoeuvre", "sigma_positional", "sigma_manoeuvre",
        "p_positional_to_manoeuvre", "p_manoeuvre_to_positional",
    ]  # fmt: skip
    cov = np.zeros((6, 6))
    cov[0, 0] = sd**2
    theta = [theta0, 0.0, math.log(0.01), math.log(0.01), -30.0, 0.0]
    return {"theta_names": names, "theta": theta, "theta_cov": cov.tolist()}


def test_each_components_runs_draw_from_its_own_posterior() -> None:
    a = FrontParams(drift_positional=0.0, metadata={**END, **_posterior(0.0, 0.2)})
    b = FrontParams(drift_positional=1000.0, metadata={**END, **_posterior(10.0, 0.01)})
    comps = [(0.6, a), (0.4, b)]
    drawn = fm.sample_mixture_params(comps, 5000, np.random.default_rng(4))
    drift = np.asarray(drawn.drift_positional)
    # A: N(0, 20²) over 3,000 runs; B: N(1000, 1²) over 2,000 runs
    assert abs(drift[:3000].mean()) < 4 * 20 / math.sqrt(3000)
    assert drift[:3000].std() == pytest.approx(20.0, rel=0.05)
    assert drift[3000:].mean() == pytest.approx(1000.0, abs=4 / math.sqrt(2000))
    assert drift[3000:].std() == pytest.approx(1.0, rel=0.05)
    # the posterior is drawn already: a later sample_front_params must not redraw every run
    assert "theta_cov" not in drawn.metadata
    # held at the estimates
    held = fm.sample_mixture_params(comps, 10, np.random.default_rng(4), False)
    assert list(held.drift_positional) == [0.0] * 6 + [1000.0] * 4
    # same seed, same result
    again = fm.sample_mixture_params(comps, 5000, np.random.default_rng(4))
    for name in NUMERIC_FIELDS:
        np.testing.assert_array_equal(getattr(drawn, name), getattr(again, name))


def test_every_numeric_field_is_carried_per_run() -> None:
    # each component differs in every numeric field: every field becomes a (runs,) array
    base = {name: float(getattr(FrontParams(), name)) for name in NUMERIC_FIELDS}
    other = {name: v + 0.25 if math.isfinite(v) else 1e6 for name, v in base.items()}
    comps = [
        (0.5, FrontParams(**base, metadata=dict(END))),
        (0.5, FrontParams(**other, metadata=dict(END))),
    ]
    drawn = fm.sample_mixture_params(comps, 4, np.random.default_rng(0), False)
    for name in NUMERIC_FIELDS:
        assert list(getattr(drawn, name)) == [base[name]] * 2 + [other[name]] * 2, name


def _payload(weights: list[float], last_dates: list[str] | None = None) -> dict[str, object]:
    dates = last_dates or [END["last_date"]] * len(weights)
    mixture = []
    for k, (w, d) in enumerate(zip(weights, dates, strict=True)):
        fit = _fit(10.0 * k, last_date=d).to_dict()
        mixture.append({"window_days": 60 * (k + 1), "first_day": "2022-06-01", "weight": w, **fit})
    top = mixture[int(np.argmax(weights))]
    return {"params": top["params"], "metadata": top["metadata"], "mixture": mixture}


def test_a_payload_round_trips_into_components() -> None:
    payload = validate_front_params(_payload([0.25, 0.75]))
    comps = fm.mixture_components(payload)
    assert [w for w, _ in comps] == [0.25, 0.75]
    assert [fp.drift_positional for _, fp in comps] == [0.0, 10.0]
    assert [fp.metadata["window_days"] for _, fp in comps] == [60, 120]
    assert fm.mixture_components({"params": {}}) == []


@pytest.mark.parametrize(
    "weights,dates,words",
    [
        ([-0.2, 1.2], None, "expected a weight >= 0"),
        ([0.5, 0.2], None, "must sum to 1"),
        ([0.5, 0.5], ["2022-11-07", "2022-11-01"], "same series to the same day"),
    ],
)
def test_bad_mixtures_are_refused(
    weights: list[float], dates: list[str] | None, words: str
) -> None:
    with pytest.raises(ScenarioError, match=words):
        validate_front_params(_payload(weights, dates), "fit.json")
    ends = dates or [str(END["last_date"])] * 2
    comps = [(w, _fit(1.0, last_date=d)) for w, d in zip(weights, ends, strict=True)]
    with pytest.raises(ScenarioError, match=words):
        fm.sample_mixture_params(comps, 10, np.random.default_rng(0))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=5).filter(lambda w: sum(w) > 0),
    st.integers(1, 300),
)
def test_runs_follow_the_weights_whatever_they_are(raw: list[float], runs: int) -> None:
    weights = [w / sum(raw) for w in raw]
    comps = [(w, _fit(float(k))) for k, w in enumerate(weights)]
    drawn = fm.sample_mixture_params(comps, runs, np.random.default_rng(0), False)
    drift = np.broadcast_to(np.asarray(drawn.drift_positional), (runs,))
    counts = [int((drift == k).sum()) for k in range(len(weights))]
    assert sum(counts) == runs
    # largest remainders: every count within one run of its exact share
    assert all(abs(c - w * runs) < 1 for c, w in zip(counts, weights, strict=True))
