"""Soak test: 200 API requests from 8 concurrent clients against a real server on loopback.

Every client starts runs and polls them while listing scenarios and runs; the whole exchange is
bounded in time. No request may fail and every started run must be stored and finish with the
hand-computed forecast.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from parley.web.app import create_app
from parley.web.jobs import WebLimits

CLIENTS = 8
REQUESTS_PER_CLIENT = 25  # 8 x 25 = 200
RUNS_PER_CLIENT = 3
TIME_LIMIT_S = 180.0  # a hang guard, generous for a loaded 2-core machine (typical: 3-5 s)


def _client_session(url: str, key: str, out: dict[str, Any], deadline: float) -> None:
    statuses: list[int] = []
    run_ids: list[str] = []
    with httpx.Client(base_url=url, timeout=20.0) as http:
        for k in range(REQUESTS_PER_CLIENT):
            if time.monotonic() > deadline:
                break
            if k % 8 == 0 and len(run_ids) < RUNS_PER_CLIENT:
                r = http.post("/api/runs", json={"scenario_key": key, "models": ["compromise"]})
                if r.status_code == 202:
                    run_ids.append(r.json()["id"])
            elif k % 3 == 0:
                r = http.get("/api/scenarios")
            elif k % 3 == 1 or not run_ids:
                r = http.get("/api/runs")
            else:
                run_id = run_ids[k % len(run_ids)]
                r = http.get(f"/api/runs/{run_id}")
                if r.status_code == 200 and r.json()["status"] == "done":
                    r = http.get(f"/api/runs/{run_id}/data.csv")
            statuses.append(r.status_code)
    out["statuses"] = statuses
    out["runs"] = run_ids


def test_soak_200_requests_8_clients(tmp_path: Path, library_dir: Path, live_server: Any) -> None:
    limits = WebLimits(max_concurrent_jobs=2, max_queued_jobs=CLIENTS * RUNS_PER_CLIENT)
    app = create_app(tmp_path / "r", limits=limits, library_folders=[("scenarios", library_dir)])
    with live_server(app) as url:
        with httpx.Client(base_url=url) as http:
            key = http.get("/api/scenarios").json()["entries"][0]["key"]
        results: list[dict[str, Any]] = [{} for _ in range(CLIENTS)]
        start = time.monotonic()
        deadline = start + TIME_LIMIT_S
        threads = [
            threading.Thread(target=_client_session, args=(url, key, results[i], deadline))
            for i in range(CLIENTS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIME_LIMIT_S + 5)
        elapsed = time.monotonic() - start
        print(
            f"soak: {CLIENTS} clients, {CLIENTS * REQUESTS_PER_CLIENT} requests in {elapsed:.2f} s"
        )
        assert not any(t.is_alive() for t in threads), "a client hung"
        statuses = [s for r in results for s in r["statuses"]]
        assert len(statuses) == CLIENTS * REQUESTS_PER_CLIENT, (
            f"only {len(statuses)} in {elapsed:.1f} s"
        )
        bad = [s for s in statuses if not 200 <= s < 300]
        assert bad == [], f"failed requests: {bad}"
        started = {rid for r in results for rid in r["runs"]}
        assert len(started) == CLIENTS * RUNS_PER_CLIENT
        # no lost runs: every started run is stored and finishes with the hand-computed forecast
        runs: dict[str, Any] = {}
        with httpx.Client(base_url=url) as http:
            while True:
                runs = {r["id"]: r for r in http.get("/api/runs").json()["runs"]}
                finished = all(runs.get(i, {}).get("status") == "done" for i in started)
                if finished or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        assert started <= set(runs), f"runs not stored: {started - set(runs)}"
        for rid in started:
            assert runs[rid]["status"] == "done", runs[rid]
            # (1.0*2*0 + 0.5*1*90) / (2 + 0.5) = 18
            assert runs[rid]["summary"]["forecasts"]["baseline / compromise"]["border"] == (
                pytest.approx(18.0)
            )
    # and none is lost across a restart: a new server on the same folder lists every one of them
    again = create_app(tmp_path / "r", limits=limits, library_folders=[("scenarios", library_dir)])
    with live_server(again) as url, httpx.Client(base_url=url) as http:
        stored = {r["id"]: r for r in http.get("/api/runs").json()["runs"]}
        assert set(stored) == started
        assert all(stored[i]["summary"] == runs[i]["summary"] for i in started)
