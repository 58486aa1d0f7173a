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


def _subset(n_proposals: int) -> list:
    from parley.analysis.validation import scoreable

    issues = scoreable(load_shipped_deu())
    keep = sorted({s.metadata["proposal"] for s in issues})[:n_proposals]
    return [s for s in issues if s.metadata["proposal"] in keep]


def test_proposal_scenarios_merge_issues_of_one_proposal() -> None:
    from parley.analysis.validation import proposal_scenarios

    issues = _subset(8)
    merged, where = proposal_scenarios(issues)
    assert len(merged) == 8
    for s, (b, col) in zip(issues, where, strict=True):
        m = merged[b]
        assert m.id == s.metadata["proposal"] and m.issues[col].id == s.issues[0].id
        for a in s.actors:
            assert m.actor(a.id).capability == a.capability
            assert m.actor(a.id).positions[s.issues[0].id] == a.positions[s.issues[0].id]


def test_iterative_models_on_a_subset() -> None:
    from parley.analysis.validation import ITERATIVE_FORECASTERS, proposal_groups
    from parley.scenario.arrays import stakeholder_batch

    issues = _subset(12)
    df = validate(issues, ["eum", "smp", "exchange", "compromise"], n_boot=100)
    assert set(df["n"]) == {len(issues)}
    assert ((df["mae_lo"] <= df["mae"]) & (df["mae"] <= df["mae_hi"])).all()
    # A proposal with a single issue offers no exchange (trades need two issues), so the exchange
    # forecast there is Decide's NBS, the capability x salience weighted mean = compromise model.
    batch = stakeholder_batch(issues)
    groups = proposal_groups(issues)
    ex = ITERATIVE_FORECASTERS["exchange"](issues, batch, groups)
    from parley.negotiation.registry import run_model

    comp = run_model("compromise", batch).outcome[:, 0]
    single = np.bincount(groups)[groups] == 1
    assert single.any() and (~single).any()
    np.testing.assert_allclose(ex[single], comp[single], atol=1e-9)
    assert np.abs(ex[~single] - comp[~single]).max() > 0.1  # trades moved some outcomes


@pytest.mark.slow
def test_eum_on_all_deu_issues() -> None:
    df = validate(load_shipped_deu(), ["eum"], n_boot=200)
    row = df.iloc[0]
    assert row["n"] == 322 and row["mae_lo"] < row["mae"] < row["mae_hi"]


def test_an_issue_the_smp_cannot_run_gets_no_forecast_not_a_failed_file() -> None:
    from parley.analysis.validation import forecast_each_on_failure
    from parley.scenario.prepare import drop_inactive_actors

    # n03327i1 (introduced 23 Dec 2003, EU15 weights): Commission and Parliament at 100, Belgium,
    # France and the Netherlands at 0; KTAB's SMP finds every position equally likely to win
    # and cannot run. The other issue of the pair still gets its forecast.
    shipped = {s.id: s for s in load_shipped_deu()}
    pair = drop_inactive_actors([shipped["n03327i1"], shipped["d00032i1"]])[0]
    out, notes = forecast_each_on_failure("smp", pair, 1, ktab_checks=False)
    assert np.isnan(out[0, 0]) and np.isfinite(out[1, 0])
    assert len(notes) == 1 and notes[0].startswith("n03327i1: no forecast (")
    assert "equally likely" in notes[0]
