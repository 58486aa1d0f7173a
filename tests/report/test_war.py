"""The war part of the report on the flagship scenario, at a tiny size.

Expected values are recomputed here from the per-run rows with formulas written out in the test
(Wilson 1927 score interval, sample means), never read back from the tables under test.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from report_fixtures import weighted_mean

from parley.report.figures import ReportFigure, report_figures
from parley.report.html import render_html, write_figures
from parley.report.pipeline import Analysis, analyse
from parley.report.summary_text import executive_summary
from parley.report.war import WarSizes, dist_range, source_for
from parley.report.war_figures import WAR_FIGURE_IDS
from parley.scenario.load import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"
TINY = WarSizes(runs=8, sobol_n=4, sobol_reps=2, oat_reps=2, prim_points=40, prim_reps=2)
MONTH = 365.25 / 12
#: The flagship's assumption sets (metadata.report.combos) and their names in the report.
SETS = {
    "baseline": "both camps' ranges",
    "advocates": "advocates",
    "critics": "critics",
    "advocates_but_battlefield_wrong": "advocates' case but the critics' battlefield assumption",
    "advocates_but_reciprocity_wrong": "advocates' case but the critics' reciprocity assumption",
    "advocates_but_western_wrong": "advocates' case but the critics' western assumption",
}


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    scenario = load_scenario(FLAGSHIP)
    return analyse(scenario, n_runs=4, seed=7, models={"compromise": weighted_mean}, war_sizes=TINY)


@pytest.fixture(scope="module")
def figures(analysis: Analysis) -> list[ReportFigure]:
    return report_figures(analysis)


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson score interval, z = 1.959964 (written out independently of parley.war.summary)."""
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def test_every_war_figure_present_and_embedded(
    analysis: Analysis, figures: list[ReportFigure]
) -> None:
    figs = figures
    ids = [f.id for f in figs]
    expected = [i for i in WAR_FIGURE_IDS if i != "sobol" or analysis.war.sobol_stable]
    assert ids[: len(expected)] == expected
    assert "stakeholder-forecasts" in ids and "paths-compromise" in ids
    page = render_html(analysis, figs)
    for f in figs:
        assert f'data-figure="{f.id}"' in page
    assert page.count("Plotly.newPlot(") == len(figs)
    # the sections the issue asks for
    for text in ("Comparison table", "Every parameter and its source", "The policies compared",
                 "Each set's assumptions as parameter ranges"):  # fmt: skip
        assert text in page


def test_grid_of_cells(analysis: Analysis) -> None:
    war = analysis.war
    assert list(dict.fromkeys(war.cells.assumptions)) == list(SETS)
    assert war.cells.policy.nunique() == 4
    # 6 sets x 4 policies x 8 runs
    assert len(war.runs) == 192
    assert (war.runs.groupby(["assumptions", "policy"]).size() == 8).all()


def test_settlement_probability_and_interval_equal_the_runs(analysis: Analysis) -> None:
    war = analysis.war
    for (aset, pol), d in war.runs.groupby(["assumptions", "policy"]):
        months = (d["settle_step"].to_numpy(dtype=float) + 1) * 7 / MONTH
        for m in (6, 12, 24):
            k = int(np.sum(np.nan_to_num(months, nan=np.inf) <= m))
            lo, hi = wilson(k, len(d))
            row = war.cells[(war.cells.assumptions == aset) & (war.cells.policy == pol)
                            & (war.cells.measure == f"p_settle_{m}m")].iloc[0]  # fmt: skip
            assert row.estimate == pytest.approx(k / len(d))
            assert (row.lo, row.hi) == pytest.approx((lo, hi))


def test_means_equal_the_runs(analysis: Analysis) -> None:
    war = analysis.war
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


def test_territory_after_is_the_settled_line_or_the_front(analysis: Analysis) -> None:
    r = analysis.war.runs
    settled = r["settled"].astype(bool)
    assert np.allclose(r.loc[settled, "territory_after_km2"], r.loc[settled, "terms.territory"])
    assert np.allclose(r.loc[~settled, "territory_after_km2"], r.loc[~settled, "final_area_km2"])


def test_settlement_curve_is_monotone_and_matches_the_table(analysis: Analysis) -> None:
    war = analysis.war
    for (aset, pol), d in war.settlement_curve.groupby(["assumptions", "policy"]):
        p = d.sort_values("month")["p"].to_numpy()
        assert np.all(np.diff(p) >= 0)
        at12 = float(d[d.month == 12].p.iloc[0])
        assert at12 == pytest.approx(war.estimate(aset, pol, "p_settle_12m"))


def test_observed_front_is_the_shipped_series(analysis: Analysis) -> None:
    obs = analysis.war.front_observed
    assert obs["date"].iloc[-1] <= "2022-11-08"
    # DeepState occupied_total_km2 on 2022-11-08 (the scenario's initial area) and the peak of
    # 29 August 2022, both quoted in scenarios/README.md
    assert obs["km2"].iloc[-1] == pytest.approx(113286.1, abs=1)
    assert obs["km2"].max() == pytest.approx(125201, abs=1)
    fan = analysis.war.front_fan
    assert set(fan.assumptions) == set(SETS)
    assert (fan.q05 <= fan.q50).all() and (fan.q50 <= fan.q95).all()


def test_summary_numbers_equal_the_data(analysis: Analysis) -> None:
    war = analysis.war
    text = "\n".join(executive_summary(analysis))
    assert "6 sets of assumptions" in text and "8 runs per combination" in text
    for aset, d in war.runs.groupby("assumptions"):
        months = np.nan_to_num((d["settle_step"].to_numpy(dtype=float) + 1) * 7 / MONTH, nan=99)
        p12 = d.assign(s=months <= 12).groupby("policy")["s"].mean().sort_values(kind="stable")
        assert f"{100 * p12.iloc[0]:.0f} %" in text
        k = int(d["catastrophe"].astype(bool).sum())
        assert f"Under the {SETS[str(aset)]} assumptions" in text
        assert f"catastrophic escalation happened in {k} of {len(d)} runs" in text
    share = war.prim_stats["share_overall"]
    assert f"it holds in {100 * share:.0f} % of the cases" in text
    if war.sobol_stable:
        top = war.sobol.sort_values("ST", ascending=False).iloc[0]
        assert f"total index {top.ST:.2f}" in text
    else:  # 4 base samples: never quoted
        assert "Sobol' indices: not estimable at this size (4 base samples x 2 runs)" in text
        assert "total index" not in text
    assert "does not say which set of assumptions is right" in text


def test_summary_is_neutral(analysis: Analysis) -> None:
    text = " ".join(executive_summary(analysis)).lower()
    for word in ("should", "must", "recommend", "better policy", "best policy", "wrong"):
        assert word not in text


def test_every_war_parameter_has_a_source(analysis: Analysis) -> None:
    p = analysis.parameters
    war = p[p.parameter.str.startswith("war.")]
    assert len(war) > 100
    missing = war[war.source.fillna("").str.strip() == ""]
    assert missing.empty, missing.parameter.tolist()
    ranged = war.dropna(subset=["low", "high"])
    assert (ranged.low <= ranged.high).all()
    # the assumption sets' ranges are listed as their own rows
    # critics_western: 6 supporters x (3 aid fields + 4 payoff fields), the common shock,
    # Russia's casualty slope
    rows = war[war.parameter.str.endswith("[critics_western]")]
    assert len(rows) == 6 * (3 + 4) + 2
    # each with its own sentence from metadata.assumption_sources, not a generic label
    assert not rows.source.str.contains("reason in experiment.assumptions").any()


def test_static_figures_for_papers(figures: list[ReportFigure], tmp_path: Path) -> None:
    figs = [f for f in figures if f.id in ("prim-box", "outcomes", "tornado")]
    written = write_figures(figs, tmp_path, ("svg",))
    assert sorted(p.name for p in written) == ["outcomes.svg", "prim-box.svg", "tornado.svg"]
    assert all(p.read_text(encoding="utf-8").lstrip().startswith("<?xml") for p in written)


def test_source_lookup_and_ranges() -> None:
    sources = {"war.supporters.*.force_per_bn": "x", "war.support.*.cost_gain": "y"}
    assert source_for("war.supporters.3.force_per_bn", sources) == "x"
    assert source_for("war.support.B.cost_gain", sources) == "y"
    assert source_for("war.support.B.punishment", sources) == ""
    from parley.experiments.distributions import from_spec

    lo, hi, _ = dist_range(from_spec({"dist": "uniform", "low": -5, "high": 12}))
    assert (lo, hi) == (-5, 12)
    # central 95 % of normal(10, 2): 10 -+ 1.959964 * 2
    lo, hi, _ = dist_range(from_spec({"dist": "normal", "mean": 10, "sd": 2}))
    assert (lo, hi) == pytest.approx((10 - 3.919928, 10 + 3.919928), abs=1e-5)


def test_numbers_in_comparison_table_are_the_cells(analysis: Analysis) -> None:
    table = analysis.war.comparison_display()
    row = table[(table.assumptions == "baseline") & (table.policy == "support_then_negotiate")]
    cell = row["P(settlement within 12 months)"].iloc[0]
    p = analysis.war.estimate("baseline", "support_then_negotiate", "p_settle_12m")
    assert re.match(rf"{100 * p:.0f} % \[\d+ %, \d+ %\]", cell)


def test_conclusion_by_set_equals_the_paired_runs(analysis: Analysis) -> None:
    war = analysis.war
    c = war.conclusion
    assert (c.policy_a, c.policy_b) == ("push_now_border_on_table", "support_then_negotiate")
    text = "\n".join(executive_summary(analysis))
    for aset, d in war.runs.groupby("assumptions"):
        a = d[d.policy == c.policy_a].set_index(["point", "replicate"])["territory_after_km2"]
        b = d[d.policy == c.policy_b].set_index(["point", "replicate"])["territory_after_km2"]
        diff = (a - b.reindex(a.index)).to_numpy()
        row = war.conclusion_by_set.set_index("assumptions").loc[aset]
        assert row.share == pytest.approx(np.mean(diff <= 0))
        assert row.difference == pytest.approx(diff.mean())
        assert (
            f"{100 * np.mean(diff <= 0):.0f} % of paired runs under the {SETS[str(aset)]} "
            "assumptions" in text
        )


def test_outcome_bars_are_the_cells(figures: list[ReportFigure], analysis: Analysis) -> None:
    fig = next(f for f in figures if f.id == "outcomes").figure
    war = analysis.war
    # one colour (trace) per policy, named in words; bars over the assumption sets
    name = "push talks now, the border on the table"
    bars = [t for t in fig.data if t.type == "bar" and t.name == name]
    # panels in the order of the cells table; the first panel's bars are one measure per set
    first = bars[0]
    measure = list(dict.fromkeys(war.cells[war.cells.measure.isin(
        ["casualties_total", "territory_after_km2", "population_under_occupation",
         "p_catastrophe", "max_escalation_hazard"])].measure))[0]  # fmt: skip
    key = {v: k for k, v in SETS.items()}
    for aset, y in zip(first.x, first.y, strict=True):
        assert y == pytest.approx(war.estimate(key[aset], "push_now_border_on_table", measure))


def test_war_without_policies_is_skipped_with_a_note() -> None:
    import yaml

    from parley.report.war import analyse_war
    from parley.scenario.load import parse_scenario

    data = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    del data["experiment"]
    data["metadata"].pop("report")
    result, notes = analyse_war(parse_scenario(data, "x.yaml"), 4, np.random.SeedSequence(0))
    assert result is None
    assert notes == ["The war comparison needs at least two policies under experiment.policies."]
