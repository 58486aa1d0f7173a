"""End-to-end test of the dashboard in real headless Chromium (Debian's chromium, driven by Playwright).

Load the page, run a forecast, change an assumption, run again, see the chart move to the
hand-computed value, download the report, and see a bad value and a bad upload reported next to
the field without losing what was typed.

Set ``PARLEY_SCREENSHOT=<file.png>`` to also save a screenshot of the dashboard.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from parley.web.app import create_app
from parley.web.screenshot import BROWSER_ARGS

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is absent (CI installs Debian's chromium; apt-get install chromium)",
    ),
]

#: JavaScript: the x values of the trace named ``name`` in the first figure (plotly decodes them).
TRACE_X = """([name]) => {
  const gd = document.getElementById('figure-0');
  const t = gd._fullData.find((d) => d.name === name);
  return Array.from(t.x);
}"""


def _wait_run_done(page: Any, previous: str | None, timeout: float = 30000) -> str:
    """Wait until the figures show a run other than ``previous``; return its id."""
    page.wait_for_function(
        "(prev) => { const f = document.getElementById('figures');"
        " return f && f.dataset.run && f.dataset.run !== prev"
        " && document.getElementById('figure-0'); }",
        arg=previous or "",
        timeout=timeout,
    )
    run_id: str = page.get_attribute("#figures", "data-run")
    return run_id


def test_dashboard_in_chromium(
    tmp_path: Path, library_dir: Path, live_server: Any, chromium_page: Any
) -> None:
    app = create_app(tmp_path / "results", library_folders=[("scenarios", library_dir)])
    viewport = {"width": 1300, "height": 900}
    with live_server(app) as url, chromium_page(viewport) as (page, errors, requests):
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        assert "Tiny dispute" in page.inner_text("#scenario-title")

        # run the compromise model alone on the scenario as written
        for box in page.query_selector_all("input[name=model]"):
            if box.get_attribute("value") == "compromise":
                box.check()
            else:
                box.uncheck()
        page.click("#run-btn")
        first = _wait_run_done(page, None)
        # (1.0*2*0 + 0.5*1*90) / (2 + 0.5) = 18
        assert page.evaluate(TRACE_X, ["compromise"]) == pytest.approx([18.0])

        # change an assumption: actor b's capability 1 -> 8, then run again
        page.fill("[data-path='actors[1].capability']", "8")
        page.press("[data-path='actors[1].capability']", "Tab")
        page.click("#run-btn")
        second = _wait_run_done(page, first)
        assert second != first
        # (1.0*2*0 + 0.5*8*90) / (2 + 4) = 60
        assert page.evaluate(TRACE_X, ["compromise"]) == pytest.approx([60.0])
        assert page.locator(f"tr[data-run='{second}'][data-status='done']").count() == 1

        # download the report of that run
        with page.expect_download() as info:
            page.click("#downloads a.download-report")
        report = Path(info.value.path()).read_text(encoding="utf-8")
        assert "Tiny dispute" in report and "Plotly.newPlot" in report

        # the two runs side by side: one bar per run, 18 % and 60 % of the 0-100 scale
        for rid in (first, second):
            page.check(f"tr[data-run='{rid}'] input.run-select")
        page.click("#compare-btn")
        page.wait_for_selector("#compare-figure .main-svg")
        bars = page.evaluate(
            "() => Object.fromEntries(document.getElementById('compare-figure')._fullData"
            ".map((t) => [t.name, Array.from(t.y)]))"
        )
        assert bars == {
            f"{first}: compromise": pytest.approx([18.0]),
            f"{second}: compromise": pytest.approx([60.0]),
        }

        # the full analysis shows the report's own figures, with their titles
        page.check("input[name=kind][value=analysis]")
        page.fill("#run-n", "20")
        page.click("#run-btn")
        third = _wait_run_done(page, second, timeout=45000)
        assert page.get_attribute("#figure-0", "data-figure") == "stakeholder-forecasts"
        assert page.locator("#figures h3").first.inner_text() == "Stakeholder model forecasts"

        # a long analysis shows live progress and stops on Cancel
        page.fill("#run-n", "5000")
        page.click("#run-btn")
        row = "#runs-table tr[data-status='running']"
        page.wait_for_selector(row, timeout=20000)
        running = page.get_attribute(row, "data-run")
        assert running not in (first, second, third)
        page.wait_for_function(
            "(id) => { const r = document.querySelector(`tr[data-run='${id}']`);"
            " return r && r.querySelector('progress').value > 0; }",
            arg=running,
        )
        page.click(f"tr[data-run='{running}'] .cancel-btn")
        page.wait_for_selector(f"tr[data-run='{running}'][data-status='cancelled']")
        # and a finished run can be deleted from the table
        page.click(f"tr[data-run='{running}'] .delete-btn")
        page.wait_for_selector(f"tr[data-run='{running}']", state="detached")
        page.check("input[name=kind][value=forecast]")

        if os.environ.get("PARLEY_SCREENSHOT"):
            page.screenshot(path=os.environ["PARLEY_SCREENSHOT"], full_page=True)

        # a bad value is shown next to its field and stays in it
        field = "[data-path='actors[0].positions.border.salience']"
        page.fill(field, "1.5")
        page.press(field, "Tab")
        page.click("#check-btn")
        page.wait_for_selector(".field-error")
        cell_text = page.locator(field).locator("xpath=..").inner_text()
        assert "less than or equal to 1" in cell_text
        assert page.input_value(field) == "1.5"
        assert "invalid" in (page.get_attribute(field, "class") or "")

        # a bad upload: the error names the line, the text stays in the editor
        bad = tmp_path / "bad.yaml"
        bad_text = (library_dir / "tiny.yaml").read_text().replace("salience: 0.5", "salience: 7")
        bad.write_text(bad_text, encoding="utf-8")
        page.click("#upload-panel summary")
        page.set_input_files("#upload-file", str(bad))
        page.wait_for_function(
            "() => document.getElementById('upload-error').textContent.length > 0"
        )
        message = page.inner_text("#upload-error")
        assert "actors[1].positions.border.salience" in message and "line 20" in message
        assert page.input_value("#upload-text") == bad_text
        # ... and the offending line is selected in the text box
        selected = page.evaluate(
            "() => { const t = document.getElementById('upload-text');"
            " return t.value.slice(t.selectionStart, t.selectionEnd); }"
        )
        assert selected == bad_text.split("\n")[19]  # line 20
        assert "salience: 7" in selected

        # a scenario whose name is markup: shown as text, never run (the page also forbids
        # inline script through its Content-Security-Policy)
        evil = (
            (library_dir / "tiny.yaml")
            .read_text()
            .replace("name: Tiny dispute", "name: '<img src=x onerror=\"window.pwned=1\">Evil'")
        )
        page.fill("#upload-name", "evil.yaml")
        page.fill("#upload-text", evil)
        page.click("#upload-save")
        page.wait_for_function(
            "() => document.getElementById('scenario-title').textContent.includes('Evil')"
        )
        assert "<img src=x" in page.inner_text("#scenario-title")
        assert page.locator("#scenario-title img").count() == 0
        assert page.evaluate("() => window.pwned") is None

        # the two refused inputs above answer 422; nothing else may fail (a CSP violation
        # or a script error would show here)
        assert [e for e in errors if "status of 422" not in e] == []
        assert all(u.startswith(url) or u.startswith("data:") for u in requests), requests


def test_token_page_in_chromium(tmp_path: Path, library_dir: Path, live_server: Any) -> None:
    """With a token, the address printed by ``parley serve`` opens a working page; without, 401."""
    token = "tok-" + "x" * 28
    app = create_app(tmp_path / "r", token=token, library_folders=[("scenarios", library_dir)])
    with live_server(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=list(BROWSER_ARGS))
        try:
            stranger = browser.new_page()
            response = stranger.goto(url + "/")
            assert response is not None and response.status == 401
            assert "requires a token" in stranger.inner_text("body")
            page = browser.new_page()
            page.goto(f"{url}/?token={token}")
            page.wait_for_selector("body[data-ready='1']", timeout=20000)
            # the page, plotly.js and every API call after it ride on the cookie set by ?token=
            assert "Tiny dispute" in page.inner_text("#scenario-title")
            assert page.evaluate("() => typeof Plotly") == "object"
        finally:
            browser.close()
