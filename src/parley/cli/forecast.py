"""``parley forecast``: forecast negotiation outcomes of a scenario file with stakeholder models."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import typer

from parley.cli import app, fail
from parley.negotiation._weights import actor_weights
from parley.negotiation.median import weighted_median
from parley.negotiation.registry import (
    DEFAULT_MODELS,
    ModelResult,
    check_model_id,
    run_model,
)
from parley.negotiation.tables import forecast_rows
from parley.scenario.arrays import StakeholderBatch, stakeholder_batch
from parley.scenario.load import FORMATS, load_scenarios
from parley.scenario.prepare import ACTIVE_ACTOR_MODELS, drop_inactive_actors, summarise_notes
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _history_rows(
    batch: StakeholderBatch, result: ModelResult, b: int, k: int
) -> list[dict[str, Any]]:
    """Per state: every actor's position on all dimensions of scenario b, and issue k's median/mean."""
    hist = result.history
    assert hist is not None
    n_actors = len(batch.actor_ids[b])
    n_issues = len(batch.issue_ids[b])
    med = result.extra.get("median")
    mean = result.extra.get("mean")
    rows = []
    for t in range(hist.shape[1]):
        state = hist[b, t, :n_actors, :n_issues]
        if np.all(np.isnan(state)):
            break
        positions = {
            actor: [_num(v) for v in state[a]] for a, actor in enumerate(batch.actor_ids[b])
        }
        if med is not None and mean is not None:
            m, mu = _num(med[b, t, k]), _num(mean[b, t, k])
        else:
            w = actor_weights(batch)[b, :n_actors, k]
            x = hist[b, t, :n_actors, k]
            m = _num(float(weighted_median(x[None, :], w[None, :], axis=1)[0]))
            ok = (w > 0) & ~np.isnan(x)
            mu = _num(float((w[ok] * x[ok]).sum() / w[ok].sum())) if ok.any() else None
        rows.append({"positions": positions, "median": m, "mean": mu})
    return rows


def forecast_table(
    scenarios: list[Scenario],
    models: list[str],
    history: bool = False,
    seed: int = DEFAULT_SEED,
    notes: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Forecast every issue of every scenario; one dict per issue (the JSON ``issues`` list).

    ``seed`` drives the stochastic models (exchange, SMP); the same seed gives the same numbers.
    Models in :data:`parley.scenario.prepare.ACTIVE_ACTOR_MODELS` run without actors of zero
    capability or salience (the step ``parley validate`` uses too); what they dropped is added to
    ``notes`` (model -> list) when given, and so are scenarios a model cannot forecast (the
    others are still forecast, without that model's history).
    """
    batch = stakeholder_batch(scenarios)
    batches: dict[str, StakeholderBatch] = {}
    results: dict[str, ModelResult] = {}
    for m in models:
        batches[m], used = batch, scenarios
        if m in ACTIVE_ACTOR_MODELS:
            used, dropped = drop_inactive_actors(scenarios)
            if dropped:
                batches[m] = stakeholder_batch(used)
                if notes is not None:
                    notes[m] = dropped
        try:
            results[m] = run_model(m, batches[m], seed=seed)
        except ValueError:
            if len(scenarios) == 1:
                raise
            # One scenario the model cannot handle must not stop the others (no history then).
            from parley.analysis.validation import forecast_each_on_failure

            out, failed = forecast_each_on_failure(m, used, seed)
            results[m] = ModelResult(outcome=out)
            if notes is not None:
                notes.setdefault(m, []).extend(failed)
    per_model = {m: forecast_rows(scenarios, m, r) for m, r in results.items()}
    if not per_model:
        return []
    cells = [(b, k) for b, sc in enumerate(scenarios) for k in range(len(sc.issues))]
    issues: list[dict[str, Any]] = []
    for j, (b, k) in enumerate(cells):
        first = next(iter(per_model.values()))[j]
        issue_id, sc_id = str(first["issue"]), str(first["scenario"])
        entry: dict[str, Any] = {
            "id": issue_id if len(scenarios) == 1 or issue_id == sc_id else f"{sc_id}/{issue_id}",
            "scenario": sc_id,
            "forecasts": {m: _num(rows[j]["forecast"]) for m, rows in per_model.items()},
        }
        if first["actual"] is not None:
            entry["outcome"] = first["actual"]
        if history:
            entry["history"] = {
                m: _history_rows(batches[m], r, b, k)
                for m, r in results.items()
                if r.history is not None
            }
            if len(entry["history"]) == 1:
                entry["history"] = next(iter(entry["history"].values()))
        issues.append(entry)
    return issues


@app.command()
def forecast(
    file: Path = typer.Argument(
        ..., help="Scenario file (YAML/JSON, DEU TSV, KTAB/EUM/exchange CSV)."
    ),
    model: list[str] = typer.Option(
        list(DEFAULT_MODELS), "--model", "-m", help="Model id; repeat for several."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv."),
    input_format: str | None = typer.Option(
        None, "--input-format", help=f"Force the input format: {', '.join(FORMATS)}."
    ),
    history: bool = typer.Option(False, "--history", help="Add each model's rounds (JSON only)."),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", help="Seed of the stochastic models (exchange ties, SMP)."
    ),
) -> None:
    """Forecast the outcome of every issue in FILE with each model."""
    for m in model:
        check_model_id(m)
    if fmt not in ("table", "json", "csv"):
        raise fail(f"unknown --format '{fmt}', expected table, json or csv")
    if input_format is not None and input_format not in FORMATS:
        raise fail(f"unknown --input-format '{input_format}', expected one of {', '.join(FORMATS)}")
    scenarios = load_scenarios(file, input_format)
    notes: dict[str, list[str]] = {}
    rows = forecast_table(
        scenarios, model, history=history and fmt == "json", seed=seed, notes=notes
    )
    if fmt == "json":
        doc: dict[str, Any] = {"issues": rows}
        if notes:
            doc["notes"] = notes
        typer.echo(json.dumps(doc, indent=1))
        return
    for m, dropped in notes.items():
        typer.echo(summarise_notes(m, dropped), err=True)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["issue", *model, "outcome"])
        for r in rows:
            writer.writerow([r["id"], *(r["forecasts"][m] for m in model), r.get("outcome", "")])
        typer.echo(buf.getvalue().rstrip("\n"))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Forecasts for {file.name}")
    table.add_column("issue")
    for m in model:
        table.add_column(m, justify="right")
    table.add_column("outcome", justify="right")
    for r in rows:
        cells = ["—" if r["forecasts"][m] is None else f"{r['forecasts'][m]:.2f}" for m in model]
        out = r.get("outcome")
        table.add_row(str(r["id"]), *cells, "" if out is None else f"{out:g}")
    Console().print(table)
