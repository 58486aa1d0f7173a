"""Shared fixtures of the dashboard tests: a tiny library folder and a polling helper."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from parley.web.screenshot import BROWSER_ARGS
from parley.web.server import serve_in_thread

#: Debian's Chromium (CI installs it); browser tests are skipped without it.
CHROMIUM = Path("/usr/bin/chromium")

#: Two actors on one 0-100 issue; see tiny.yaml for the hand calculation of its forecasts.
TINY_YAML = (Path(__file__).parent / "tiny.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def library_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    return folder


def _wait_status(client: Any, run_id: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rec: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if rec["status"] in ("done", "failed", "cancelled"):
            return rec
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish within {timeout} s")


@pytest.fixture()
def wait_status() -> Any:
    """Poll a run until it is final (or fail the test after ``timeout`` seconds)."""
    return _wait_status


@pytest.fixture()
def live_server() -> Any:
    """``with live_server(app) as url:`` runs the app on a free loopback port (uvicorn, a thread)."""
    return serve_in_thread


@contextmanager
def _chromium_page(viewport: dict[str, int]) -> Iterator[tuple[Any, list[str], list[str]]]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (browser tests only)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=list(BROWSER_ARGS))
        try:
            page = browser.new_page(viewport=viewport, accept_downloads=True)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            yield page, errors, requests
        finally:
            browser.close()


@pytest.fixture()
def chromium_page() -> Any:
    """``with chromium_page(viewport) as (page, errors, requests):`` a page in headless Chromium
    that records script errors and every URL it requests."""
    return _chromium_page
