"""API tests of the dashboard (FastAPI TestClient): library, uploads, runs, limits, token, restart."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.cli.serve import is_loopback, resolve_token
from parley.scenario.errors import ScenarioError
from parley.seeds import DEFAULT_SEED
from parley.web.app import create_app
from parley.web.jobs import JobContext, WebLimits
from parley.web.library import data_loc, decode_upload, field_path, safe_filename

TINY_YAML = (Path(__file__).parent / "tiny.yaml").read_text(encoding="utf-8")
#: The dashboard accepts loopback Host names only (TestClient's default is "testserver").
LOCAL = "http://127.0.0.1"

BAD_YAML = """\
id: bad
issues:
  - id: border
    scale_min: 0
    scale_max: 100
actors:
  - id: a
    positions:
      border:
        position: 10
        salience: 1.5
"""


def values(v: Any) -> list[Any]:
    """Plotly sends numeric arrays as base64 typed arrays (``{"dtype", "bdata"}``); decode them."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def gated_runner(gate: threading.Event, started: threading.Event | None = None) -> Callable:
    """A runner that reports progress in small steps until ``gate`` opens (or it is cancelled)."""

    def run(request: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
        if started is not None:
            started.set()
        step = 0
        while not gate.wait(0.01):
            step += 1
            ctx.progress(min(step / 1000, 0.5), f"step {step}")
        return {"steps": step}

    return run


@pytest.fixture()
def client(tmp_path: Path, library_dir: Path) -> Iterator[TestClient]:
    app = create_app(tmp_path / "results", library_folders=[("scenarios", library_dir)])
    with TestClient(app, base_url=LOCAL) as c:
        yield c


def _key(client: TestClient) -> str:
    entries = client.get("/api/scenarios").json()["entries"]
    return next(e["key"] for e in entries if e["id"] == "tiny")


def test_list_and_load_scenarios(client: TestClient, library_dir: Path) -> None:
    (library_dir / "broken.yaml").write_text("id: x\nissues: [\n", encoding="utf-8")
    body = client.get("/api/scenarios").json()
    tiny = [e for e in body["entries"] if e["id"] == "tiny"]
    assert len(tiny) == 1
    assert tiny[0]["n_actors"] == 2 and tiny[0]["n_issues"] == 1
    assert tiny[0]["name"] == "Tiny dispute"
    assert [b["file"] for b in body["broken"]] == ["broken.yaml"]
    assert "malformed YAML" in body["broken"][0]["error"]["message"]
    item = client.get("/api/scenarios/item", params={"key": tiny[0]["key"]}).json()
    assert item["scenario"]["actors"][1]["positions"]["border"] == {
        "position": 90.0,
        "salience": 0.5,
    }
    assert item["scenario"]["issues"][0]["source"] == "hand-made for the tests"
    assert (
        client.get("/api/scenarios/item", params={"key": "scenarios:nope.yaml#0"}).status_code
        == 404
    )
    # a key must not escape its folder
    assert (
        client.get(
            "/api/scenarios/item", params={"key": "scenarios:../../etc/passwd#0"}
        ).status_code
        == 404
    )
    dl = client.get("/api/scenarios/file", params={"key": tiny[0]["key"]})
    assert dl.status_code == 200
    assert yaml.safe_load(dl.text)["actors"][0]["capability"] == 2.0


def test_openapi_and_page_are_served(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/scenarios", "/api/runs", "/api/runs/{run_id}/cancel", "/api/compare"):
        assert path in spec["paths"]
    page = client.get("/")
    assert page.status_code == 200 and "/static/plotly.min.js" in page.text
    assert "http" not in page.text.replace("http-equiv", "")  # nothing loaded from elsewhere
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000


def test_upload_valid_file_is_kept_in_library(client: TestClient) -> None:
    text = TINY_YAML.replace("id: tiny", "id: uploaded").replace("Tiny dispute", "Uploaded")
    r = client.post(
        "/api/scenarios/upload",
        files={"file": ("mine.yaml", io.BytesIO(text.encode()), "text/yaml")},
    )
    assert r.status_code == 200, r.text
    assert r.json()["scenarios"] == [{"id": "uploaded", "name": "Uploaded"}]
    key = r.json()["entries"][0]["key"]
    assert key.startswith("upload:") and key.endswith("mine.yaml#0")
    ids = [e["id"] for e in client.get("/api/scenarios").json()["entries"]]
    assert "uploaded" in ids


def test_bad_upload_is_located_by_field_and_line(client: TestClient) -> None:
    r = client.post(
        "/api/scenarios/upload",
        files={"file": ("bad.yaml", io.BytesIO(BAD_YAML.encode()), "text/yaml")},
    )
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["field"] == "actors[0].positions.border.salience"
    assert err["line"] == 11  # "salience: 1.5" is on line 11 of BAD_YAML
    assert "less than or equal to 1" in err["message"]
    # the text route hands the user's text back untouched
    r = client.post("/api/scenarios/parse", json={"filename": "bad.yaml", "text": BAD_YAML})
    assert r.status_code == 422 and r.json()["text"] == BAD_YAML
    # malformed YAML, binary data, an unknown suffix: each a clear message, never a 500
    r = client.post("/api/scenarios/parse", json={"filename": "x.yaml", "text": "a: [1,\n"})
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("malformed YAML")
    r = client.post(
        "/api/scenarios/upload",
        files={"file": ("x.yaml", io.BytesIO(b"\xff\xfe\x00"), "text/yaml")},
    )
    assert r.status_code == 422 and "UTF-8" in r.json()["error"]["message"]
    r = client.post(
        "/api/scenarios/upload", files={"file": ("x.py", io.BytesIO(b"import os"), "text/x-python")}
    )
    assert r.status_code == 422 and "unsupported file type '.py'" in r.json()["error"]["message"]
    # nothing bad was kept
    assert all(e["origin"] != "upload" for e in client.get("/api/scenarios").json()["entries"])


def test_yaml_tags_are_not_executed(client: TestClient, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    r = client.post("/api/scenarios/parse", json={"filename": "evil.yaml", "text": text})
    assert r.status_code == 422
    assert not marker.exists()


def test_upload_size_limit(tmp_path: Path, library_dir: Path) -> None:
    app = create_app(
        tmp_path / "r",
        limits=WebLimits(max_upload_bytes=1024),
        library_folders=[("scenarios", library_dir)],
    )
    big = TINY_YAML + "# " + "x" * 2000 + "\n"
    with TestClient(app, base_url=LOCAL) as c:
        r = c.post("/api/scenarios/upload", files={"file": ("big.yaml", io.BytesIO(big.encode()))})
        assert r.status_code == 413
        assert "larger than the upload limit of 1 KiB" in r.json()["error"]["message"]
        # far larger bodies are refused from the Content-Length header, before being read
        huge = b"#" * (200 * 1024)
        r = c.post("/api/scenarios/upload", files={"file": ("huge.yaml", io.BytesIO(huge))})
        assert r.status_code == 413 and "larger than the limit" in r.json()["error"]["message"]
        small = c.post(
            "/api/scenarios/upload", files={"file": ("ok.yaml", io.BytesIO(TINY_YAML.encode()))}
        )
        assert small.status_code == 200


def test_check_reports_every_field(client: TestClient) -> None:
    sc = client.get("/api/scenarios/item", params={"key": _key(client)}).json()["scenario"]
    sc["actors"][0]["capability"] = -1
    sc["actors"][1]["positions"]["border"]["salience"] = 2
    r = client.post("/api/scenarios/check", json={"scenario": sc})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"actors[0].capability", "actors[1].positions.border.salience"}
    sc["actors"][0]["capability"] = 3
    sc["actors"][1]["positions"]["border"]["salience"] = 0.25
    r = client.post("/api/scenarios/check", json={"scenario": sc})
    assert r.status_code == 200 and r.json()["ok"]


def test_run_real_models_and_download(client: TestClient, wait_status: Callable) -> None:
    r = client.post(
        "/api/runs", json={"scenario_key": _key(client), "models": ["compromise", "mean"]}
    )
    assert r.status_code == 202, r.text
    rec = wait_status(client, r.json()["id"])
    assert rec["status"] == "done", rec
    run_id = rec["id"]
    # compromise: (1*2*0 + 0.5*1*90) / (2 + 0.5) = 18; unweighted mean: (0 + 90) / 2 = 45
    assert rec["summary"]["forecasts"]["baseline / compromise"]["border"] == pytest.approx(18.0)
    assert rec["summary"]["forecasts"]["baseline / mean"]["border"] == pytest.approx(45.0)
    csv = pd.read_csv(io.StringIO(client.get(f"/api/runs/{run_id}/data.csv").text))
    assert list(csv["forecast"]) == pytest.approx([18.0, 45.0])
    pq = client.get(f"/api/runs/{run_id}/data.parquet")
    assert pd.read_parquet(io.BytesIO(pq.content))["model"].tolist() == ["compromise", "mean"]
    pos = pd.read_csv(io.StringIO(client.get(f"/api/runs/{run_id}/data.csv?table=positions").text))
    assert sorted(pos["position"]) == [0.0, 90.0]
    sc = yaml.safe_load(client.get(f"/api/runs/{run_id}/scenario.yaml").text)
    assert sc["id"] == "tiny" and sc["actors"][1]["positions"]["border"]["salience"] == 0.5
    report = client.get(f"/api/runs/{run_id}/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    # the report's one writer: plotly.js inlined, no script fetched from elsewhere
    assert "Plotly.newPlot" in report.text and "Tiny dispute" in report.text
    assert not re.search(r"<script[^>]+src=", report.text)
    assert "cdn.plot.ly/plotly" not in report.text
    # the forecasts in words, from the hand calculation in tiny.yaml
    assert "The compromise model forecasts (baseline): Border line 18.0 km." in report.text
    assert "The mean model forecasts (baseline): Border line 45.0 km." in report.text
    figs = client.get(f"/api/runs/{run_id}/figures").json()["figures"]
    diamonds = [t for t in figs[0]["figure"]["data"] if t.get("name") == "compromise"]
    assert values(diamonds[0]["x"]) == [18.0]


def test_edited_assumption_and_comparison(client: TestClient, wait_status: Callable) -> None:
    key = _key(client)
    sc = client.get("/api/scenarios/item", params={"key": key}).json()["scenario"]
    edited = yaml.safe_load(yaml.safe_dump(sc))
    edited["actors"][1]["capability"] = 8  # (2*0 + 0.5*8*90) / (2 + 4) = 60
    r = client.post(
        "/api/runs",
        json={
            "kind": "compare",
            "label": "stronger b",
            "scenario": edited,
            "models": ["compromise"],
            "compare_with": [{"name": "library", "scenario_key": key}],
        },
    )
    rec = wait_status(client, r.json()["id"])
    fc = rec["summary"]["forecasts"]
    assert fc["stronger b / compromise"]["border"] == pytest.approx(60.0)
    assert fc["library / compromise"]["border"] == pytest.approx(18.0)
    base = wait_status(
        client,
        client.post("/api/runs", json={"scenario_key": key, "models": ["compromise"]}).json()["id"],
    )
    cmp = client.get("/api/compare", params=[("ids", rec["id"]), ("ids", base["id"])]).json()
    ys = {t["name"]: values(t["y"]) for t in cmp["figure"]["data"]}
    # share of the 0-100 scale: 60 %, 18 % and 18 %
    assert ys[f"{rec['id']}: compromise (library)"] == pytest.approx([18.0])
    assert ys[f"{base['id']}: compromise"] == pytest.approx([18.0])
    assert ys[f"{rec['id']}: compromise (stronger b)"] == pytest.approx([60.0])
    # the run's scenario is in the library now
    assert any(e["origin"] == "run" for e in client.get("/api/scenarios").json()["entries"])


def test_bad_run_requests(client: TestClient) -> None:
    r = client.post("/api/runs", json={"scenario_key": _key(client), "models": ["nope"]})
    assert r.status_code == 422 and "unknown model 'nope'" in r.json()["errors"][0]["message"]
    sc = client.get("/api/scenarios/item", params={"key": _key(client)}).json()["scenario"]
    sc["issues"][0]["scale_max"] = -5
    r = client.post("/api/runs", json={"scenario": sc, "models": ["compromise"]})
    assert r.status_code == 422
    assert "scale_max (-5.0) must be greater than scale_min" in r.json()["errors"][0]["message"]
    assert client.post("/api/runs", json={"models": ["compromise"]}).status_code == 422
    assert client.get("/api/runs/nope").status_code == 404


def test_progress_and_cancel(tmp_path: Path, library_dir: Path, wait_status: Callable) -> None:
    gate, started = threading.Event(), threading.Event()
    app = create_app(
        tmp_path / "r",
        library_folders=[("scenarios", library_dir)],
        runner=gated_runner(gate, started),
    )
    with TestClient(app, base_url=LOCAL) as c:
        run_id = c.post("/api/runs", json={"scenario_key": _key(c)}).json()["id"]
        assert started.wait(5)
        for _ in range(200):
            rec = c.get(f"/api/runs/{run_id}").json()
            if rec["progress"] > 0:
                break
            threading.Event().wait(0.01)
        assert rec["status"] == "running" and 0 < rec["progress"] <= 0.5
        assert rec["message"].startswith("step ")
        assert c.post(f"/api/runs/{run_id}/cancel").status_code == 200
        assert wait_status(c, run_id)["status"] == "cancelled"
        assert c.get(f"/api/runs/{run_id}/figures").status_code == 409
        assert c.delete(f"/api/runs/{run_id}").status_code == 200
        assert c.get(f"/api/runs/{run_id}").status_code == 404
        gate.set()


def test_concurrent_job_limit(tmp_path: Path, library_dir: Path, wait_status: Callable) -> None:
    gate = threading.Event()
    limits = WebLimits(max_concurrent_jobs=1, max_queued_jobs=1)
    app = create_app(
        tmp_path / "r",
        limits=limits,
        library_folders=[("scenarios", library_dir)],
        runner=gated_runner(gate),
    )
    with TestClient(app, base_url=LOCAL) as c:
        key = _key(c)
        first = c.post("/api/runs", json={"scenario_key": key}).json()["id"]
        second = c.post("/api/runs", json={"scenario_key": key}).json()["id"]
        r = c.post("/api/runs", json={"scenario_key": key})
        assert r.status_code == 429
        assert "limit 1 running + 1 waiting" in r.json()["detail"]
        listing = c.get("/api/runs").json()
        assert listing["running"] + listing["queued"] == 2
        # cancelling the queued one frees a place at once
        assert c.post(f"/api/runs/{second}/cancel").json()["status"] == "cancelled"
        third = c.post("/api/runs", json={"scenario_key": key})
        assert third.status_code == 202
        gate.set()
        assert wait_status(c, first)["status"] == "done"
        assert wait_status(c, third.json()["id"])["status"] == "done"


def test_stored_runs_limit(tmp_path: Path, library_dir: Path, wait_status: Callable) -> None:
    app = create_app(
        tmp_path / "r",
        limits=WebLimits(max_runs=1),
        library_folders=[("scenarios", library_dir)],
    )
    with TestClient(app, base_url=LOCAL) as c:
        key = _key(c)
        run_id = c.post("/api/runs", json={"scenario_key": key, "models": ["mean"]}).json()["id"]
        wait_status(c, run_id)
        r = c.post("/api/runs", json={"scenario_key": key, "models": ["mean"]})
        assert r.status_code == 507 and "delete old runs" in r.json()["detail"]
        c.delete(f"/api/runs/{run_id}")
        assert (
            c.post("/api/runs", json={"scenario_key": key, "models": ["mean"]}).status_code == 202
        )


def test_token_required(tmp_path: Path, library_dir: Path) -> None:
    app = create_app(
        tmp_path / "r", token="s3cret-token", library_folders=[("scenarios", library_dir)]
    )
    with TestClient(app, base_url=LOCAL) as c:
        for path in ("/", "/api/scenarios", "/api/openapi.json", "/static/app.js"):
            r = c.get(path)
            assert r.status_code == 401, path
            assert "requires a token" in r.json()["detail"]
        assert c.get("/api/scenarios", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert (
            c.get("/api/scenarios", headers={"Authorization": "Bearer s3cret-token"}).status_code
            == 200
        )
        assert (
            c.get("/api/scenarios", headers={"X-Parley-Token": "s3cret-token"}).status_code == 200
        )
        # a token in the query is accepted once: it sets the cookie and redirects without it
        page = c.get("/?token=s3cret-token&x=1", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/?x=1"
        assert "parley_token" in page.headers["set-cookie"]
        assert "HttpOnly" in page.headers["set-cookie"]
        assert c.get("/api/scenarios").status_code == 200  # the cookie now carries the token
    with TestClient(app, base_url=LOCAL) as c:
        # never as a credential of the request itself
        r = c.post("/api/scenarios/check?token=s3cret-token", json={"scenario": {}})
        assert r.status_code == 401
        r = c.get("/api/scenarios?token=wrong", follow_redirects=False)
        assert r.status_code == 401


def test_token_decision_of_parley_serve() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.8.9.10") and is_loopback("::1")
    assert is_loopback("localhost") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("::")
    assert resolve_token("127.0.0.1", None) == (None, False)
    assert resolve_token("127.0.0.1", "my-own-token") == ("my-own-token", False)
    token, generated = resolve_token("0.0.0.0", None)
    assert generated and token is not None and len(token) >= 32
    assert resolve_token("0.0.0.0", None)[0] != token
    assert resolve_token("0.0.0.0", "given-token-1") == ("given-token-1", False)


def test_runs_survive_restart(tmp_path: Path, library_dir: Path, wait_status: Callable) -> None:
    results = tmp_path / "r"
    folders = [("scenarios", library_dir)]
    app = create_app(results, limits=WebLimits(max_concurrent_jobs=1), library_folders=folders)
    with TestClient(app, base_url=LOCAL) as c:
        key = _key(c)
        done = wait_status(
            c,
            c.post("/api/runs", json={"scenario_key": key, "models": ["compromise"]}).json()["id"],
        )
    # a server that stops while a run is running and another is queued
    gate = threading.Event()
    app = create_app(
        results,
        limits=WebLimits(max_concurrent_jobs=1),
        library_folders=folders,
        runner=gated_runner(gate),
    )
    with TestClient(app, base_url=LOCAL) as c:
        running = c.post("/api/runs", json={"scenario_key": key, "models": ["compromise"]}).json()[
            "id"
        ]
        queued = c.post("/api/runs", json={"scenario_key": key, "models": ["mean"]}).json()["id"]
        assert c.get(f"/api/runs/{queued}").json()["status"] == "queued"
    # leaving the block shut the server down; a new server finishes both with the real models
    app = create_app(results, limits=WebLimits(max_concurrent_jobs=1), library_folders=folders)
    with TestClient(app, base_url=LOCAL) as c:
        ids = [r["id"] for r in c.get("/api/runs").json()["runs"]]
        assert set(ids) == {done["id"], running, queued}
        again = c.get(f"/api/runs/{done['id']}").json()
        assert again["summary"] == done["summary"] and again["status"] == "done"
        r1, r2 = wait_status(c, running), wait_status(c, queued)
        assert r1["status"] == r2["status"] == "done"
        assert r1["restarts"] == 1 and r2["restarts"] == 1
        assert r1["summary"]["forecasts"]["baseline / compromise"]["border"] == pytest.approx(18.0)
        assert r2["summary"]["forecasts"]["baseline / mean"]["border"] == pytest.approx(45.0)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.text(max_size=40))
def test_decode_upload_only_raises_scenario_errors(raw: bytes, name: str) -> None:
    try:
        text = decode_upload(raw, name or "x.yaml", max_bytes=200)
    except ScenarioError as exc:
        assert exc.message
    else:
        assert len(raw) <= 200 and text.strip() and "\x00" not in text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_safe_filename_stays_in_its_folder(name: str) -> None:
    out = safe_filename(name)
    assert 0 < len(out) <= 80
    assert "/" not in out and "\\" not in out and not out.startswith(".")
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in out)


def test_analysis_run_shows_the_report_figures(client: TestClient, wait_status: Callable) -> None:
    r = client.post(
        "/api/runs",
        json={
            "scenario_key": _key(client),
            "kind": "analysis",
            "n_runs": 20,
            "models": ["compromise"],
        },
    )
    assert r.status_code == 202, r.text
    rec = wait_status(client, r.json()["id"], timeout=60)
    assert rec["status"] == "done", rec
    # the forecast of the scenario as written: (1.0*2*0 + 0.5*1*90) / 2.5 = 18
    assert rec["summary"]["forecasts"]["baseline / compromise"]["border"] == pytest.approx(18.0)
    figs = client.get(f"/api/runs/{rec['id']}/figures").json()["figures"]
    assert figs[0]["id"] == "stakeholder-forecasts" and figs[0]["caption"]
    report = client.get(f"/api/runs/{rec['id']}/report.html").text
    assert "Tiny dispute" in report and "Every parameter and its source" in report
    table = pd.read_csv(io.StringIO(client.get(f"/api/runs/{rec['id']}/data.csv").text))
    assert table["forecast"].tolist() == pytest.approx([18.0])
    assert (table["q05"] <= table["forecast"]).all() and (table["forecast"] <= table["q95"]).all()
    r = client.post(
        "/api/runs", json={"scenario_key": _key(client), "kind": "analysis", "n_runs": 10**7}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "n_runs"


def test_cancel_stops_the_analysis_process(
    client: TestClient, tmp_path: Path, wait_status: Callable
) -> None:
    r = client.post("/api/runs", json={"scenario_key": _key(client), "kind": "analysis"})
    run_id = r.json()["id"]
    pid_file = tmp_path / "results" / "dashboard" / run_id / "analysis.pid"
    for _ in range(400):
        if pid_file.exists() and pid_file.read_text():
            break
        threading.Event().wait(0.01)
    pid = int(pid_file.read_text())
    client.post(f"/api/runs/{run_id}/cancel")
    assert wait_status(client, run_id)["status"] == "cancelled"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


FLAGSHIP = Path(__file__).parents[2] / "scenarios" / "ukraine-2022-11.yaml"


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['touch {marker}']\n",
        "id: x\nname: !!python/object/apply:os.system ['touch {marker}']\n",
        "id: !!python/object/new:os.system ['touch {marker}']\n",
        "id: !!python/name:os.system\n",
        "id: !!python/module:os\n",
        "- !!python/object/apply:subprocess.call [['touch', '{marker}']]\n",
    ],
)
def test_no_yaml_tag_runs_code(client: TestClient, tmp_path: Path, text: str) -> None:
    marker = tmp_path / "executed"
    text = text.replace("{marker}", str(marker))
    for route in ("parse", "upload"):
        if route == "parse":
            r = client.post("/api/scenarios/parse", json={"filename": "evil.yaml", "text": text})
        else:
            r = client.post(
                "/api/scenarios/upload",
                files={"file": ("evil.yaml", io.BytesIO(text.encode()), "text/yaml")},
            )
        assert r.status_code == 422, r.text
        # the safe loader knows no constructor for python/* tags and refuses the file
        assert "could not determine a constructor for the tag" in r.json()["error"]["message"]
        assert "python/" in r.json()["error"]["message"]
    assert not marker.exists()
    assert all(e["origin"] != "upload" for e in client.get("/api/scenarios").json()["entries"])
    assert not marker.exists()


def test_library_file_with_python_tag_is_not_run(
    tmp_path: Path, library_dir: Path, client: TestClient
) -> None:
    marker = tmp_path / "ran"
    (library_dir / "evil.yaml").write_text(
        f"!!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    body = client.get("/api/scenarios").json()
    assert "evil.yaml" in [b["file"] for b in body["broken"]]
    assert not marker.exists()


def test_page_forbids_inline_script(client: TestClient) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "<script>" not in page.text  # every script of the page is a file of this server
    assert client.get("/api/scenarios").headers["x-content-type-options"] == "nosniff"


def test_experiment_errors_name_the_field(client: TestClient) -> None:
    sc = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    unc = sc["experiment"]["uncertainties"]
    dotted = next(k for k, v in unc.items() if v["dist"] == "uniform")
    unc[dotted]["low"] = "not a number"
    policy = next(iter(sc["experiment"]["policies"]))
    lever = next(iter(sc["experiment"]["policies"][policy]["levers"]))
    sc["experiment"]["policies"][policy]["levers"][lever] = "x"
    r = client.post("/api/scenarios/check", json={"scenario": sc})
    assert r.status_code == 422
    fields = sorted(e["field"] for e in r.json()["errors"])
    # dotted keys are quoted, the union member ("uniform") is not part of the path, one error each
    assert fields == sorted(
        [
            f'experiment.uncertainties["{dotted}"].low',
            f'experiment.policies.{policy}.levers["{lever}"]',
        ]
    )


def test_parameters_carry_form_paths_and_sources(client: TestClient) -> None:
    sc = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    body = client.post("/api/scenarios/parameters", json={"scenario": sc}).json()
    rows = {r["parameter"]: r for r in body["parameters"]}
    first = sc["actors"][0]
    cap = rows[f"actors.{first['id']}.capability"]
    assert cap["paths"] == ["actors[0].capability"] and cap["source"]
    # an uncertain supporter parameter (a list index in the model path) with a stated range
    dotted = "war.supporters.0.force_per_bn"
    sc["experiment"]["uncertainties"][dotted] = {"dist": "uniform", "low": 0.005, "high": 0.02}
    body = client.post("/api/scenarios/parameters", json={"scenario": sc}).json()
    rows = {r["parameter"]: r for r in body["parameters"]}
    assert rows[dotted]["paths"] == [
        "war.supporters[0].force_per_bn",
        f'experiment.uncertainties["{dotted}"]',
    ]
    assert (rows[dotted]["low"], rows[dotted]["high"]) == (0.005, 0.02)
    assert "uniform" in rows[dotted]["source"]
    name, aset = next(iter(sc["experiment"]["assumptions"].items()))
    path = next(iter(aset["overrides"]))
    assert rows[f"{path} [{name}]"]["paths"] == [
        f'experiment.assumptions.{name}.overrides["{path}"]'
    ]


def test_reference_data_is_not_reported_as_broken(tmp_path: Path, library_dir: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "fit.json").write_text('{"drift": 10.7}', encoding="utf-8")
    (data / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (library_dir / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    app = create_app(tmp_path / "r", library_folders=[("scenarios", library_dir), ("data", data)])
    with TestClient(app, base_url=LOCAL) as c:
        body = c.get("/api/scenarios").json()
    assert [(b["origin"], b["file"]) for b in body["broken"]] == [("scenarios", "broken.yaml")]
    assert ("data", "tiny.yaml") in [(e["origin"], e["file"]) for e in body["entries"]]


def test_sweeps_of_the_run_store_are_listed_and_downloadable(
    tmp_path: Path, library_dir: Path
) -> None:
    from parley.experiments.manifest import build_manifest
    from parley.experiments.store import RunStore
    from parley.scenario.load import load_scenario

    results = tmp_path / "results"
    store = RunStore(results)
    tiny = load_scenario(library_dir / "tiny.yaml")
    manifest = build_manifest(
        run_id="compare-20221108T000000-abcdef",
        kind="compare",
        scenario=tiny,
        design={"seed": 7, "cells": []},
        design_key="k1",
        model="compromise",
        model_options={},
        executor={"executor": "local"},
        n_chunks=1,
    )
    store.register(manifest)
    rows = pd.DataFrame({"chunk": [0, 0], "run": [0, 1], "forecast": [17.5, 18.5]})
    store.write_chunk(manifest["run_id"], 0, rows)
    store.update(manifest["run_id"], status="complete", n_done=1)
    app = create_app(results, library_folders=[("scenarios", library_dir)])
    with TestClient(app, base_url=LOCAL) as c:
        listed = c.get("/api/store").json()["runs"]
        assert [r["run_id"] for r in listed] == [manifest["run_id"]]
        # the sweep's scenario is found in the library by its hash
        assert listed[0]["scenario_key"] == _key(c)
        assert listed[0]["status"] == "complete" and listed[0]["n_done"] == 1
        got = c.get(f"/api/store/{manifest['run_id']}/manifest.json").json()
        assert got["design_key"] == "k1" and got["seed"] == 7
        csv = pd.read_csv(io.StringIO(c.get(f"/api/store/{manifest['run_id']}/data.csv").text))
        assert csv["forecast"].tolist() == [17.5, 18.5]
        pq = c.get(f"/api/store/{manifest['run_id']}/data.parquet")
        assert pd.read_parquet(io.BytesIO(pq.content))["run"].tolist() == [0, 1]
        assert c.get("/api/store/nope/data.csv").status_code == 404


def test_no_run_store_yet(client: TestClient) -> None:
    assert client.get("/api/store").json()["runs"] == []
    assert client.get("/api/store/x/manifest.json").status_code == 404


#: The page's path syntax (static/app.js, splitPath): ``["quoted key"]``, ``[index]`` or a name.
PATH_TOKEN = re.compile(r'\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.\[\]]+)')


def _split_like_the_page(path: str) -> list[Any]:
    return [json.loads(q) if q else int(i) if i else n for q, i, n in PATH_TOKEN.findall(path)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(min_value=0, max_value=50),
            st.text(alphabet=st.characters(blacklist_characters="[]"), min_size=1, max_size=12),
        ),
        min_size=1,
        max_size=6,
    ).filter(lambda loc: isinstance(loc[0], str))
)
def test_field_paths_parse_back_as_the_page_reads_them(loc: list[Any]) -> None:
    assert _split_like_the_page(field_path(tuple(loc))) == loc


def test_data_loc_drops_union_members() -> None:
    data = {"experiment": {"uncertainties": {"war.a.b": {"dist": "normal", "sd": "x"}}}}
    loc = ("experiment", "uncertainties", "war.a.b", "normal", "sd")
    assert data_loc(data, loc) == ("experiment", "uncertainties", "war.a.b", "sd")
    assert field_path(data_loc(data, loc)) == 'experiment.uncertainties["war.a.b"].sd'
    # a missing required field keeps its name; a union member at the end is dropped
    assert data_loc({"actors": [{}]}, ("actors", 0, "id"), missing=True) == ("actors", 0, "id")
    assert data_loc({"x": {"y": 1}}, ("x", "y", "float")) == ("x", "y")


def test_analysis_heartbeat_says_it_is_alive_and_stops(tmp_path: Path) -> None:
    from parley.web.report_job import _Progress

    progress = _Progress(tmp_path / "progress.jsonl")
    beat = progress.heartbeat(0.1, "analysing", every_s=0.02)
    threading.Event().wait(0.2)
    beat.stop()
    lines = (tmp_path / "progress.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 2
    kind, fraction, text = json.loads(lines[-1])
    assert (kind, fraction) == ("progress", 0.1) and re.fullmatch(r"analysing, \d+ s so far", text)
    threading.Event().wait(0.1)  # stopped: no more lines
    assert (tmp_path / "progress.jsonl").read_text(encoding="utf-8").splitlines() == lines


def test_runs_forward_the_request_seed(
    tmp_path: Path, library_dir: Path, wait_status: Callable
) -> None:
    seen: list[Any] = []

    def recording(request: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
        seen.append(request.get("seed"))
        return {}

    app = create_app(tmp_path / "r", library_folders=[("scenarios", library_dir)], runner=recording)
    with TestClient(app, base_url=LOCAL) as c:
        key = _key(c)
        for body in ({"seed": 5}, {}):
            run_id = c.post("/api/runs", json={"scenario_key": key, **body}).json()["id"]
            assert wait_status(c, run_id)["status"] == "done"
    assert seen == [5, DEFAULT_SEED]  # a forecast run gets the seed, by default parley's own
