"""What the dashboard's API handlers share: the state, errors, and loading a scenario by key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario
from parley.web.jobs import JobManager, WebLimits
from parley.web.library import (
    Library,
    error_dict,
)
from parley.web.parsing import ParsePool


@dataclass(frozen=True)
class WebState:
    """What the API handlers share: the job manager, the library and the limits."""

    jobs: JobManager
    library: Library
    limits: WebLimits
    results: Path | None = None
    parser: ParsePool | None = None


def web_state(request: Request) -> WebState:
    """The dashboard's state, set by :func:`parley.web.app.create_app`."""
    state: WebState = request.app.state.parley
    return state


def scenario_error(exc: ScenarioError, status: int = 422, text: str | None = None) -> JSONResponse:
    """A located scenario error as JSON (with the text the user sent, when given)."""
    body: dict[str, Any] = {"ok": False, "error": error_dict(exc)}
    if text is not None:
        body["text"] = text
    return JSONResponse(body, status_code=status)


def field_errors(errors: list[dict[str, Any]], status: int = 422) -> JSONResponse:
    """Problems located by field: ``{"ok": false, "errors": [{"field", "message"}, ...]}``."""
    return JSONResponse({"ok": False, "errors": errors}, status_code=status)


def run_entries(jobs: JobManager) -> list[dict[str, Any]]:
    out = []
    for rec in jobs.list():
        if rec["status"] != "done":
            continue
        out.append(
            {
                "key": f"run:{rec['id']}#0",
                "origin": "run",
                "file": f"{rec['id']}/scenario.yaml",
                "index": 0,
                "id": rec.get("scenario_id", ""),
                "name": f"{rec.get('scenario_name', '')} (run {rec['id']})",
                "description": rec.get("label", ""),
                "n_actors": rec.get("n_actors"),
                "n_issues": rec.get("n_issues"),
            }
        )
    return out


def load_key(state: WebState, key: str) -> tuple[Scenario, str]:
    """The scenario under a library or run key, and a file name for it."""
    if key.startswith("run:"):
        run_id = key[4:].split("#", 1)[0]
        if state.jobs.get(run_id) is None:
            raise HTTPException(404, f"no run '{run_id}'")
        data = state.jobs.request(run_id)["variants"][0]["scenario"]
        return Scenario.model_validate(data), f"{run_id}-scenario.yaml"
    try:
        scenario, path = state.library.get(key)
    except KeyError:
        raise HTTPException(404, f"no scenario '{key}' in the library") from None
    return scenario, path.name
