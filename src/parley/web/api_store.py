"""The dashboard's view of the run store: sweeps of ``parley compare``, ``sensitivity``, ``discover``."""

from __future__ import annotations

import io
from typing import Any, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from parley.experiments.store import RunStore, has_store
from parley.scenario.errors import ScenarioError
from parley.web.state import (
    WebState,
    web_state,
)

router = APIRouter(prefix="/api")


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
    state = web_state(request)
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
    store, rid = _store_run(web_state(request), run_id)
    manifest: dict[str, Any] = store.manifest(rid)
    return manifest


@router.get("/store/{run_id}/data.{fmt}", summary="Download the rows of a stored sweep")
def store_data(request: Request, run_id: str, fmt: Literal["csv", "parquet"]) -> Response:
    """Every per-run row of the sweep (all chunks, read through DuckDB) as CSV or Parquet."""
    store, rid = _store_run(web_state(request), run_id)
    frame = store.load(rid)
    name = f"parley-{rid}.{fmt}"
    disp = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return Response(frame.to_csv(index=False), media_type="text/csv", headers=disp)
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return Response(buf.getvalue(), media_type="application/vnd.apache.parquet", headers=disp)
