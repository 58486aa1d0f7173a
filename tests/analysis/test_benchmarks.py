"""Naive benchmarks against hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from parley.analysis.benchmarks import climatology_changes, rw_robust_scale, rw_scale


def _series(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2022-01-01", periods=len(values)))


def test_rw_scale_is_the_root_mean_square_daily_increment_with_gaps() -> None:
    s = _series([0.0, 2.0, np.nan, 0.0, 1.0])  # increments 2 (1 day), -2 (2 days), 1 (1 day)
    # mean(Δ²/g) = (4 + 2 + 1)/3
    assert rw_scale(s) == pytest.approx(math.sqrt(7 / 3))


def test_robust_scale_ignores_a_jump() -> None:
    inc = [-1.0, 0.0, 1.0] * 7 + [-5000.0]
    s = _series(list(np.concatenate([[0.0], np.cumsum(inc)])))
    # 22 increments, median 0; |Δ - 0| sorted: seven 0s, fourteen 1s, 5000 -> MAD 1, scale 1.4826
    assert rw_robust_scale(s) == pytest.approx(1.4826)
    assert rw_scale(s) > 1000


def test_climatology_uses_past_changes_and_scales_a_short_window() -> None:
    s = _series([float(v) for v in range(30)])  # +1 a day
    changes, span = climatology_changes(s, 7)
    assert span == 7 and np.all(changes == 7) and changes.size == 23
    # h = 40 > 30 - 10: the 10 changes over 20 days, scaled by 40/20
    changes, span = climatology_changes(s, 40)
    assert span == 20 and np.all(changes == pytest.approx(40.0)) and changes.size == 10
