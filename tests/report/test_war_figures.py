"""The war part of the report on the flagship scenario, at a tiny size: figures, text, tables.

The war analysis is the session fixture of tests/conftest.py (its numbers are tested in
tests/analysis/test_war_analysis.py); here every rendered number is recomputed from its per-run
rows, never read back from the text under test.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hand_models import weighted_mean
from parley.analysis.war_analysis import WarAnalysis
from parley.report.figures import report_figures
from parley.report.formatting import comparison_display
from parley.report.html import render_html, write_figures
from parley.report.pipeline import Analysis, analyse
from parley.report.report_figure import ReportFigure
from parley.report.summary_text import executive_summary
from parley.report.war_figures import WAR_FIGURE_IDS
from parley.scenario.schema import Scenario

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
def analysis(flagship: Scenario, flagship_war: WarAnalysis) -> Analysis:
    """The report's analysis of the flagship: stakeholder part run here, war part shared."""
    stake = analyse(flagship, n_runs=4, seed=7, models={"compromise": weighted_mean}, war=False)
    params = pd.concat([flagship_war.parameters, stake.parameters], ignore_index=True)
    return replace(stake, war=flagship_war, parameters=params)


@pytest.fixture(scope="module")
def figures(analysis: Analysis) -> list[ReportFigure]:
    return report_figures(analysis)


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


def test_static_figures_for_papers(figures: list[ReportFigure], tmp_path: Path) -> None:
    figs = [f for f in figures if f.id in ("prim-box", "outcomes", "tornado")]
    written = write_figures(figs, tmp_path, ("svg",))
    assert sorted(p.name for p in written) == ["outcomes.svg", "prim-box.svg", "tornado.svg"]
    assert all(p.read_text(encoding="utf-8").lstrip().startswith("<?xml") for p in written)


def test_numbers_in_comparison_table_are_the_cells(analysis: Analysis) -> None:
    table = comparison_display(analysis.war)
    row = table[(table.assumptions == "baseline") & (table.policy == "support_then_negotiate")]
    cell = row["P(settlement within 12 months)"].iloc[0]
    p = analysis.war.estimate("baseline", "support_then_negotiate", "p_settle_12m")
    assert re.match(rf"{100 * p:.0f} % \[\d+ %, \d+ %\]", cell)


def test_summary_quotes_the_paired_share_per_set(analysis: Analysis) -> None:
    war = analysis.war
    c = war.conclusion
    text = "\n".join(executive_summary(analysis))
    for aset, d in war.runs.groupby("assumptions"):
        a = d[d.policy == c.policy_a].set_index(["point", "replicate"])["territory_after_km2"]
        b = d[d.policy == c.policy_b].set_index(["point", "replicate"])["territory_after_km2"]
        diff = (a - b.reindex(a.index)).to_numpy()
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
