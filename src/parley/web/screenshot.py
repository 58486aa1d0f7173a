"""Drive the dashboard in headless Chromium and save screenshots (``docs/dashboard-screenshot.png``,
``docs/img/dashboard-*.png``).

``python -m parley.web.screenshot --tutorial docs/img`` does the tutorial on the flagship (adds an
assumption set and a policy in the forms, runs the war outcomes of four policies under three sets,
100 runs each) and saves the forms, the war panel, the answer with its tables, and the figures.

``python -m parley.web.screenshot docs/dashboard-screenshot.png`` starts the dashboard on a free
loopback port with a temporary results folder and the scenario library of this checkout, opens the
flagship scenario, runs the default stakeholder models, waits for the forecast chart and saves a
screenshot of the page. It needs Playwright's Python package (a ``dev`` dependency) and Debian's
Chromium at ``/usr/bin/chromium``; no browser is downloaded and nothing leaves the machine.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parley.report.browser import CHROMIUM, CHROMIUM_ARGS

#: Launch flags of the dashboard's browser runs: the report's, plus headless and no QUIC, so that
#: Chromium never tries to reach anything but the loopback server.
BROWSER_ARGS = ("--headless", *CHROMIUM_ARGS, "--disable-quic")

#: The scenario the screenshot shows (the flagship, first in ``scenarios/``).
FLAGSHIP = "ukraine-2022-11"


def launch(playwright: Any, executable: Path = CHROMIUM) -> Any:
    """Start Debian's Chromium through Playwright with :data:`BROWSER_ARGS`."""
    return playwright.chromium.launch(executable_path=str(executable), args=list(BROWSER_ARGS))


# --- steps of the tutorial in the page (shared by the browser test and the screenshots) ----------


def open_dashboard(page: Any, url: str, scenario_id: str = FLAGSHIP) -> None:
    """Open the dashboard and load the scenario whose library key contains ``scenario_id``."""
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    options = page.eval_on_selector_all("#library-select option", "os => os.map((o) => o.value)")
    key = next((o for o in options if scenario_id in o), options[0])
    if page.input_value("#library-select") != key:
        page.select_option("#library-select", key)
        page.click("#load-btn")
    page.wait_for_selector("#war-sets input[name=war-set]", timeout=30_000)


def _fill_rows(page: Any, table: str, rows: dict[str, tuple[str, dict[str, float]]]) -> None:
    """Fill the rows of a form table (``path -> (kind, {field: value})``), adding rows as needed."""
    add = "#set-add-row" if table == "#set-overrides" else "#policy-add-row"
    for k, (path, (kind, fields)) in enumerate(rows.items()):
        if page.locator(f"{table} tr.value-row").count() <= k:
            page.click(add)
        row = page.locator(f"{table} tr.value-row").nth(k)
        row.locator(".row-path").fill(path)
        row.locator(".row-kind").select_option(kind)
        for name, value in fields.items():
            row.locator(f"[data-param={name}]").fill(str(value))


def add_assumption_set(
    page: Any,
    name: str,
    overrides: dict[str, tuple[str, dict[str, float]]],
    combo: str = "",
    groups: list[str] | tuple[str, ...] = (),
) -> None:
    """Fill the assumption-set form (and a combination of it with other sets) and press Save."""
    page.select_option("#set-select", "")
    page.fill("#set-name", name)
    page.fill("#set-description", "Russian commitments are fragile (as the critics hold), but "
              "Russia would settle for the 24 February line (as the advocates hold).")  # fmt: skip
    page.fill("#set-source", "Tutorial assumption (illustrative).")
    _fill_rows(page, "#set-overrides", overrides)
    if combo:
        page.fill("#combo-name", combo)
        for g in groups:
            page.check(f"#combo-groups input[value='{g}']")
    page.click("#set-save")


def add_policy(page: Any, name: str, words: str, levers: dict[str, float]) -> None:
    """Fill the policy form with fixed levers and press Save."""
    page.select_option("#policy-select", "")
    page.fill("#policy-name", name)
    page.fill("#policy-description", f"{words}: talks open later, without a pre-concession.")
    page.fill("#policy-words", words)
    _fill_rows(page, "#policy-levers", {p: ("number", {"value": v}) for p, v in levers.items()})
    page.click("#policy-save")


def choose(page: Any, policies: list[str], sets: list[str]) -> None:
    """Tick exactly these policies and assumption sets in the war panel."""
    for name, wanted in (("war-policy", policies), ("war-set", sets)):
        for box in page.query_selector_all(f"input[name={name}]"):
            box.set_checked(box.get_attribute("value") in wanted)


def run_war_outcomes(page: Any, runs: int, timeout_ms: float = 120_000) -> str:
    """Run the war outcomes with ``runs`` runs per cell; wait for its tables; return the run id."""
    page.fill("#war-n", str(runs))
    page.click("#war-run-btn")
    page.wait_for_function(
        "() => /^run \\S+ queued$/.test(document.getElementById('war-message').textContent)"
    )
    run_id: str = page.inner_text("#war-message").split()[1]
    page.wait_for_selector(f"tr[data-run='{run_id}'][data-status='done']", timeout=timeout_ms)
    page.wait_for_function(
        "(id) => document.getElementById('figures').dataset.run === id"
        " && !document.getElementById('war-results').classList.contains('hidden')",
        arg=run_id,
        timeout=timeout_ms,
    )
    return run_id


@contextmanager
def dashboard_page(
    viewport: dict[str, int], executable: Path = CHROMIUM
) -> Iterator[tuple[Any, str]]:
    """A dashboard on a free loopback port (temporary results folder, this checkout's library)
    and a headless Chromium page: ``with dashboard_page(size) as (page, url):``."""
    from playwright.sync_api import sync_playwright

    from parley.web.app import create_app
    from parley.web.server import serve_in_thread

    with tempfile.TemporaryDirectory(prefix="parley-screenshot-") as tmp:
        app = create_app(Path(tmp) / "results")
        with serve_in_thread(app) as url, sync_playwright() as pw:
            browser = launch(pw, executable)
            try:
                yield browser.new_page(viewport=viewport), url
            finally:
                browser.close()


def take_screenshot(out: Path, scenario_id: str = FLAGSHIP, executable: Path = CHROMIUM) -> Path:
    """Run the flagship scenario in the dashboard and save a screenshot to ``out``."""
    out = Path(out)
    with dashboard_page({"width": 1400, "height": 1500}, executable) as (page, url):
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        options = page.eval_on_selector_all(
            "#library-select option", "os => os.map((o) => o.value)"
        )
        key = next((o for o in options if scenario_id in o), options[0])
        page.select_option("#library-select", key)
        page.click("#load-btn")
        page.wait_for_function(
            "(id) => document.getElementById('scenario-title').textContent.length > 0",
            arg=scenario_id,
        )
        page.fill("#run-label", "as written")
        page.click("#run-btn")
        page.wait_for_selector("#figure-0 .main-svg", timeout=60_000)
        # the forms are long: show the end of the assumptions, the run panel, the runs and the
        # first chart in one window
        page.evaluate(
            "() => { document.getElementById('section-experiment').open = false;"
            " document.getElementById('parameters-panel').scrollIntoView(); }"
        )
        page.wait_for_timeout(500)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=False)
    return out


#: The tutorial's assumption set (docs/tutorial.md, section 3) and a policy added in the form.
TUTORIAL_SET: dict[str, tuple[str, dict[str, float]]] = {
    "war.renege.B.probability": ("uniform", {"low": 0.5, "high": 0.8}),
    "war.settlement.demand_response": ("uniform", {"low": 0.0, "high": 0.5}),
    "war.policy.signal_strength": ("uniform", {"low": 0.0, "high": 1.0}),
    "war.issue_bounds.0.min": ("number", {"value": 43980}),
}
TUTORIAL_POLICIES = ["push_now_border_on_table", "negotiate_now_no_preconditions",
                     "support_then_negotiate", "talk_in_spring"]  # fmt: skip
TUTORIAL_SETS = ["advocates", "critics", "advocates_but_my_reciprocity"]


def take_tutorial_screenshots(
    folder: Path, runs: int = 100, executable: Path = CHROMIUM
) -> list[Path]:
    """Do the tutorial on the flagship in the dashboard; save ``dashboard-*.png`` in ``folder``.

    The assumption-set and policy forms as filled in, the war panel, the answer with the
    comparison and robustness tables, and the first figures of the run (``runs`` per cell).
    """
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    with dashboard_page({"width": 1400, "height": 1100}, executable) as (page, url):
        open_dashboard(page, url)
        groups = ["advocates_battlefield", "advocates_western", "__this__"]
        add_assumption_set(
            page, "my_reciprocity", TUTORIAL_SET, "advocates_but_my_reciprocity", groups
        )
        page.wait_for_function("() => document.getElementById('set-message').textContent")
        add_policy(page, "talk_in_spring", "talk in spring, no concession",
                   {"war.policy.negotiate_from_step": 20, "war.policy.concession": 0})  # fmt: skip
        page.wait_for_function("() => document.getElementById('policy-message').textContent")
        choose(page, TUTORIAL_POLICIES, TUTORIAL_SETS)
        page.fill("#war-n", str(runs))
        for name in ("forms-panel", "war-panel"):
            shots.append(folder / f"dashboard-{name.removesuffix('-panel')}.png")
            page.locator(f"#{name}").screenshot(path=str(shots[-1]))
        run_war_outcomes(page, runs, timeout_ms=600_000)
        page.wait_for_timeout(500)
        # the answer and tables, then the run's first figures
        shots.append(folder / "dashboard-war-results.png")
        page.locator("#war-results").screenshot(path=str(shots[-1]))
        shots.append(folder / "dashboard-war-figures.png")
        clip = page.evaluate(  # page coordinates of the first figures, not all of them
            "() => { const r = document.getElementById('figures').getBoundingClientRect();"
            " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width,"
            " height: Math.min(r.height, 1600)}; }"
        )
        page.screenshot(path=str(shots[-1]), clip=clip, full_page=True)
    return shots


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m parley.web.screenshot OUT.png`` (a forecast of the flagship) or
    ``python -m parley.web.screenshot --tutorial FOLDER`` (the tutorial's screens)."""
    args = sys.argv[1:] if argv is None else argv
    usage = "usage: python -m parley.web.screenshot OUT.png | --tutorial FOLDER"
    if len(args) not in (1, 2) or (len(args) == 2 and args[0] != "--tutorial"):
        print(usage, file=sys.stderr)
        return 2
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    if len(args) == 2:
        for path in take_tutorial_screenshots(Path(args[1])):
            print(path)
        return 0
    print(take_screenshot(Path(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
