"""The dashboard's JSON API under ``/api`` (OpenAPI description at ``/api/openapi.json``).

Scenarios: list the library, load one for editing, check an edited one field by field, upload a file.
Runs: start a forecast or a comparison in the background, follow its progress, cancel it, delete it,
fetch its figures, download its report, data (CSV / Parquet) and scenario file, compare runs.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from parley.experiments.store import RunStore, has_store
from parley.negotiation.registry import DEFAULT_MODELS, MODELS, unknown_model_message
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED
from parley.web.figures import compare_figure, figure_json, report_html, run_figures
from parley.web.jobs import JobManager, LimitError, WebLimits
from parley.web.library import (
    Library,
    check_scenario_data,
    decode_upload,
    error_dict,
    parse_text,
)
from parley.web.parsing import ParsePool
from parley.web.report_job import parameter_table
from parley.web.runner import model_catalog
from parley.web.security import REPORT_CSP
from parley.web.tables import scenario_yaml


@dataclass(frozen=True)
class WebState:
    """What the API handlers share: the job manager, the library and the limits."""

    jobs: JobManager
    library: Library
    limits: WebLimits
    results: Path | None = None
    parser: ParsePool | None = None


router = APIRouter(prefix="/api")

#: Tables a run may have: forecasts and input stances always; the others depending on the kind.
TABLES = ("forecasts", "positions", "history", "samples", "parameters", "comparison")


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.parley
    return state


def _scenario_error(exc: ScenarioError, status: int = 422, text: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error": error_dict(exc)}
    if text is not None:
        body["text"] = text
    return JSONResponse(body, status_code=status)


# --- request bodies ---------------------------------------------------------------------------


class ScenarioText(BaseModel):
    """A scenario file's text, as typed or pasted by the user."""

    filename: str = Field(default="scenario.yaml", description="Name; its suffix picks the format.")
    text: str = Field(description="The file's content.")
    save: bool = Field(default=False, description="Keep it in the library if it is valid.")


class ScenarioData(BaseModel):
    """An edited scenario, as the form holds it."""

    scenario: dict[str, Any]


class Variant(BaseModel):
    """One scenario of a comparison: from the library (``scenario_key``) or inline (``scenario``)."""

    name: str = Field(min_length=1, max_length=80)
    scenario_key: str | None = None
    scenario: dict[str, Any] | None = None


class RunRequest(BaseModel):
    """Start a run: a forecast of one scenario, or a comparison of several variants."""

    kind: Literal["forecast", "compare", "analysis"] = Field(
        default="forecast",
        description="forecast: the chosen models on one scenario; compare: on several variants; "
        "analysis: the full report pipeline (Monte Carlo bands, war simulation and policy "
        "comparison when the scenario has them), in a child process.",
    )
    label: str = Field(default="", max_length=200)
    scenario_key: str | None = Field(default=None, description="Library key of the scenario.")
    scenario: dict[str, Any] | None = Field(
        default=None, description="The (edited) scenario; overrides scenario_key."
    )
    models: list[str] = Field(default_factory=lambda: list(DEFAULT_MODELS))
    compare_with: list[Variant] = Field(
        default_factory=list, description="Further variants (policies, assumption sets)."
    )
    n_runs: int = Field(default=200, ge=1, description="Monte Carlo runs of an analysis run.")
    seed: int = Field(
        default=DEFAULT_SEED, ge=0, description="Seed of the run (stochastic models, analysis)."
    )


# --- scenarios --------------------------------------------------------------------------------


def _run_entries(jobs: JobManager) -> list[dict[str, Any]]:
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


def _load_key(state: WebState, key: str) -> tuple[Scenario, str]:
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


@router.get("/scenarios", summary="List the scenario library")
def list_scenarios(request: Request) -> dict[str, Any]:
    """Scenarios from the library folders, uploads and finished runs, plus files that failed."""
    state = _state(request)
    entries, broken = state.library.entries()
    return {"entries": [e.as_dict() for e in entries] + _run_entries(state.jobs), "broken": broken}


@router.get("/scenarios/item", summary="Load one scenario for editing")
def get_scenario(request: Request, key: str = Query(...)) -> dict[str, Any]:
    """The scenario as JSON (every field, defaults included) for the edit forms."""
    try:
        scenario, filename = _load_key(_state(request), key)
    except ScenarioError as exc:
        raise HTTPException(422, exc.format()) from None
    return {"key": key, "filename": filename, "scenario": scenario.model_dump(mode="json")}


@router.get("/scenarios/file", summary="Download a scenario file")
def scenario_file(request: Request, key: str = Query(...)) -> Response:
    """The scenario as a parley YAML file."""
    scenario, filename = _load_key(_state(request), key)
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
        return _scenario_error(exc, text=text)
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
    state = _state(request)
    limit = state.limits.max_upload_bytes
    raw = await file.read(limit + 1)
    name = file.filename or "upload"
    try:
        text = decode_upload(raw, name, limit)
    except ScenarioError as exc:
        return _scenario_error(exc, status=413 if len(raw) > limit else 422)
    return await _accept_text(state, name, text, save)


@router.post("/scenarios/parse", summary="Validate scenario text typed in the page")
async def parse_scenario_text(request: Request, body: ScenarioText) -> JSONResponse:
    """Like an upload, from text; the text comes back with a located error so nothing is lost
    (never with a 413: a body over the limit is not echoed)."""
    state = _state(request)
    try:
        text = decode_upload(
            body.text.encode("utf-8"), body.filename, state.limits.max_upload_bytes
        )
    except ScenarioError as exc:
        too_big = len(body.text.encode("utf-8")) > state.limits.max_upload_bytes
        if too_big:
            return _scenario_error(exc, status=413)
        return _scenario_error(exc, status=422, text=body.text)
    return await _accept_text(state, body.filename, text, body.save)


# --- the run store of sweeps (parley compare / sensitivity / discover) -------------------------


def _store(state: WebState) -> Any:
    """The :class:`~parley.experiments.store.RunStore` of the results folder, or None if absent."""
    if state.results is None or not has_store(state.results):
        return None
    return RunStore(state.results)


def _scenario_hashes(state: WebState) -> dict[str, str]:
    """Scenario hash -> library key, to offer the scenario a stored sweep was run on."""
    from parley.experiments.manifest import scenario_hash

    out: dict[str, str] = {}
    for entry in state.library.entries()[0]:
        try:
            scenario, _ = state.library.get(entry.key)
        except (KeyError, ScenarioError):
            continue
        out.setdefault(scenario_hash(scenario), entry.key)
    return out


@router.get("/store", summary="Sweeps in the run store")
def list_store(request: Request) -> dict[str, Any]:
    """The run store's catalogue (sweeps of ``parley compare``, ``sensitivity``, ``discover``).

    Each sweep carries ``scenario_key`` when its scenario (by hash) is in the library, so the page
    can open the scenario a stored run was made with.
    """
    state = _state(request)
    store = _store(state)
    if store is None:
        return {"runs": [], "folder": str(state.results) if state.results else None}
    hashes = _scenario_hashes(state)
    runs = []
    for rec in store.list_runs().to_dict("records"):
        run_id = str(rec["run_id"])
        try:
            digest = store.manifest(run_id).get("scenario_hash")
        except KeyError:
            digest = None
        runs.append(
            {
                **{k: (None if pd.isna(v) else v) for k, v in rec.items()},
                "scenario_key": hashes.get(str(digest)) if digest else None,
            }
        )
    return {"runs": runs, "folder": str(state.results)}


def _store_run(state: WebState, run_id: str) -> tuple[Any, str]:
    store = _store(state)
    if store is None or run_id not in set(store.list_runs()["run_id"]):
        raise HTTPException(404, f"no run '{run_id}' in the run store")
    return store, run_id


@router.get("/store/{run_id}/manifest.json", summary="Manifest of a stored sweep")
def store_manifest(request: Request, run_id: str) -> dict[str, Any]:
    """What the sweep was: scenario hash, design, seed, model, executor, timings, machine."""
    store, rid = _store_run(_state(request), run_id)
    manifest: dict[str, Any] = store.manifest(rid)
    return manifest


@router.get("/store/{run_id}/data.{fmt}", summary="Download the rows of a stored sweep")
def store_data(request: Request, run_id: str, fmt: Literal["csv", "parquet"]) -> Response:
    """Every per-run row of the sweep (all chunks, read through DuckDB) as CSV or Parquet."""
    store, rid = _store_run(_state(request), run_id)
    frame = store.load(rid)
    name = f"parley-{rid}.{fmt}"
    disp = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return Response(frame.to_csv(index=False), media_type="text/csv", headers=disp)
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return Response(buf.getvalue(), media_type="application/vnd.apache.parquet", headers=disp)


# --- runs -------------------------------------------------------------------------------------


@router.get("/models", summary="Stakeholder models")
def models() -> dict[str, Any]:
    """Registered models, whether installed, the default selection, and the run kinds."""
    return {
        "models": model_catalog(),
        "default": list(DEFAULT_MODELS),
        "analysis": True,
    }


@router.get("/limits", summary="Server limits")
def limits(request: Request) -> dict[str, Any]:
    """Upload size, stored runs and concurrent jobs allowed by this server."""
    return dict(_state(request).limits.__dict__)


def _variant_data(state: WebState, key: str | None, data: dict[str, Any] | None, where: str) -> Any:
    if data is not None:
        return data
    if key is None:
        raise HTTPException(422, f"{where}: give 'scenario' or 'scenario_key'")
    return _load_key(state, key)[0].model_dump(mode="json")


@router.post("/runs", status_code=202, summary="Start a run in the background")
def start_run(request: Request, body: RunRequest) -> JSONResponse:
    """Queue a forecast or comparison; 422 for a bad scenario, 429 / 507 when a limit is reached."""
    state = _state(request)
    unknown = [m for m in body.models if m not in MODELS]
    if unknown or not body.models:
        msg = unknown_model_message(unknown[0]) if unknown else "choose at least one model"
        return JSONResponse(
            {"ok": False, "errors": [{"field": "models", "message": msg, "line": None}]}, 422
        )
    if len(body.compare_with) + 1 > state.limits.max_variants:
        return JSONResponse(
            {
                "ok": False,
                "errors": [
                    {
                        "field": "compare_with",
                        "message": f"at most {state.limits.max_variants} variants per run",
                        "line": None,
                    }
                ],
            },
            422,
        )
    if body.kind == "analysis" and body.n_runs > state.limits.max_mc_runs:
        return JSONResponse(
            {
                "ok": False,
                "errors": [
                    {
                        "field": "n_runs",
                        "message": f"at most {state.limits.max_mc_runs} Monte Carlo runs per run",
                        "line": None,
                    }
                ],
            },
            422,
        )
    first = _variant_data(state, body.scenario_key, body.scenario, "scenario")
    raw = [(body.label or "baseline", first)] + [
        (v.name, _variant_data(state, v.scenario_key, v.scenario, f"compare_with.{v.name}"))
        for v in body.compare_with
    ]
    variants = []
    for k, (name, data) in enumerate(raw):
        scenario, errors = check_scenario_data(data)
        if scenario is None:
            for e in errors:
                e["variant"] = k
            return JSONResponse({"ok": False, "errors": errors}, 422)
        variants.append({"name": name, "scenario": scenario.model_dump(mode="json")})
    main = Scenario.model_validate(variants[0]["scenario"])
    info = {
        "kind": body.kind,
        "label": body.label,
        "scenario_key": body.scenario_key,
        "scenario_id": main.id,
        "scenario_name": main.name or main.id,
        "n_actors": len(main.actors),
        "n_issues": len(main.issues),
        "models": body.models,
        "variants": [v["name"] for v in variants],
    }
    try:
        request_data: dict[str, Any] = {
            "kind": body.kind,
            "variants": variants,
            "models": body.models,
            "seed": body.seed,
        }
        if body.kind == "analysis":
            request_data.update(n_runs=body.n_runs)
            info["label"] = body.label or f"{body.n_runs} runs, seed {body.seed}"
        record = state.jobs.submit(request_data, info)
    except LimitError as exc:
        status = 507 if "results folder" in str(exc) else 429
        return JSONResponse({"ok": False, "detail": str(exc)}, status_code=status)
    return JSONResponse(record, status_code=202)


def _record(state: WebState, run_id: str) -> dict[str, Any]:
    rec = state.jobs.get(run_id)
    if rec is None:
        raise HTTPException(404, f"no run '{run_id}'")
    return rec


@router.get("/runs", summary="List runs")
def list_runs(request: Request) -> dict[str, Any]:
    """Every stored run, newest first, with status and progress."""
    state = _state(request)
    running, queued = state.jobs.active_count()
    return {"runs": state.jobs.list(), "running": running, "queued": queued}


@router.get("/runs/{run_id}", summary="One run's status and progress")
def get_run(request: Request, run_id: str) -> dict[str, Any]:
    """The run's record: status, progress in [0, 1], message, timings, summary."""
    return _record(_state(request), run_id)


@router.post("/runs/{run_id}/cancel", summary="Cancel a run")
def cancel_run(request: Request, run_id: str) -> dict[str, Any]:
    """Cancel a queued run at once, a running one at its next step."""
    rec = _state(request).jobs.cancel(run_id)
    if rec is None:
        raise HTTPException(404, f"no run '{run_id}'")
    return rec


@router.delete("/runs/{run_id}", summary="Delete a finished run")
def delete_run(request: Request, run_id: str) -> dict[str, Any]:
    """Remove a run and its outputs (cancel it first if it is active)."""
    try:
        if not _state(request).jobs.delete(run_id):
            raise HTTPException(404, f"no run '{run_id}'")
    except LimitError as exc:
        raise HTTPException(409, str(exc)) from None
    return {"ok": True}


def _done_folder(state: WebState, run_id: str) -> Path:
    rec = _record(state, run_id)
    if rec["status"] != "done":
        raise HTTPException(409, f"run '{run_id}' is {rec['status']}, not done")
    return state.jobs.folder(run_id)


@router.get("/runs/{run_id}/figures", summary="Interactive figures of a run")
def run_figures_json(request: Request, run_id: str) -> dict[str, Any]:
    """Plotly figures (``data`` + ``layout``) with title and caption, as in the report."""
    folder = _done_folder(_state(request), run_id)
    stored = folder / "figures.json"
    if stored.is_file():
        return {"figures": json.loads(stored.read_text(encoding="utf-8"))}
    return {
        "figures": [
            {"id": f"figure-{k}", "title": "", "caption": "", "figure": figure_json(f)}
            for k, f in enumerate(run_figures(folder))
        ]
    }


@router.get("/runs/{run_id}/report.html", summary="Download the HTML report")
def run_report(request: Request, run_id: str) -> HTMLResponse:
    """A self-contained HTML report of the run (works offline)."""
    state = _state(request)
    folder = _done_folder(state, run_id)
    rec = _record(state, run_id)
    disp = {
        "Content-Disposition": f'attachment; filename="parley-{run_id}.html"',
        "Content-Security-Policy": REPORT_CSP,
    }
    if (folder / "report.html").is_file():
        return HTMLResponse((folder / "report.html").read_text(encoding="utf-8"), headers=disp)
    page = report_html(f"parley run {run_id}: {rec.get('scenario_name')}", rec, run_figures(folder))
    return HTMLResponse(page, headers=disp)


@router.get("/runs/{run_id}/data.{fmt}", summary="Download the forecast table")
def run_data(
    request: Request, run_id: str, fmt: Literal["csv", "parquet"], table: str = "forecasts"
) -> Response:
    """A tidy table of the run (see :data:`TABLES`) as CSV or Parquet."""
    folder = _done_folder(_state(request), run_id)
    if table not in TABLES:
        raise HTTPException(422, f"table must be one of {', '.join(TABLES)}")
    path = folder / f"{table}.parquet"
    if not path.is_file():
        raise HTTPException(404, f"run '{run_id}' has no {table} table")
    name = f"parley-{run_id}-{table}.{fmt}"
    disp = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "parquet":
        return FileResponse(path, media_type="application/vnd.apache.parquet", headers=disp)
    csv = pd.read_parquet(path).to_csv(index=False)
    return Response(csv, media_type="text/csv", headers=disp)


@router.get("/runs/{run_id}/scenario.yaml", summary="Download the scenario of a run")
def run_scenario(request: Request, run_id: str) -> FileResponse:
    """The scenario file exactly as it was run."""
    folder = _done_folder(_state(request), run_id)
    return FileResponse(
        folder / "scenario.yaml",
        media_type="application/x-yaml",
        filename=f"parley-{run_id}-scenario.yaml",
    )


@router.get("/compare", summary="Compare runs side by side")
def compare_runs(request: Request, ids: list[str] = Query(...)) -> dict[str, Any]:
    """One figure with the forecasts of every listed run, plus their records."""
    state = _state(request)
    runs = []
    for run_id in ids[:8]:
        table = _done_folder(state, run_id) / "forecasts.parquet"
        if not table.is_file():
            raise HTTPException(409, f"run '{run_id}' has no stakeholder forecasts to compare")
        runs.append((run_id, pd.read_parquet(table)))
    return {
        "figure": figure_json(compare_figure(runs)),
        "runs": [_record(state, r) for r in ids[:8]],
    }
