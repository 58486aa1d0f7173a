"""Tests of the maximum-likelihood front calibration (Hamilton filter, Merton jumps)."""

from __future__ import annotations

import math
from datetime import date
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from parley.analysis.calibrate import fit_front, prepare_series, sample_front_params
from parley.analysis.front_backtest import backtest_front, coverage_table, forecast_front
from parley.scenario.errors import ScenarioError
from parley.war.front import FrontParams, front_step

TRUE = FrontParams(
    drift_positional=8.0,
    drift_manoeuvre=-150.0,
    sigma_positional=40.0,
    sigma_manoeuvre=300.0,
    jump_rate_manoeuvre=0.08,
    jump_mean_manoeuvre=-3000.0,
    jump_sd_manoeuvre=700.0,
    p_positional_to_manoeuvre=0.03,
    p_manoeuvre_to_positional=0.12,
    area_min=-1e9,
    area_max=1e9,
)


def _simulated_series(days: int, seed: int, missing: float = 0.1) -> pd.Series:
    rng = np.random.default_rng(seed)
    area = np.array([100_000.0])
    regime = np.array([0])
    values = [area[0]]
    for _ in range(days):
        area, regime = front_step(area, regime, 0.0, TRUE, 1.0, rng)
        values.append(area[0])
    s = pd.Series(values, index=pd.date_range("2030-01-01", periods=days + 1, freq="D"))
    drop = rng.random(s.size) < missing
    drop[0] = drop[-1] = False
    return s.mask(drop)


def _deepstate() -> pd.Series:
    path = resources.files("parley.data") / "ukraine" / "occupied_area_daily_deepstate.csv"
    with resources.as_file(path) as p:
        frame = pd.read_csv(p, parse_dates=["date"]).set_index("date")
    return frame["occupied_total_km2"].where(frame["observed"])


def test_prepare_series_handles_missing_days() -> None:
    s = pd.Series(
        [1.0, 2.0, np.nan, np.nan, 8.0] + list(range(10, 30)),
        index=pd.date_range("2022-06-01", periods=25, freq="D"),
    )
    idx, dy, gap = prepare_series(s, start=None)
    assert dy[:2].tolist() == [1.0, 6.0]  # 2 -> 8 over the two missing days
    assert gap[:2].tolist() == [1.0, 3.0]
    assert len(idx) == 23


def test_prepare_series_rejects_short_or_bad_input() -> None:
    with pytest.raises(ScenarioError, match="at least 20"):
        prepare_series(pd.Series([1.0, 2.0], index=pd.date_range("2022-06-01", periods=2)))
    s = pd.Series(np.arange(30.0), index=["x"] * 30)
    with pytest.raises(ScenarioError):
        prepare_series(s, start=None)


@pytest.mark.slow
def test_recovers_known_parameters_from_a_simulated_series() -> None:
    series = _simulated_series(900, seed=11)
    params, diag = fit_front(series, start=None, min_jump_sd=0.0)
    assert diag.hessian_positive_definite
    for name in (
        "drift_positional",
        "drift_manoeuvre",
        "sigma_positional",
        "sigma_manoeuvre",
        "jump_rate_manoeuvre",
        "jump_mean_manoeuvre",
        "p_positional_to_manoeuvre",
        "p_manoeuvre_to_positional",
    ):
        est, se, true = getattr(params, name), params.stderr[name], getattr(TRUE, name)
        assert math.isfinite(se) and se > 0, name
        assert abs(est - true) < 4 * se, (name, est, se, true)
    # the positional sigma is pinned down tightly by ~700 calm days: within 10 %
    assert params.sigma_positional == pytest.approx(40.0, rel=0.1)


@pytest.mark.slow
def test_deepstate_fit_to_8_november_2022() -> None:
    params, diag = fit_front(_deepstate(), date(2022, 11, 8), series_name="deepstate")
    assert diag.hessian_positive_definite
    assert params.metadata["fitted_from"] == "2022-05-15"
    assert params.metadata["last_date"] == "2022-11-07"  # 8 November is a carried-forward row
    assert params.metadata["last_value"] == 113286.1
    # war-model §5/§10: positional drift between -12 and +12 km²/day
    assert -12.0 <= params.drift_positional <= 12.0
    # Kharkiv shows as two daily drops in the file: 2022-09-10 -3539.5 and 2022-09-11 -3455.2
    # km²; their mean is -3497.4, and the pair sums to -6994.7 (inside §5's 4–9 thousand km²).
    se = params.stderr["jump_mean_manoeuvre"]
    assert abs(params.jump_mean_manoeuvre - (-3497.4)) < 2 * se
    # positional sigma between the calmest months' robust scale (Jul–Aug 2022: 1.4826*MAD of
    # daily changes = 19.5) and the raw sd of daily changes before Kharkiv (15 May–3 Sep: 86.0)
    assert 19.5 < params.sigma_positional < 86.0
    # the manoeuvre regime is far more volatile than the positional one
    assert params.sigma_manoeuvre > 3 * params.sigma_positional


def test_sample_front_params_draws_around_the_estimate() -> None:
    series = _simulated_series(300, seed=3)
    params, _ = fit_front(series, start=None)
    drawn = sample_front_params(params, 4000, np.random.default_rng(0))
    assert np.shape(drawn.drift_positional) == (4000,)
    se = params.stderr["drift_positional"]
    assert abs(np.mean(drawn.drift_positional) - params.drift_positional) < 4 * se / math.sqrt(4000)
    assert np.std(drawn.drift_positional) == pytest.approx(se, rel=0.08)
    assert np.all(np.asarray(drawn.sigma_manoeuvre) > 0)
    # forecast spread of a pure random walk grows like sqrt(h)
    calm = FrontParams(sigma_positional=30.0, area_max=1e9)
    sims = forecast_front(calm, 1e5, [4, 16], 20_000, np.random.default_rng(1))
    ratio = sims[:, 1].std() / sims[:, 0].std()
    assert ratio == pytest.approx(2.0, rel=0.05)


def test_backtest_on_a_simulated_random_walk_is_calibrated() -> None:
    # Data generated by the model itself: 90 % intervals should cover about 90 %.
    rng = np.random.default_rng(5)
    steps = rng.normal(2.0, 40.0, 200)
    series = pd.Series(
        1e5 + np.cumsum(steps), index=pd.date_range("2030-01-01", periods=200, freq="D")
    )
    cut = [date(2030, 3, 1) + pd.Timedelta(days=10 * i) for i in range(8)]
    res = backtest_front(
        series,
        [c.date() if hasattr(c, "date") else c for c in cut],
        horizons_days=(7,),
        runs=2000,
        start=None,
        jump_regimes="none",
    )
    table = coverage_table(res)
    assert len(res) == 8
    assert table.loc[table.horizon == "all", "cover90"].iloc[0] >= 0.6
    # ... and are not simply wide: a Gaussian random walk with sd 40 per day has a 7-day 90 %
    # interval of width 2 x 1.645 x 40 x sqrt(7) = 348 km2 (fitted sigma and drift add a little)
    width = float((res.q95 - res.q05).median())
    assert 0.85 * 348.1 < width < 1.5 * 348.1, width


def testcurved_part_inverse_keeps_identified_directions() -> None:
    from parley.analysis.calibrate import curved_part_inverse

    # information 4 on x, none on y, −1 on z (not a maximum in z): only x keeps variance 1/4
    hess = np.diag([4.0, 0.0, -1.0])
    cov = curved_part_inverse(hess)
    np.testing.assert_allclose(cov, np.diag([0.25, 0.0, 0.0]), atol=1e-12)
    # a positive-definite matrix is inverted exactly
    h = np.array([[2.0, 0.5], [0.5, 1.0]])
    np.testing.assert_allclose(curved_part_inverse(h), np.linalg.inv(h), atol=1e-12)
