"""The war analysis of the flagship scenario at a tiny size.

Expected values are recomputed here from the per-run rows with formulas written out in the test
(Wilson 1927 score interval, sample means), never read back from the tables under test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from war_runs import wilson

from parley.analysis.war_analysis import WarAnalysis, WarSizes, analyse_war
from parley.scenario.load import parse_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"
MONTH = 365.25 / 12
#: The flagship's assumption sets (metadata.report.combos), baseline first.
SETS = ["baseline", "advocates", "critics", "advocates_but_battlefield_wrong",
        "advocates_but_reciprocity_wrong", "advocates_but_western_wrong"]  # fmt: skip


@pytest.fixture(scope="module")
def war(flagship_war: WarAnalysis) -> WarAnalysis:
    """The flagship at 8 runs per cell (the session fixture of tests/conftest.py)."""
    return flagship_war


def test_grid_of_cells(war: WarAnalysis) -> None:
    assert list(dict.fromkeys(war.cells.assumptions)) == SETS
    assert war.cells.policy.nunique() == 4
    # 6 sets x 4 policies x 8 runs
    assert len(war.runs) == 192
    assert (war.runs.groupby(["assumptions", "policy"]).size() == 8).all()


def test_settlement_probability_and_interval_equal_the_runs(war: WarAnalysis) -> None:
    for (aset, pol), d in war.runs.groupby(["assumptions", "policy"]):
        months = (d["settle_step"].to_numpy(dtype=float) + 1) * 7 / MONTH
        for m in (6, 12, 24):
            k = int(np.sum(np.nan_to_num(months, nan=np.inf) <= m))
            lo, hi = wilson(k, len(d))
            row = war.cells[(war.cells.assumptions == aset) & (war.cells.policy == pol)
                            & (war.cells.measure == f"p_settle_{m}m")].iloc[0]  # fmt: skip
            assert row.estimate == pytest.approx(k / len(d))
            assert (row.lo, row.hi) == pytest.approx((lo, hi))


def test_means_equal_the_runs(war: WarAnalysis) -> None:
    for (aset, pol), d in war.runs.groupby(["assumptions", "policy"]):
        settled = d["settled"].to_numpy(dtype=bool)

        def est(measure: str, a: str = aset, p: str = pol) -> float:
            return war.estimate(a, p, measure)

        assert est("territory_after_km2") == pytest.approx(d["territory_after_km2"].mean())
        total = d["casualties.RUS"].to_numpy() + d["casualties.UKR"].to_numpy()
        assert est("casualties_total") == pytest.approx(total.mean())
        if settled.any():
            assert est("terms.territory") == pytest.approx(d["terms.territory"][settled].mean())
            held = d["held_5y"].to_numpy(dtype=float)[settled]
            if np.isfinite(held).any():
                assert est("p_held_5y") == pytest.approx(np.nanmean(held))


def test_settlement_curve_is_monotone_and_matches_the_table(war: WarAnalysis) -> None:
    for (aset, pol), d in war.settlement_curve.groupby(["assumptions", "policy"]):
        p = d.sort_values("month")["p"].to_numpy()
        assert np.all(np.diff(p) >= 0)
        at12 = float(d[d.month == 12].p.iloc[0])
        assert at12 == pytest.approx(war.estimate(aset, pol, "p_settle_12m"))


def test_territory_after_is_the_settled_line_or_the_front(war: WarAnalysis) -> None:
    r = war.runs
    settled = r["settled"].astype(bool)
    assert np.allclose(r.loc[settled, "territory_after_km2"], r.loc[settled, "terms.territory"])
    assert np.allclose(r.loc[~settled, "territory_after_km2"], r.loc[~settled, "final_area_km2"])


def test_conclusion_by_set_equals_the_paired_runs(war: WarAnalysis) -> None:
    c = war.conclusion
    assert (c.policy_a, c.policy_b) == ("push_now_border_on_table", "support_then_negotiate")
    for aset, d in war.runs.groupby("assumptions"):
        a = d[d.policy == c.policy_a].set_index(["point", "replicate"])["territory_after_km2"]
        b = d[d.policy == c.policy_b].set_index(["point", "replicate"])["territory_after_km2"]
        diff = (a - b.reindex(a.index)).to_numpy()
        row = war.conclusion_by_set.set_index("assumptions").loc[aset]
        assert row.share == pytest.approx(np.mean(diff <= 0))
        assert row.difference == pytest.approx(diff.mean())


def test_front_observed_and_fan(war: WarAnalysis) -> None:
    obs = war.front_observed
    assert list(obs.columns) == ["date", "km2"]
    assert obs["date"].iloc[-1] <= "2022-11-08"
    assert obs["km2"].iloc[-1] == pytest.approx(113286.1, abs=1)  # DeepState, 8 November 2022
    assert war.front_observed_source.startswith("DeepState")
    fan = war.front_fan
    assert set(fan.assumptions) == set(SETS)
    assert (fan.q05 <= fan.q50).all() and (fan.q50 <= fan.q95).all()


def test_drivers_at_the_tiny_size(war: WarAnalysis) -> None:
    # 40 PRIM points; 4 Sobol' base samples are too few for the indices to be quoted
    assert war.prim_stats["n_points"] == 40
    assert 0.0 <= war.prim_stats["share_overall"] <= 1.0
    assert not war.tornado.empty
    assert not war.sobol_stable
    assert list(war.assumption_sets["assumptions"]) == SETS


def test_sizes_grow_with_the_runs() -> None:
    # Sobol' base samples: 2 ** clip(floor(log2(max(n / 4, 4))), 2, 7)
    assert WarSizes.for_runs(8).sobol_n == 4
    assert WarSizes.for_runs(200).sobol_n == 32  # log2(50) = 5.6
    assert WarSizes.for_runs(10_000).sobol_n == 128
    assert WarSizes.for_runs(200).prim_points == 200 and WarSizes.for_runs(8).prim_points == 50


def test_war_without_policies_is_skipped_with_a_note() -> None:
    data = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    del data["experiment"]
    data["metadata"].pop("report")
    result, notes = analyse_war(parse_scenario(data, "x.yaml"), 4, np.random.SeedSequence(0))
    assert result is None
    assert notes == ["The war comparison needs at least two policies under experiment.policies."]
