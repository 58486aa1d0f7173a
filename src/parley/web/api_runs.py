"""The dashboard's runs: start in the background, follow, cancel, delete, figures, downloads, compare.

A run is a forecast or a comparison of scenario variants (:mod:`parley.web.runner`), a full
analysis as in the report (:mod:`parley.web.report_job`) or a war run (:mod:`parley.web.war_run`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from parley.negotiation.registry import DEFAULT_MODELS, MODELS, unknown_model_message
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED
from parley.web.api_war import start_war
from parley.web.figures import compare_figure, figure_json, run_figures
from parley.web.jobs import LimitError
from parley.web.library import (
    check_scenario_data,
)
from parley.web.report_page import run_report_html
from parley.web.runner import model_catalog
from parley.web.security import REPORT_CSP
from parley.web.state import (
    WebState,
    load_key,
    web_state,
)
from parley.web.war_run import WAR_TABLES

router = APIRouter(prefix="/api")

#: Tables a run may have: forecasts and input stances always; the others depending on the kind.
TABLES = ("forecasts", "positions", "history", "samples", "parameters", *WAR_TABLES)


class Variant(BaseModel):
    """One scenario of a comparison: from the library (``scenario_key``) or inline (``scenario``)."""

    name: str = Field(min_length=1, max_length=80)
    scenario_key: str | None = None
    scenario: dict[str, Any] | None = None


class RunRequest(BaseModel):
    """Start a run: a forecast of one scenario, or a comparison of several variants."""

    kind: Literal["forecast", "compare", "analysis", "war"] = Field(
        default="forecast",
        description="forecast: the chosen models on one scenario; compare: on several variants; "
        "analysis: the full report pipeline (Monte Carlo bands, war simulation and policy "
        "comparison when the scenario has them), in a child process; war: the chosen policies "
        "under the chosen assumption sets, as parley compare runs them, with the report's "
        "comparison and robustness tables.",
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
    policies: list[str] = Field(default_factory=list, description="Policies of a war run.")
    assumptions: list[str] = Field(
        default_factory=list, description="Assumption sets of a war run (see /api/war/choices)."
    )
    n_runs: int = Field(
        default=200,
        ge=1,
        description="Monte Carlo runs of an analysis; runs per cell of a war run.",
    )
    seed: int = Field(
        default=DEFAULT_SEED, ge=0, description="Seed of the run (stochastic models, analysis)."
    )


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
    return dict(web_state(request).limits.__dict__)


def _variant_data(state: WebState, key: str | None, data: dict[str, Any] | None, where: str) -> Any:
    if data is not None:
        return data
    if key is None:
        raise HTTPException(422, f"{where}: give 'scenario' or 'scenario_key'")
    return load_key(state, key)[0].model_dump(mode="json")


@router.post("/runs", status_code=202, summary="Start a run in the background")
def start_run(request: Request, body: RunRequest) -> JSONResponse:
    """Queue a forecast or comparison; 422 for a bad scenario, 429 / 507 when a limit is reached."""
    state = web_state(request)
    if body.kind == "war":
        data = _variant_data(state, body.scenario_key, body.scenario, "scenario")
        return start_war(
            state, data, body.policies, body.assumptions, body.n_runs, body.seed, body.label
        )
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
    state = web_state(request)
    running, queued = state.jobs.active_count()
    return {"runs": state.jobs.list(), "running": running, "queued": queued}


@router.get("/runs/{run_id}", summary="One run's status and progress")
def get_run(request: Request, run_id: str) -> dict[str, Any]:
    """The run's record: status, progress in [0, 1], message, timings, summary."""
    return _record(web_state(request), run_id)


@router.post("/runs/{run_id}/cancel", summary="Cancel a run")
def cancel_run(request: Request, run_id: str) -> dict[str, Any]:
    """Cancel a queued run at once, a running one at its next step."""
    rec = web_state(request).jobs.cancel(run_id)
    if rec is None:
        raise HTTPException(404, f"no run '{run_id}'")
    return rec


@router.delete("/runs/{run_id}", summary="Delete a finished run")
def delete_run(request: Request, run_id: str) -> dict[str, Any]:
    """Remove a run and its outputs (cancel it first if it is active)."""
    try:
        if not web_state(request).jobs.delete(run_id):
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
    folder = _done_folder(web_state(request), run_id)
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
    state = web_state(request)
    folder = _done_folder(state, run_id)
    disp = {
        "Content-Disposition": f'attachment; filename="parley-{run_id}.html"',
        "Content-Security-Policy": REPORT_CSP,
    }
    if (folder / "report.html").is_file():
        return HTMLResponse((folder / "report.html").read_text(encoding="utf-8"), headers=disp)
    data = state.jobs.request(run_id)
    scenario = Scenario.model_validate(data["variants"][0]["scenario"])
    forecasts = folder / "forecasts.parquet"
    page = run_report_html(
        scenario,
        pd.read_parquet(forecasts) if forecasts.is_file() else None,
        run_figures(folder),
        int(data.get("seed", DEFAULT_SEED)),
    )
    return HTMLResponse(page, headers=disp)


@router.get("/runs/{run_id}/data.{fmt}", summary="Download the forecast table")
def run_data(
    request: Request, run_id: str, fmt: Literal["csv", "parquet"], table: str = "forecasts"
) -> Response:
    """A tidy table of the run (see :data:`TABLES`) as CSV or Parquet."""
    folder = _done_folder(web_state(request), run_id)
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
    folder = _done_folder(web_state(request), run_id)
    return FileResponse(
        folder / "scenario.yaml",
        media_type="application/x-yaml",
        filename=f"parley-{run_id}-scenario.yaml",
    )


@router.get("/compare", summary="Compare runs side by side")
def compare_runs(request: Request, ids: list[str] = Query(...)) -> dict[str, Any]:
    """One figure with the forecasts of every listed run, plus their records."""
    state = web_state(request)
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
