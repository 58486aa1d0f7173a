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


def _paths(n_series: int, days: int, seed: int) -> np.ndarray:
    """``n_series`` independent daily paths of the true process, shape (days, n_series)."""
    rng = np.random.default_rng(seed)
    area = np.full(n_series, 100_000.0)
    regime = rng.choice([0, 2, 3, 4], size=n_series, p=[0.7, 0.05, 0.05, 0.2])
    out = [area]
    for _ in range(days - 1):
        area, regime = front_step(area, regime, 0.0, TRUE, 1.0, rng)
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
    assert not np.allclose(base.scores["wis"], other.scores["wis"])


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
    # Calibration of the method itself: 16 series simulated from TRUE, each fitted on its first
    # 240 days and forecast 8 weeks ahead. Over the 128 scored (series, horizon) pairs the
    # fitted process's central intervals should cover near their nominal levels. The band is
    # wide because the eight horizons of one series are strongly correlated (about 16
    # independent draws): 90 % intervals covering 70-100 % and 50 % intervals 25-80 %.
    paths = _paths(16, 300, seed=11)
    origin = START + timedelta(days=240)
    rows = []
    for j in range(paths.shape[1]):
        res = bt.forecast_origin(_series(paths[:, j]), origin, 56, runs=1000, seed=j)
        rows.append(res.scores)
    scores = pd.concat(rows)
    front = scores[scores["model"] == bt.MODEL]
    assert len(front) == 16 * 8
    assert 0.7 <= front["cover90"].mean() <= 1.0, front["cover90"].mean()
    assert 0.25 <= front["cover50"].mean() <= 0.8, front["cover50"].mean()
    assert 0.3 <= front["pit"].mean() <= 0.7


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
