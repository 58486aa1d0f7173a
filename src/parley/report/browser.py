"""Render a report in headless Chromium: collect console errors and take a screenshot.

Used by the browser test and to make ``docs/report-screenshot.png``. Needs Playwright's Python
package and a Chromium binary (Debian's ``/usr/bin/chromium``); no browser is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@dataclass(frozen=True)
class RenderResult:
    """What the browser saw: console errors, page errors, and how many plots were drawn."""

    console_errors: tuple[str, ...]
    page_errors: tuple[str, ...]
    plots_drawn: int
    figure_count: int
    external_requests: tuple[str, ...]


def render(
    html_file: Path,
    screenshot: Path | None = None,
    executable: Path = CHROMIUM,
    timeout_ms: int = 60_000,
) -> RenderResult:
    """Open ``html_file`` offline in headless Chromium and report what happened.

    Every request that is not for the file itself is recorded and aborted, so a report that needs the
    network fails visibly.
    """
    from playwright.sync_api import Route, sync_playwright

    console: list[str] = []
    page_errors: list[str] = []
    external: list[str] = []
    url = html_file.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page_errors.append(str(e)))

            def block(route: Route) -> None:
                if route.request.url == url:
                    route.continue_()
                else:
                    external.append(route.request.url)
                    route.abort()

            page.route("**/*", block)
            page.goto(url, wait_until="load", timeout=timeout_ms)
            n_fig = page.locator("figure.report-figure").count()
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_fig}",
                timeout=timeout_ms,
            )
            drawn = page.evaluate("document.querySelectorAll('.js-plotly-plot').length")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return RenderResult(tuple(console), tuple(page_errors), int(drawn), int(n_fig), tuple(external))
