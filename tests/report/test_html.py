"""The HTML report: every figure present, self-contained (no external scripts or styles)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hand_models import two_actor_scenario, weighted_mean
from parley.report.figures import report_figures
from parley.report.html import render_html, write_report
from parley.report.pipeline import Analysis, analyse


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    meta = {"capabilities": {"B": {"range": [1, 3], "source": "illustrative assumption"}}}
    return analyse(
        two_actor_scenario(meta), n_runs=20, seed=2, models={"compromise": weighted_mean}, war=False
    )


def test_every_figure_present(analysis: Analysis) -> None:
    figs = report_figures(analysis)
    # one forecast figure plus one path figure for the model with a history
    assert [f.id for f in figs] == ["stakeholder-forecasts", "paths-compromise"]
    page = render_html(analysis, figs)
    for f in figs:
        assert f'data-figure="{f.id}"' in page
        assert f'id="fig-{f.id}"' in page
    assert page.count("Plotly.newPlot(") == len(figs)


def test_no_external_scripts_or_styles(analysis: Analysis) -> None:
    page = render_html(analysis)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", page, re.I)
    assert not re.search(r"@import", page)
    assert "cdn.plot.ly/plotly" not in page.split("</script>", 1)[1]
    # plotly.js itself is inlined
    assert len(page) > 1_000_000


def test_summary_and_parameter_table_in_page(analysis: Analysis) -> None:
    page = render_html(analysis)
    # the base forecast 50,000 km² (hand calculation in two_actor_scenario) is in the summary
    assert "the compromise model forecasts 50,000 km²" in page
    # every parameter row is in the table, with its source
    for name in analysis.parameters["parameter"]:
        assert f"<td>{name}</td>" in page
    assert "illustrative assumption" in page


def test_write_report_with_static_figures(analysis: Analysis, tmp_path: Path) -> None:
    written = write_report(analysis, tmp_path / "r.html", tmp_path / "fig")
    assert written[0] == tmp_path / "r.html"
    names = sorted(p.name for p in (tmp_path / "fig").iterdir())
    assert names == [
        "paths-compromise.png",
        "paths-compromise.svg",
        "stakeholder-forecasts.png",
        "stakeholder-forecasts.svg",
    ]
    assert (tmp_path / "fig" / "paths-compromise.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "fig" / "stakeholder-forecasts.svg").read_bytes()[:2000]


def test_meta_line_counts_runs_only_when_there_are_runs(analysis: Analysis) -> None:
    from dataclasses import replace  # noqa: PLC0415

    assert "· 20 runs ·" in render_html(analysis)
    one = replace(analysis, n_runs=1)  # a forecast of the scenario as written, no Monte Carlo
    assert "runs ·" not in render_html(one).split("seed")[0].rsplit("scenario", 1)[-1]
