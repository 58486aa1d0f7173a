"""The drift rule: hand-computed block means, the empirical-Bayes prior and the local-level sd."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.drift_prior import BLOCK_DAYS, drift_rule, reversion_rate


def test_two_noise_free_blocks_by_hand() -> None:
    # 56 daily changes: 28 of +30 km², then 28 of -10 km², no noise: the differences of
    # consecutive rates are all 0 but one, so s = 1.4826·MAD/√2 = 0 (floored at 1e-9) and the
    # noise variances v_b vanish
    dy = np.array([30.0] * 28 + [-10.0] * 28)
    rule = drift_rule(dy, np.ones(56))
    assert rule.block_means == (30.0, -10.0)
    # tau = sqrt((30² + 10²)/2) = sqrt(500)
    assert math.isclose(rule.prior_sd, math.sqrt(500.0))
    # q² = (-10 - 30)² / ((2/3)·28) = 1600/18.667 = 85.714
    assert math.isclose(rule.innovation_sd, math.sqrt(1600.0 / (2 / 3 * 28)))


def test_a_break_through_day_is_winsorised() -> None:
    rng = np.random.default_rng(3)
    dy = rng.normal(0.0, 30.0, 56)
    calm = drift_rule(dy, np.ones(56))
    dy[40] = -8000.0  # one Kharkiv day
    jumped = drift_rule(dy, np.ones(56))
    # the day is clipped to the block median ± 4 robust sds (s about 30): it moves the newest
    # block mean by at most (|median| + 4·s + |the day's own change|)/28, i.e. about 6 km²/day,
    # not by 8000/28 = 286 km²/day
    assert abs(jumped.block_means[-1] - calm.block_means[-1]) < (30 + 4 * 40 + 100) / 28


def test_one_short_window_has_no_local_level() -> None:
    rule = drift_rule(np.full(20, 5.0), np.ones(20))
    assert rule.innovation_sd == 0.0
    assert rule.block_means == (5.0,)
    assert rule.prior_sd == 5.0


def test_local_level_sd_is_recovered_from_simulated_series() -> None:
    # a local-level drift with q = 2 km²/day/√day observed with daily noise s = 30 km²/√day:
    # over 40 series of 2 years the rule's q² should average near 4 (method of moments is
    # unbiased for q² up to the winsorisation, which removes less than 0.01 % of normal days)
    rng = np.random.default_rng(7)
    q_true, s_true, days = 2.0, 30.0, 728
    est = []
    for _ in range(40):
        drift = np.cumsum(q_true * rng.standard_normal(days))
        dy = drift + s_true * rng.standard_normal(days)
        est.append(drift_rule(dy, np.ones(days)).innovation_sd ** 2)
    # sd of the mean of 40 estimates is about 0.25 here (26 block differences each)
    assert abs(float(np.mean(est)) - q_true**2) < 1.0, np.mean(est)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(-500, 500, allow_nan=False), min_size=15, max_size=200),
    st.integers(1, 3),
)
def test_rule_outputs_are_finite_and_nonnegative(changes: list[float], g: int) -> None:
    dy = np.asarray(changes)
    rule = drift_rule(dy, np.full(dy.size, float(g)))
    assert math.isfinite(rule.prior_sd) and rule.prior_sd >= 0
    assert math.isfinite(rule.innovation_sd) and rule.innovation_sd >= 0
    assert len(rule.block_means) <= dy.size * g // BLOCK_DAYS + 1


def test_reversion_rate_by_hand() -> None:
    # q = 11.4, τ = 45.6 (the rule on DeepState to 8 November 2022): θ = 129.96/4158.72
    assert reversion_rate(11.4, 45.6) == pytest.approx(0.03125, rel=1e-6)
    assert math.log(2) / reversion_rate(11.4, 45.6) == pytest.approx(22.18, abs=0.01)  # days
    assert reversion_rate(0.0, 45.6) == 0.0  # a drift that did not move is held
    assert reversion_rate(100.0, 1.0) == 1.0  # capped at one per day
