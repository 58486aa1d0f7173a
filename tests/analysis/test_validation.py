"""DEU validation: the sanity targets of the issue and the proposal bootstrap."""

from __future__ import annotations

import numpy as np
import pytest

from parley.analysis.validation import bootstrap_mae_ci, validate
from parley.scenario.importers.deu import load_shipped_deu


@pytest.mark.slow
def test_deu_sanity_targets() -> None:
    df = validate(
        load_shipped_deu(),
        ["mean", "compromise_salience", "median_actor", "compromise"],
        n_boot=200,
    )
    got = dict(zip(df["model"], df["mae"], strict=True))
    assert set(df["n"]) == {322}
    # targets on these 322 issues stated in the foundation issue (third-party computations)
    assert got["mean"] == pytest.approx(23.72, abs=0.005)
    assert got["compromise_salience"] == pytest.approx(23.68, abs=0.005)
    assert got["median_actor"] == pytest.approx(28.78, abs=0.005)
    lo, hi = df.loc[df["model"] == "compromise", ["mae_lo", "mae_hi"]].iloc[0]
    assert lo < got["compromise"] < hi


def test_bootstrap_interval_collapses_when_all_groups_are_equal() -> None:
    err = np.full(12, 5.0)
    groups = np.repeat(np.arange(4), 3)
    assert bootstrap_mae_ci(err, groups, n_boot=50) == pytest.approx((5.0, 5.0))


def test_bootstrap_resamples_groups_not_items() -> None:
    # two proposals: one with 1 issue of error 0, one with 99 issues of error 10.
    # Resampling proposals gives MAE 0 (both draws the small one), 10, or 9.9 — never below 9.9
    # unless the small proposal is drawn twice (probability 1/4).
    err = np.concatenate([[0.0], np.full(99, 10.0)])
    groups = np.concatenate([[0], np.ones(99, dtype=np.int64)])
    lo, hi = bootstrap_mae_ci(err, groups, n_boot=4000)
    assert lo == 0.0 and hi == 10.0
