"""``parley serve``: loopback by default, a token required (given or generated and printed) elsewhere.

``uvicorn.run`` is replaced by a recorder, so nothing binds a socket: the test checks what the command
would serve and on which address, then talks to that app through the TestClient.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from parley.cli import main

LOCAL = "http://127.0.0.1"


@pytest.fixture()
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def record(app: Any, host: str, port: int, **kw: Any) -> None:
        calls.append({"app": app, "host": host, "port": port, **kw})

    monkeypatch.setattr(uvicorn, "run", record)
    return calls


def _serve(args: list[str]) -> int:
    try:
        main(["serve", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_loopback_by_default_without_token(
    served: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _serve(["--results", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert served[0]["host"] == "127.0.0.1" and served[0]["port"] == 8000
    assert "http://127.0.0.1:8000/" in out and "token" not in out
    with TestClient(served[0]["app"], base_url=LOCAL) as c:
        assert c.get("/api/limits").status_code == 200


def test_other_address_gets_a_generated_token(
    served: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _serve(["--host", "0.0.0.0", "--port", "8123", "--results", str(tmp_path / "r")])
    assert code == 0
    out = capsys.readouterr().out
    token = re.search(r"access token \(generated\): (\S+)", out)
    assert token is not None and len(token.group(1)) >= 32
    assert f"http://0.0.0.0:8123/?token={token.group(1)}" in out
    assert served[0]["host"] == "0.0.0.0"
    with TestClient(served[0]["app"], base_url=LOCAL) as c:
        assert c.get("/api/limits").status_code == 401
        auth = {"Authorization": f"Bearer {token.group(1)}"}
        assert c.get("/api/limits", headers=auth).status_code == 200


def test_given_token_is_required_and_not_printed_as_generated(
    served: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--host", "::", "--token", "my-long-token", "--results", str(tmp_path / "r")]
    assert _serve(args) == 0
    out = capsys.readouterr().out
    assert "generated" not in out and "http://[::]:8000/?token=my-long-token" in out
    with TestClient(served[0]["app"], base_url=LOCAL) as c:
        assert c.get("/api/runs").status_code == 401
        assert c.get("/api/runs", headers={"X-Parley-Token": "my-long-token"}).status_code == 200


def test_bad_options_exit_2_with_one_line(
    served: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _serve(["--token", "short", "--results", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: --token must be at least 8 characters long"
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    assert _serve(["--results", str(not_a_folder)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --results") and "expected a folder" in err and "\n" not in err
    assert served == []


def test_results_default_to_the_run_store_folder(
    served: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PARLEY_RESULTS", str(tmp_path / "store"))
    assert _serve([]) == 0
    assert f"results in {(tmp_path / 'store').resolve()}" in capsys.readouterr().out
    assert (tmp_path / "store" / "dashboard").is_dir()
