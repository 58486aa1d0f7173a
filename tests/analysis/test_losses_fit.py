"""The weekly-losses fit: recovery of known parameters, and its input checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from parley.analysis.losses_fit import fit_weekly_losses, weekly_table
from parley.scenario.errors import ScenarioError


def test_recovers_known_negative_binomial_parameters() -> None:
    rng = np.random.default_rng(5)
    weeks = 400
    intensity = rng.exponential(2.0, weeks)
    years = np.arange(weeks) * 7 / 365.25
    b0, b1, b2, alpha = math.log(1500.0), 0.08, 0.3, 0.05
    mu = np.exp(b0 + b1 * intensity + b2 * years)
    r = 1 / alpha  # numpy's negative_binomial(n, p) has mean n(1-p)/p: p = r/(r + mu)
    y = rng.negative_binomial(r, r / (r + mu)).astype(float)
    frame = pd.DataFrame(
        {"losses": y, "intensity": intensity, "years": years},
        index=pd.date_range("2030-01-01", periods=weeks, freq="7D"),
    )
    fit = fit_weekly_losses(frame)
    for name, truth in (("beta0", b0), ("beta_intensity", b1), ("beta_trend_per_year", b2),
                        ("alpha", alpha)):  # fmt: skip
        est, se = fit.estimate[name], fit.stderr[name]
        assert se > 0 and abs(est - truth) < 4 * se, (name, est, se, truth)
    # 400 weeks pin α to about ±15 %: a standard error inflated tenfold would not pass this
    assert fit.stderr["alpha"] < 0.2 * alpha


def test_weekly_table_differences_cumulative_losses_and_area() -> None:
    days = pd.date_range("2030-01-01", periods=71)
    cumulative = pd.Series(np.arange(71) * 10.0, index=days)  # 70 a week
    area = pd.Series(np.where(np.arange(71) < 35, 1000.0, 3000.0), index=days)
    frame = weekly_table(cumulative, area)
    assert (frame["losses"] == 70.0).all() and len(frame) == 10
    # the one week containing day 35 moved the front by 2,000 km²: intensity 2.0
    assert sorted(frame["intensity"].round(6).tolist()) == [0.0] * 9 + [2.0]


def test_too_few_weeks_or_falling_totals_are_scenario_errors() -> None:
    days = pd.date_range("2030-01-01", periods=30)
    with pytest.raises(ScenarioError, match="at least 8 weeks"):
        weekly_table(pd.Series(np.arange(30.0), index=days), pd.Series(1.0, index=days))
    days = pd.date_range("2030-01-01", periods=100)
    falling = pd.Series(-np.arange(100.0), index=days)
    with pytest.raises(ScenarioError, match="decrease"):
        weekly_table(falling, pd.Series(1.0, index=days))
