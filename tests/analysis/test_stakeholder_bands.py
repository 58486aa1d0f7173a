"""The stakeholder Monte Carlo analysis (hand-computed expectations)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hand_models import first_actor, two_actor_scenario, weighted_mean
from parley.analysis.stakeholder_bands import (
    analyse_stakeholders,
    forward_fill_states,
    report_models,
    sample_batch,
)


def test_base_forecast_matches_hand_calculation() -> None:
    sc = two_actor_scenario()
    res = analyse_stakeholders(sc, 50, 1, {"wm": weighted_mean})
    f = res.forecasts.set_index("issue")
    # see two_actor_scenario's docstring: 50,000 km² and (80 + 10) / 1.5 = 60
    assert f.loc["land", "base"] == pytest.approx(50000.0)
    assert f.loc["guarantee", "base"] == pytest.approx(60.0)
    # no ranges stated: every run equals the scenario as written
    assert f.loc["land", "q05"] == pytest.approx(50000.0)
    assert f.loc["land", "q95"] == pytest.approx(50000.0)


def test_uniform_range_quantiles_match_closed_form() -> None:
    # A's land position uniform on [0, 40000]: quantiles 5/50/95 % are 2,000 / 20,000 / 38,000.
    meta = {"stances": {"A": {"land": {"position_range": [0, 40000], "source": "x"}}}}
    res = analyse_stakeholders(two_actor_scenario(meta), 4000, 7, {"first": first_actor})
    f = res.forecasts.set_index("issue")
    # standard error of a sample quantile: sqrt(q(1-q)/n) / density = ~0.0034 * 40000 = 138 km²
    assert f.loc["land", "q05"] == pytest.approx(2000, abs=600)
    assert f.loc["land", "q50"] == pytest.approx(20000, abs=900)
    assert f.loc["land", "q95"] == pytest.approx(38000, abs=600)
    assert f.loc["land", "mean"] == pytest.approx(20000, abs=700)
    assert f.loc["guarantee", "q05"] == pytest.approx(80.0)  # not uncertain


def test_same_seed_same_result_and_paths() -> None:
    meta = {"capabilities": {"B": {"range": [1, 3], "source": "x"}}}
    sc = two_actor_scenario(meta)
    a = analyse_stakeholders(sc, 30, 3, {"wm": weighted_mean})
    b = analyse_stakeholders(sc, 30, 3, {"wm": weighted_mean})
    assert a.forecasts.equals(b.forecasts)
    # weighted_mean returns a 2-state history: state 0 = inputs, state 1 = the outcome
    p = a.paths.set_index(["actor", "issue", "state"])
    assert p.loc[("A", "land", 0), "base"] == 0.0
    assert p.loc[("B", "land", 1), "base"] == pytest.approx(50000.0)


def test_failing_model_is_reported_not_raised() -> None:
    def broken(batch: object, **_: object) -> None:
        raise RuntimeError("boom")

    res = analyse_stakeholders(two_actor_scenario(), 5, 0, {"broken": broken, "wm": weighted_mean})
    assert "boom" in res.failed["broken"]
    assert set(res.forecasts["model"]) == {"wm"}


@settings(max_examples=40, deadline=None)
@given(
    lo=st.floats(0, 50000),
    width=st.floats(0, 50000),
    seed=st.integers(0, 2**32 - 1),
)
def test_samples_stay_inside_ranges(lo: float, width: float, seed: int) -> None:
    hi = lo + width
    base = lo + width / 2
    sc = two_actor_scenario()
    data = sc.model_dump()
    data["actors"][0]["positions"]["land"]["position"] = base
    data["metadata"] = {"stances": {"A": {"land": {"position_range": [lo, hi]}}}}
    from parley.scenario.load import parse_scenario

    batch = sample_batch(parse_scenario(data), 64, np.random.default_rng(seed))
    x = batch.position[:, 0, 0]
    assert batch.position.shape == (64, 2, 2)
    assert np.all((x >= lo) & (x <= hi))
    assert np.all(batch.position[:, 1, 0] == 100000)


def test_forward_fill_states_by_hand() -> None:
    h = np.full((2, 3, 1, 1), np.nan)
    h[0, :, 0, 0] = [1.0, 2.0, np.nan]  # run 0 stopped after state 1
    h[1, :, 0, 0] = [5.0, np.nan, np.nan]  # run 1 stopped after state 0
    out = forward_fill_states(h)
    assert out[0, :, 0, 0].tolist() == [1.0, 2.0, 2.0]
    assert out[1, :, 0, 0].tolist() == [5.0, 5.0, 5.0]


def test_report_models_imports_every_registered_model() -> None:
    import functools

    from parley.negotiation.registry import MODELS, UnknownModelError

    models = report_models()
    assert list(models) == list(MODELS)  # none skipped: each imports or the call fails
    smp = models["smp"]
    assert isinstance(smp, functools.partial) and smp.keywords == {"rescale_salience": True}
    with pytest.raises(UnknownModelError):
        report_models(("no_such_model",))
