"""Shared fixtures of the dashboard tests: a tiny library folder and a polling helper."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve_in_thread(app: FastAPI, timeout: float = 15.0) -> Iterator[str]:
    """Run ``app`` on 127.0.0.1 until the block ends; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


@pytest.fixture()
def live_server() -> Any:
    """``with live_server(app) as url:`` runs the app on a free loopback port (uvicorn, a thread)."""
    return serve_in_thread
