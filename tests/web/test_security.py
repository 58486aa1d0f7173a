"""The dashboard under hostile requests: alias bomb, Host, Origin, chunked bodies, deep JSON, CSP."""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from parley.scenario.errors import ScenarioError
from parley.web.app import create_app
from parley.web.jobs import WebLimits
from parley.web.parsing import ParsePool
from parley.web.security import REPORT_CSP

LOCAL = "http://127.0.0.1"
TINY = (Path(__file__).parent / "tiny.yaml").read_text(encoding="utf-8")
#: Nine levels of nine aliases: 9**9 (387 million) strings once expanded, in 610 bytes.
BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "id: bomb\n"
)


def _app(tmp_path: Path, library_dir: Path, **kw: Any) -> Any:
    return create_app(tmp_path / "r", library_folders=[("scenarios", library_dir)], **kw)


def test_alias_bomb_is_refused_while_the_server_keeps_answering(
    tmp_path: Path, library_dir: Path, live_server: Any
) -> None:
    assert len(BOMB) < 700 and BOMB.count("*") == 72
    with live_server(_app(tmp_path, library_dir)) as url:
        netloc = urlparse(url).netloc
        result: dict[str, Any] = {}

        def upload() -> None:
            conn = http.client.HTTPConnection(netloc, timeout=30)
            boundary = "parleyboundary"
            body = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="bomb.yaml"\r\nContent-Type: application/x-yaml\r\n\r\n{BOMB}\r\n'
                f"--{boundary}--\r\n"
            ).encode()
            conn.request(
                "POST",
                "/api/scenarios/upload",
                body,
                {"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            r = conn.getresponse()
            result["status"], result["body"] = r.status, json.loads(r.read())

        t = threading.Thread(target=upload)
        t.start()
        started = time.monotonic()
        conn = http.client.HTTPConnection(netloc, timeout=5)
        conn.request("GET", "/api/limits")
        answer = conn.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["max_upload_bytes"] > 0
        assert time.monotonic() - started < 1.0
        t.join(30)
    assert result["status"] == 422
    assert "aliases expand" in result["body"]["error"]["message"]


def test_host_header_must_be_a_loopback_name_unless_configured(
    tmp_path: Path, library_dir: Path
) -> None:
    with TestClient(_app(tmp_path, library_dir), base_url=LOCAL) as c:
        assert c.get("/api/limits").status_code == 200
        for host in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
            assert c.get("/api/limits", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
            assert c.get("/api/limits", headers={"Host": host}).status_code == 400, host
    app = _app(tmp_path, library_dir, allowed_hosts=["parley.lan"])
    with TestClient(app, base_url="http://parley.lan") as c:
        assert c.get("/api/limits").status_code == 200
        assert c.get("/api/limits", headers={"Host": "evil.example"}).status_code == 400


def test_cross_site_posts_are_refused(tmp_path: Path, library_dir: Path) -> None:
    upload = {"file": ("t.yaml", io.BytesIO(TINY.encode()))}
    uploads = tmp_path / "r" / "uploads"
    with TestClient(_app(tmp_path, library_dir), base_url=LOCAL) as c:
        r = c.post(
            "/api/scenarios/upload", files=upload, headers={"Origin": "https://evil.example"}
        )
        assert r.status_code == 403 and "cross-site" in r.json()["error"]["message"]
        r = c.post("/api/scenarios/upload", files=upload, headers={"Origin": "null"})
        assert r.status_code == 403
        r = c.post(
            "/api/scenarios/check", json={"scenario": {}}, headers={"Sec-Fetch-Site": "cross-site"}
        )
        assert r.status_code == 403
        assert not any(uploads.iterdir())  # nothing was saved
        own = c.post(
            "/api/scenarios/upload",
            files={"file": ("t.yaml", io.BytesIO(TINY.encode()))},
            headers={"Origin": LOCAL},
        )
        assert own.status_code == 200 and len(list(uploads.iterdir())) == 1
        # reading is not state-changing: a GET with a foreign Origin is answered
        assert c.get("/api/limits", headers={"Origin": "https://evil.example"}).status_code == 200
    app = _app(tmp_path, library_dir, allowed_origins=["https://tools.example"])
    with TestClient(app, base_url=LOCAL) as c:
        r = c.post(
            "/api/scenarios/check",
            json={"scenario": {}},
            headers={"Origin": "https://tools.example"},
        )
        assert r.status_code == 422  # reached the handler: the scenario itself is invalid


def _chunked_post(netloc: str, path: str, chunks: int, chunk: bytes) -> tuple[int, bytes]:
    """POST ``chunks`` x ``chunk`` with Transfer-Encoding: chunked (no Content-Length)."""
    conn = http.client.HTTPConnection(netloc, timeout=30)
    conn.putrequest("POST", path)
    conn.putheader("Transfer-Encoding", "chunked")
    conn.putheader("Content-Type", "application/json")
    conn.endheaders()
    sent = 0
    try:
        for _ in range(chunks):
            conn.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading: expected once the limit is passed
    r = conn.getresponse()
    return r.status, r.read()


def test_chunked_body_over_the_limit_is_refused_on_the_stream(
    tmp_path: Path, library_dir: Path, live_server: Any
) -> None:
    limits = WebLimits(max_upload_bytes=16 * 1024)
    marker = b'"PARLEY-MARKER-' + b"x" * 4000 + b'"'
    with live_server(_app(tmp_path, library_dir, limits=limits)) as url:
        netloc = urlparse(url).netloc
        # 4 MB in 1,000 chunks, far past the 16 KiB (+ 64 KiB slack) limit
        status, body = _chunked_post(netloc, "/api/scenarios/parse", 1000, marker)
    assert status == 413
    assert b"PARLEY-MARKER" not in body and len(body) < 1000
    assert b"larger than the limit" in body


def test_deep_json_gets_400_and_a_shallow_one_still_works(
    tmp_path: Path, library_dir: Path
) -> None:
    deep = '{"scenario": ' + "[" * 2000 + "]" * 2000 + "}"
    with TestClient(_app(tmp_path, library_dir), base_url=LOCAL) as c:
        for path in ("/api/scenarios/check", "/api/runs", "/api/scenarios/parse"):
            r = c.post(path, content=deep, headers={"Content-Type": "application/json"})
            assert r.status_code == 400, path
            assert "nested deeper" in r.json()["error"]["message"]
        # brackets inside strings do not count
        text = json.dumps({"filename": "t.yaml", "text": TINY + "# " + "[" * 500 + "\n"})
        r = c.post(
            "/api/scenarios/parse", content=text, headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 200, r.text


def test_report_download_carries_a_content_security_policy(
    tmp_path: Path, library_dir: Path, wait_status: Any
) -> None:
    with TestClient(_app(tmp_path, library_dir), base_url=LOCAL) as c:
        key = c.get("/api/scenarios").json()["entries"][0]["key"]
        run = c.post("/api/runs", json={"scenario_key": key, "models": ["compromise"]}).json()
        assert wait_status(c, run["id"])["status"] == "done"
        r = c.get(f"/api/runs/{run['id']}/report.html")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == REPORT_CSP
    assert "sandbox" in REPORT_CSP and "connect-src 'none'" in REPORT_CSP


def test_parse_pool_enforces_its_time_budget_and_recovers() -> None:
    pool = ParsePool(timeout=0.001)  # shorter than starting a child: the first parse overruns
    try:
        with pytest.raises(ScenarioError, match="took longer than 0.001 s") as err:
            asyncio.run(pool.parse(TINY, "t.yaml"))
        assert err.value.file == "t.yaml"
        pool.timeout = 30.0
        (scenario,) = asyncio.run(pool.parse(TINY, "t.yaml"))  # a fresh child parses it
        assert scenario.id == "tiny"
        with pytest.raises(ScenarioError, match="aliases expand") as err:  # errors cross intact
            asyncio.run(pool.parse(BOMB, "bomb.yaml"))
        assert err.value.file == "bomb.yaml" and err.value.line is not None
    finally:
        pool.close()
