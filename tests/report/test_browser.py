"""The report renders in headless Chromium offline without console errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from hand_models import two_actor_scenario, weighted_mean
from parley.report.browser import CHROMIUM, render
from parley.report.html import write_report
from parley.report.pipeline import analyse

pytestmark = pytest.mark.browser


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_report_renders_without_console_errors(tmp_path: Path) -> None:
    meta = {"capabilities": {"B": {"range": [1, 3], "source": "illustrative assumption"}}}
    a = analyse(two_actor_scenario(meta), 20, 2, models={"compromise": weighted_mean}, war=False)
    out = tmp_path / "report.html"
    write_report(a, out)
    shot = tmp_path / "shot.png"
    result = render(out, screenshot=shot)
    assert result.console_errors == ()
    assert result.page_errors == ()
    assert result.external_requests == ()
    assert result.figure_count == 2
    assert result.plots_drawn == 2
    assert shot.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_flagship_report_with_war_figures_renders(tmp_path: Path) -> None:
    from parley.analysis.war_analysis import WarSizes
    from parley.report.figures import report_figures
    from parley.report.war_figures import WAR_FIGURE_IDS
    from parley.scenario.load import load_scenario

    flagship = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"
    tiny = WarSizes(runs=6, sobol_n=4, sobol_reps=2, oat_reps=2, prim_points=30, prim_reps=2)
    a = analyse(load_scenario(flagship), 4, 3, models={"compromise": weighted_mean}, war_sizes=tiny)
    out = tmp_path / "report.html"
    write_report(a, out)
    result = render(out, screenshot=tmp_path / "shot.png")
    assert result.console_errors == ()
    assert result.page_errors == ()
    assert result.external_requests == ()
    n = len(report_figures(a))
    # the Sobol' figure is drawn only when its indices are stable (not at this tiny size)
    assert n == len(WAR_FIGURE_IDS) + 2 - (0 if a.war.sobol_stable else 1)
    assert result.figure_count == n
    assert result.plots_drawn == n
