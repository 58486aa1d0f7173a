"""Averaging front fits over calibration windows by stacking: the weights, the one-step scores,
the split of the runs, and that no data after the origin set the weights."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from test_backtest import START, TRUE, _paths, _series, assert_calibrated

from parley.analysis import backtest as bt
from parley.analysis import window_stacking as ws
from parley.war.front import REGIMES


def test_stacking_weights_maximise_the_mixture_log_score_hand_cases() -> None:
    # Three points only candidate 1 can explain (density 1 vs 0) and one only candidate 2 can:
    # the objective 3·log w + log(1 − w) is maximal at w = 3/4 (derivative 3/w − 1/(1 − w) = 0).
    zero = math.log(ws.DENSITY_FLOOR)
    lp = np.array([[0.0, zero]] * 3 + [[zero, 0.0]])
    w = ws.stacking_weights(lp)
    assert w == pytest.approx([0.75, 0.25], abs=1e-6)
    # Candidate 1 is never worse and once three times better: log(1) + log(1 + 2w) rises in w,
    # so all weight goes to it.
    lp = np.log(np.array([[1.0, 1.0], [3.0, 1.0]]))
    assert ws.stacking_weights(lp) == pytest.approx([1.0, 0.0], abs=1e-4)


def test_runs_are_split_by_largest_remainders() -> None:
    # 7 runs at weights 0.5/0.3/0.2: 3.5, 2.1, 1.4 -> floors 3, 2, 1 and the one run left goes
    # to the largest remainder (0.5)
    assert ws.allocate_runs([0.5, 0.3, 0.2], 7) == [4, 2, 1]
    assert ws.allocate_runs([1.0], 5) == [5]


def test_one_step_score_of_a_calm_front_is_the_normal_log_density() -> None:
    # No offensive can start and the last day is positional: the predictive law of a g-day change
    # is N(μ g, σ² g) (the positional regime of docs/calibration.md).
    probs = [0.0] * len(REGIMES)
    probs[REGIMES.index("positional")] = 1.0
    params = dataclasses.replace(
        TRUE, p_offensive_A=0.0, p_offensive_B=0.0, metadata={"regime_probs_last": probs}
    )
    dy, gap = np.array([40.0, -20.0, 100.0]), np.array([1.0, 1.0, 4.0])
    got = ws.one_step_log_scores(params, dy, gap)
    want = stats.norm.logpdf(dy, 3.0 * gap, 30.0 * np.sqrt(gap))  # TRUE: μ 3, σ 30
    assert got == pytest.approx(want, rel=1e-9)


def test_candidates_are_the_distinct_windows_cut_at_the_first_day() -> None:
    o, first = date(2022, 9, 1), date(2022, 5, 15)  # 109 days of data
    got = ws.candidate_starts(o, first, (60, 90, 120, 180))
    assert got == [(60, date(2022, 7, 3)), (90, date(2022, 6, 3)), (120, first)]


def test_no_data_after_the_origin_sets_the_weights_or_the_forecast() -> None:
    s = _series(_paths(1, 150, seed=1)[:, 0])
    origin = START + timedelta(days=110)
    kw = {"runs": 300, "seed": 4, "windows": (40, 70, 110)}
    base = bt.forecast_origin(s, origin, 28, **kw)  # type: ignore[arg-type]
    assert len(base.weights) >= 2
    assert sum(v for _, v in base.weights) == pytest.approx(1.0)
    poisoned = s.copy()
    future = s.index > pd.Timestamp(origin)
    poisoned[future] = poisoned[future] + 50_000.0
    poisoned.iloc[-5:-2] = np.nan
    other = bt.forecast_origin(poisoned, origin, 28, **kw)  # type: ignore[arg-type]
    assert other.weights == base.weights
    pd.testing.assert_frame_equal(base.fan, other.fan)
    assert not np.allclose(base.scores["wis"], other.scores["wis"])
    # the check has power: changing the scored block before the origin moves the weights
    block = (s.index > pd.Timestamp(origin - timedelta(days=ws.SCORE_DAYS))) & ~future
    moved = s.copy()
    moved[block] = moved[block] + np.linspace(0.0, 6_000.0, int(block.sum()))
    assert bt.forecast_origin(moved, origin, 28, **kw).weights != base.weights  # type: ignore[arg-type]


def test_one_window_falls_back_to_the_single_window_forecast() -> None:
    s = _series(_paths(1, 150, seed=1)[:, 0])
    origin = START + timedelta(days=110)
    single = bt.forecast_origin(s, origin, 14, runs=200, seed=2, window_days=180)
    # every window cut to the same first day is one candidate: nothing to average
    mixed = bt.forecast_origin(s, origin, 14, runs=200, seed=2, windows=(120, 180))
    assert mixed.weights == ()
    pd.testing.assert_frame_equal(single.fan, mixed.fan)


@pytest.mark.slow
def test_window_mixture_is_calibrated_on_data_from_known_parameters() -> None:
    # Calibration of the method for the mixture, as for the single window
    # (test_backtest.test_method_is_calibrated_on_data_from_known_parameters, same series, same
    # tolerance: about two binomial sds of 16 independent series), with windows of 60 and 180
    # days (240 days of data before the origin: both are candidates).
    paths = _paths(16, 300, seed=11, q=1.0)
    origin = START + timedelta(days=240)
    rows, mixed = [], 0
    for j in range(paths.shape[1]):
        res = bt.forecast_origin(
            _series(paths[:, j]), origin, 56, runs=1000, seed=j, windows=(60, 180)
        )
        rows.append(res.scores)
        mixed += len(res.weights) == 2
    assert mixed >= 1  # at least one series used both windows
    assert_calibrated(pd.concat(rows))


def _log_score(lp: np.ndarray, w: np.ndarray) -> float:
    m = lp.max(axis=1, keepdims=True)
    return float(np.sum(np.log(np.exp(lp - m) @ w) + m[:, 0]))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.integers(1, 5).flatmap(
            lambda k: st.lists(
                st.lists(st.floats(-50, 5), min_size=k, max_size=k), min_size=n, max_size=n
            )
        )
    )
)
def test_stacking_weights_lie_on_the_simplex_and_beat_every_single_candidate(
    rows: list[list[float]],
) -> None:
    lp = np.array(rows)
    w = ws.stacking_weights(lp)
    assert np.all(w >= 0) and w.sum() == pytest.approx(1.0)
    best = _log_score(lp, w)
    k = lp.shape[1]
    for cand in [*np.eye(k), np.full(k, 1.0 / k)]:  # each candidate alone, and equal weights
        assert best >= _log_score(lp, cand) - 1e-6 * max(1.0, abs(best))


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6), st.integers(1, 5000))
def test_run_counts_sum_to_the_runs_and_round_each_share(weights: list[float], runs: int) -> None:
    if sum(weights) <= 0:
        weights = [1.0] * len(weights)
    counts = ws.allocate_runs(weights, runs)
    assert sum(counts) == runs
    share = np.asarray(weights) / sum(weights) * runs
    assert np.all(np.abs(np.asarray(counts) - share) < 1.0)


def test_weights_are_stacked_over_the_blocks_before_the_origin() -> None:
    # Three 28-day blocks: the weights are the stacking weights of the blocks' one-step scores
    # pooled (each block's windows refitted at its own pseudo-origin, origin − 28·j days), and
    # one block gives what the pooled rows of the newest block alone give.
    s = _series(_paths(1, 200, seed=3)[:, 0])
    origin = START + timedelta(days=180)
    windows = (40, 70, 110)
    cands = ws.candidate_starts(origin, START, windows)
    rows = []
    for j in range(3):
        block = ws._block_scores(s, START, cands, origin - timedelta(days=28 * j), {})
        rows.append(np.column_stack([block[w] for w, _ in cands]))
    pooled = ws.stacking_weights(np.vstack(rows))
    three = ws.fit_window_mixture(s, origin, START, windows, score_blocks=3)
    assert three is not None
    kept = pooled >= ws.MIN_WEIGHT
    assert three.weights == pytest.approx(tuple(pooled[kept] / pooled[kept].sum()))
    assert three.log_scores == pytest.approx(tuple(np.vstack(rows).mean(axis=0)[kept]))
    one = ws.fit_window_mixture(s, origin, START, windows, score_blocks=1)
    first = ws.stacking_weights(rows[0])
    assert one is not None
    assert one.weights == pytest.approx(
        tuple(first[first >= ws.MIN_WEIGHT] / first[first >= ws.MIN_WEIGHT].sum())
    )


def test_an_older_block_without_every_window_is_not_used() -> None:
    # 90 days of data before the origin: the third block's pseudo-origin is day 6 (fewer than
    # 20 observed days), so three blocks give the two-block weights; the second block (pseudo-
    # origin day 34) is used, so two blocks differ from one.
    s = _series(_paths(1, 140, seed=5)[:, 0])
    origin = START + timedelta(days=90)
    one, two, three = (
        ws.fit_window_mixture(s, origin, START, (30, 60), score_blocks=k) for k in (1, 2, 3)
    )
    assert one is not None and two is not None and three is not None
    assert three.weights == two.weights and three.log_scores == two.log_scores
    assert two.log_scores != one.log_scores
