"""The dashboard's JSON API under ``/api``: the scenario library (OpenAPI at ``/api/openapi.json``).

List the library, load one scenario for editing, check an edited one field by field, upload a file.
Runs are in :mod:`parley.web.api_runs`, war runs in :mod:`parley.web.api_war`, the run store of
sweeps in :mod:`parley.web.api_store`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario
from parley.web.library import (
    check_scenario_data,
    decode_upload,
    parse_text,
)
from parley.web.report_job import parameter_table
from parley.web.state import (
    WebState,
    load_key,
    run_entries,
    scenario_error,
    web_state,
)
from parley.web.tables import scenario_yaml

router = APIRouter(prefix="/api")


# --- request bodies ---------------------------------------------------------------------------


class ScenarioText(BaseModel):
    """A scenario file's text, as typed or pasted by the user."""

    filename: str = Field(default="scenario.yaml", description="Name; its suffix picks the format.")
    text: str = Field(description="The file's content.")
    save: bool = Field(default=False, description="Keep it in the library if it is valid.")


class ScenarioData(BaseModel):
    """An edited scenario, as the form holds it."""

    scenario: dict[str, Any]


@router.get("/scenarios", summary="List the scenario library")
def list_scenarios(request: Request) -> dict[str, Any]:
    """Scenarios from the library folders, uploads and finished runs, plus files that failed."""
    state = web_state(request)
    entries, broken = state.library.entries()
    return {"entries": [e.as_dict() for e in entries] + run_entries(state.jobs), "broken": broken}


@router.get("/scenarios/item", summary="Load one scenario for editing")
def get_scenario(request: Request, key: str = Query(...)) -> dict[str, Any]:
    """The scenario as JSON (every field, defaults included) for the edit forms."""
    try:
        scenario, filename = load_key(web_state(request), key)
    except ScenarioError as exc:
        raise HTTPException(422, exc.format()) from None
    return {"key": key, "filename": filename, "scenario": scenario.model_dump(mode="json")}


@router.get("/scenarios/file", summary="Download a scenario file")
def scenario_file(request: Request, key: str = Query(...)) -> Response:
    """The scenario as a parley YAML file."""
    scenario, filename = load_key(web_state(request), key)
    stem = Path(filename).stem
    return Response(
        scenario_yaml(scenario),
        media_type="application/x-yaml",
        headers={"Content-Disposition": f'attachment; filename="{stem}.yaml"'},
    )


@router.get("/schema", summary="JSON schema of the scenario format")
def schema() -> dict[str, Any]:
    """Descriptions, units and ranges of every field, used to build the forms."""
    return Scenario.model_json_schema()


@router.post("/scenarios/check", summary="Check an edited scenario field by field")
def check_scenario(body: ScenarioData) -> JSONResponse:
    """200 with the normalised scenario, or 422 with every problem located by field."""
    scenario, errors = check_scenario_data(body.scenario)
    if scenario is None:
        return JSONResponse({"ok": False, "errors": errors}, status_code=422)
    return JSONResponse({"ok": True, "scenario": scenario.model_dump(mode="json")})


@router.post("/scenarios/parameters", summary="Every input with its range and source")
def scenario_parameters(body: ScenarioData) -> JSONResponse:
    """Capabilities, positions, saliences and reference points with stated ranges and sources."""
    scenario, errors = check_scenario_data(body.scenario)
    if scenario is None:
        return JSONResponse({"ok": False, "errors": errors}, status_code=422)
    return JSONResponse({"ok": True, "parameters": parameter_table(scenario)})


async def _parse(state: WebState, text: str, filename: str) -> list[Scenario]:
    """Parse in the child process pool (time and memory budget), else in a worker thread."""
    if state.parser is not None:
        return await state.parser.parse(text, filename)
    return await run_in_threadpool(parse_text, text, filename)


async def _accept_text(state: WebState, filename: str, text: str, save: bool) -> JSONResponse:
    try:
        scenarios = await _parse(state, text, filename)
        entries = (
            await run_in_threadpool(state.library.add_upload, filename, text, validated=True)
            if save
            else []
        )
    except ScenarioError as exc:
        return scenario_error(exc, text=text)
    return JSONResponse(
        {
            "ok": True,
            "entries": [e.as_dict() for e in entries],
            "scenarios": [{"id": s.id, "name": s.name or s.id} for s in scenarios],
            "scenario": scenarios[0].model_dump(mode="json"),
        }
    )


@router.post("/scenarios/upload", summary="Upload a scenario file (validated, never executed)")
async def upload_scenario(
    request: Request, file: UploadFile = File(...), save: bool = Form(default=True)
) -> JSONResponse:
    """Parse an uploaded file; 413 when too large, 422 with the located problem when invalid."""
    state = web_state(request)
    limit = state.limits.max_upload_bytes
    raw = await file.read(limit + 1)
    name = file.filename or "upload"
    try:
        text = decode_upload(raw, name, limit)
    except ScenarioError as exc:
        return scenario_error(exc, status=413 if len(raw) > limit else 422)
    return await _accept_text(state, name, text, save)


@router.post("/scenarios/parse", summary="Validate scenario text typed in the page")
async def parse_scenario_text(request: Request, body: ScenarioText) -> JSONResponse:
    """Like an upload, from text; the text comes back with a located error so nothing is lost
    (never with a 413: a body over the limit is not echoed)."""
    state = web_state(request)
    try:
        text = decode_upload(
            body.text.encode("utf-8"), body.filename, state.limits.max_upload_bytes
        )
    except ScenarioError as exc:
        too_big = len(body.text.encode("utf-8")) > state.limits.max_upload_bytes
        if too_big:
            return scenario_error(exc, status=413)
        return scenario_error(exc, status=422, text=body.text)
    return await _accept_text(state, body.filename, text, body.save)
