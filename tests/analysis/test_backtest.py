"""The rolling-origin backtest: no look-ahead, and calibration of the method on simulated data."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from parley.analysis import backtest as bt
from parley.scenario.errors import ScenarioError
from parley.war.front import FrontParams, front_step

TRUE = FrontParams(
    drift_positional=3.0,
    sigma_positional=30.0,
    drift_offensive=50.0,
    sigma_offensive=120.0,
    jump_rate_offensive=0.2,
    jump_size_mean=2500.0,
    jump_size_sd=1000.0,
    p_offensive_A=1 / 150,
    p_offensive_B=1 / 150,
    p_culminate=1 / 14,
    p_recover=1 / 60,
)
START = date(2030, 1, 1)


def _paths(n_series: int, days: int, seed: int, q: float = 0.0) -> np.ndarray:
    """``n_series`` independent daily paths of the true process, shape (days, n_series); with
    ``q > 0`` the drift also moves as a random walk with daily sd ``q`` (a local level)."""
    rng = np.random.default_rng(seed)
    area = np.full(n_series, 100_000.0)
    regime = rng.choice([0, 2, 3, 4], size=n_series, p=[0.7, 0.05, 0.05, 0.2])
    delta = np.zeros(n_series)
    out = [area]
    for _ in range(days - 1):
        area, regime = front_step(area, regime, 0.0, TRUE, 1.0, rng)
        delta = delta + q * rng.standard_normal(n_series)
        area = area + delta
        out.append(area)
    return np.array(out)


def _series(values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=pd.date_range(START, periods=values.size))


def test_no_data_after_the_origin_reaches_the_forecast() -> None:
    s = _series(_paths(1, 150, seed=1)[:, 0])
    origin = START + timedelta(days=110)
    base = bt.forecast_origin(s, origin, 28, runs=300, seed=4)
    # change every value after the origin (and drop some days): the forecast must not move,
    # only the scores (which compare it with those values) may
    future = s.index > pd.Timestamp(origin)
    poisoned = s.copy()
    poisoned[future] = poisoned[future] + 50_000.0
    poisoned.iloc[-5:-2] = np.nan
    other = bt.forecast_origin(poisoned, origin, 28, runs=300, seed=4)
    pd.testing.assert_frame_equal(base.fan, other.fan)
    assert base.params.to_dict() == other.params.to_dict()
    assert base.params.metadata["fitted_until"] <= str(origin)
    # the positional-drift prior and the local-level sd are set from data up to the origin only
    for key in ("drift_prior_sd", "drift_innovation_sd"):
        assert base.params.metadata[key] == other.params.metadata[key], key
    assert base.params.drift_reversion == other.params.drift_reversion
    assert not np.allclose(base.scores["wis"], other.scores["wis"])


def test_engine_forecast_acts_and_sees_no_data_after_the_origin() -> None:
    # --policy/--assumptions: the fitted front runs inside the war engine of the flagship
    # scenario. The forecast must not move when the data after the origin change, and it is not
    # the front-only forecast (the engine's own streams, settlements and collapses).
    from pathlib import Path  # noqa: PLC0415

    from parley.analysis.engine_forecast import EngineSpec  # noqa: PLC0415
    from parley.scenario.load import load_scenario  # noqa: PLC0415

    flagship = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"
    spec = EngineSpec(load_scenario(flagship), "negotiate_now_no_preconditions", "baseline")
    s = _series(_paths(1, 150, seed=1)[:, 0])
    origin = START + timedelta(days=110)
    kw = {"runs": 200, "seed": 4, "area_max": 135_787.0}
    base = bt.forecast_origin(s, origin, 28, engine=spec, **kw)
    poisoned = s.copy()
    poisoned[s.index > pd.Timestamp(origin)] += 50_000.0
    other = bt.forecast_origin(poisoned, origin, 28, engine=spec, **kw)
    pd.testing.assert_frame_equal(base.fan, other.fan)
    front_only = bt.forecast_origin(s, origin, 28, **kw)
    assert list(base.scores["horizon_days"].unique()) == [7, 14, 21, 28]
    fan = base.fan[base.fan["model"] == bt.MODEL]
    assert len(fan) == 4  # one row per weekly engine step
    assert not np.allclose(
        fan["q50"].to_numpy(),
        front_only.fan[front_only.fan["model"] == bt.MODEL]["q50"].to_numpy()[6::7],
    )


def test_engine_forecast_averages_windows_without_look_ahead() -> None:
    # the window mixture through the engine: weights set before the origin, each window's fit
    # driving its share of the engine's runs; the data after the origin still cannot move it
    from pathlib import Path  # noqa: PLC0415

    from parley.analysis.engine_forecast import EngineSpec  # noqa: PLC0415
    from parley.scenario.load import load_scenario  # noqa: PLC0415

    flagship = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"
    spec = EngineSpec(load_scenario(flagship), "negotiate_now_no_preconditions", "baseline")
    s = _series(_paths(1, 150, seed=1)[:, 0])
    origin = START + timedelta(days=110)
    kw = {"runs": 200, "seed": 4, "area_max": 135_787.0, "windows": (40, 70, 110)}
    base = bt.forecast_origin(s, origin, 14, engine=spec, **kw)  # type: ignore[arg-type]
    front_only = bt.forecast_origin(s, origin, 14, **kw)  # type: ignore[arg-type]
    assert len(base.weights) >= 2 and base.weights == front_only.weights
    poisoned = s.copy()
    poisoned[s.index > pd.Timestamp(origin)] += 50_000.0
    other = bt.forecast_origin(poisoned, origin, 14, engine=spec, **kw)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(base.fan, other.fan)
    assert list(base.scores["horizon_days"].unique()) == [7, 14]


def test_bad_origins_are_scenario_errors() -> None:
    s = _series(_paths(1, 100, seed=2)[:, 0])
    for origin, words in (
        (START - timedelta(days=1), "outside the data"),
        (START + timedelta(days=120), "outside the data"),
        (START + timedelta(days=97), "no observation 7 or more days later"),
        (START + timedelta(days=10), "at least 20"),
    ):
        with pytest.raises(ScenarioError, match=words):
            bt.forecast_origin(s, origin, 28, runs=100)
    with pytest.raises(ScenarioError, match="increasing order"):
        bt.forecast_origin(s.iloc[::-1], START + timedelta(days=50), 28, runs=100)


@pytest.mark.slow
def test_method_is_calibrated_on_data_from_known_parameters() -> None:
    # Calibration of the method itself: 16 series simulated from TRUE with a local-level drift
    # (daily sd q = 1 km²/day/√day), each fitted on its first 240 days by the backtest's own
    # pipeline (drift rule, posterior, reverting-drift forecast) and forecast 8 weeks ahead. Over the
    # 128 scored (series, horizon) pairs the central intervals should cover near their nominal
    # levels. The eight horizons of one series are strongly correlated (about 16 independent
    # draws), so the tolerance is about two binomial sds of 16 draws: 90 % intervals covering
    # 0.75-1.0, 80 % intervals 0.6-0.95, 50 % intervals 0.3-0.8 — and the forecast must beat the
    # random walk fitted to the same window (mean WIS below rw's), so the coverage does not come
    # from intervals merely made wide.
    paths = _paths(16, 300, seed=11, q=1.0)
    origin = START + timedelta(days=240)
    rows = []
    for j in range(paths.shape[1]):
        res = bt.forecast_origin(_series(paths[:, j]), origin, 56, runs=1000, seed=j)
        rows.append(res.scores)
    assert_calibrated(pd.concat(rows))


def assert_calibrated(scores: pd.DataFrame) -> None:
    """The tolerance of the calibration-of-method tests (16 series x 8 weekly horizons)."""
    front = scores[scores["model"] == bt.MODEL]
    assert len(front) == 16 * 8
    assert 0.75 <= front["cover90"].mean() <= 1.0, front["cover90"].mean()
    assert 0.6 <= front["cover80"].mean() <= 0.95, front["cover80"].mean()
    assert 0.3 <= front["cover50"].mean() <= 0.8, front["cover50"].mean()
    assert 0.3 <= front["pit"].mean() <= 0.7
    rw = scores[scores["model"] == "rw"]
    assert front["wis"].mean() < rw["wis"].mean()


def test_summary_ratios_are_relative_to_the_random_walk() -> None:
    scores = pd.DataFrame(
        {
            "origin": [date(2022, 6, 1)] * 4,
            "horizon_days": [7, 7, 7, 7],
            "model": ["front", "rw", "rw_robust", "climatology"],
            "wis": [1.0, 2.0, 4.0, 3.0],
            "crps": [1.0, 1.0, 2.0, 2.0],
            "cover50": [1.0, 0.0, 0.0, 0.0],
            "cover80": [1.0, 1.0, 0.0, 0.0],
            "cover90": [1.0, 1.0, 1.0, 0.0],
            "bias": [10.0, -5.0, 0.0, 2.0],
            "pit": [0.5, 0.5, 0.5, 0.5],
        }
    )
    summary = bt.summary_table(scores).set_index("model")
    assert summary.loc["front", "wis_ratio_rw"] == 0.5
    assert summary.loc["rw_robust", "wis_ratio_rw"] == 2.0
    assert summary.loc["climatology", "crps_ratio_rw"] == 2.0
    assert summary.loc["front", "median_bias_1-4 wk"] == 10.0
