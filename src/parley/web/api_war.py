"""The dashboard's war runs: what can be compared, the check before a run, and starting one.

``POST /api/war/choices`` lists a scenario's policies and assumption sets (in words);
``POST /api/war/check`` runs :func:`parley.web.war_check.check_war_run`, the same function a war
run calls before it simulates, so the check and the run accept and refuse the same requests with
the same messages; ``POST /api/runs`` with ``kind: "war"`` starts one (:func:`start_war`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from parley.seeds import DEFAULT_SEED
from parley.web.jobs import LimitError
from parley.web.library import check_scenario_data
from parley.web.state import WebState, field_errors, web_state
from parley.web.war_check import assumption_choices, check_war_run, policy_choices, war_paths

router = APIRouter(prefix="/api")

#: Runs per cell of a war run unless the request says otherwise (the demo's size).
DEFAULT_WAR_RUNS = 100


class WarChoices(BaseModel):
    """An (edited) scenario whose policies and assumption sets are asked for."""

    scenario: dict[str, Any]


class WarCheck(BaseModel):
    """A war run to check: the scenario, the policies and sets to compare, runs and seed."""

    scenario: dict[str, Any]
    policies: list[str] = Field(default_factory=list, description="At least two policies.")
    assumptions: list[str] = Field(default_factory=list, description="Assumption sets (names).")
    n_runs: int = Field(default=DEFAULT_WAR_RUNS, description="Paired runs per cell.")
    seed: int = Field(default=DEFAULT_SEED, description="Root seed (parley.seeds.DEFAULT_SEED).")


@router.post("/war/choices", summary="Policies and assumption sets a war run can compare")
def war_choices(body: WarChoices) -> JSONResponse:
    """The policies and the assumption sets (the report's combinations, then each group alone)
    of the scenario, with their names in words; 422 if the scenario itself is invalid."""
    scenario, errors = check_scenario_data(body.scenario)
    if scenario is None:
        return field_errors(errors)
    spec = scenario.experiment
    sets = assumption_choices(scenario) if spec is not None else []
    return JSONResponse(
        {
            "ok": True,
            "war": scenario.war is not None and spec is not None,
            "policies": policy_choices(scenario) if spec is not None else [],
            "assumptions": sets,
            "groups": list(spec.assumptions) if spec is not None else [],
            "parameters": war_paths(scenario),
            "default_runs": DEFAULT_WAR_RUNS,
            "default_seed": DEFAULT_SEED,
        }
    )


@router.post("/war/check", summary="Check a war run exactly as the run checks itself")
def war_check(request: Request, body: WarCheck) -> JSONResponse:
    """200 with the size of the run, or 422 with every problem located by field."""
    limit = web_state(request).limits.max_mc_runs
    plan, errors = check_war_run(
        body.scenario, body.policies, body.assumptions, body.n_runs, body.seed, limit
    )
    if plan is None:
        return field_errors(errors)
    cells = len(plan.design.cells)
    return JSONResponse(
        {"ok": True, "cells": cells, "runs": cells * plan.n_runs, "chunks": plan.design.n_chunks}
    )


def start_war(
    state: WebState,
    scenario: dict[str, Any],
    policies: list[str],
    assumptions: list[str],
    n_runs: int,
    seed: int,
    label: str,
) -> JSONResponse:
    """Check the war run (:func:`check_war_run`) and queue it; 422, 429 or 507 otherwise."""
    plan, errors = check_war_run(
        scenario, policies, assumptions, n_runs, seed, state.limits.max_mc_runs
    )
    if plan is None:
        return field_errors(errors)
    main = plan.scenario
    request = {
        "kind": "war",
        "variants": [{"name": "baseline", "scenario": main.model_dump(mode="json")}],
        "policies": list(plan.policies),
        "assumptions": list(plan.sets),
        "n_runs": n_runs,
        "seed": seed,
        "models": [],
    }
    info = {
        "kind": "war",
        "label": label
        or f"{len(plan.policies)} policies × {len(plan.sets)} sets, "
        f"{n_runs} runs each, seed {seed}",
        "scenario_id": main.id,
        "scenario_name": main.name or main.id,
        "n_actors": len(main.actors),
        "n_issues": len(main.issues),
        "models": ["war"],
        "variants": ["baseline"],
        "policies": list(plan.policies),
        "assumptions": list(plan.sets),
        "n_runs": n_runs,
        "seed": seed,
    }
    try:
        record = state.jobs.submit(request, info)
    except LimitError as exc:
        status = 507 if "results folder" in str(exc) else 429
        return JSONResponse({"ok": False, "detail": str(exc)}, status_code=status)
    return JSONResponse(record, status_code=202)
