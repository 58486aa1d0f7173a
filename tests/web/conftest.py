"""Shared fixtures of the dashboard tests: a tiny library folder and a polling helper."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from parley.web.server import serve_in_thread

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
