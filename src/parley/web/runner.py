"""What a dashboard run computes: every requested stakeholder model on every scenario variant.

A request is ``{"kind": "forecast" | "compare", "variants": [{"name", "scenario"}], "models": [...]}``.
All variants are stacked into one :class:`~parley.scenario.arrays.StakeholderBatch` and each model is
called once for the whole batch (:func:`parley.negotiation.registry.run_model`), so a policy or
assumption comparison costs one vectorised call per model. Results are written as tidy Parquet tables
in the run's folder:

- ``forecasts.parquet``: variant, model, issue, forecast on the issue's scale, reference, actual outcome;
- ``positions.parquet``: the input stances (variant, actor, issue, position, salience, capability);
- ``history.parquet``: positions per round for iterative models (EUM, SMP, exchange), if any;
- ``scenario.yaml``: the scenario of the first variant, as run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from parley.negotiation.registry import MODELS, run_model
from parley.negotiation.tables import forecast_rows
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.load import parse_scenario
from parley.seeds import DEFAULT_SEED
from parley.web.jobs import JobContext
from parley.web.report_job import run_analysis
from parley.web.tables import nan_to_none, positions_table, scenario_yaml
from parley.web.war_run import run_war


def run_stakeholder_models(request: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Run each requested model once over all scenario variants; write tables; return a summary."""
    variants = request["variants"]
    models = list(request["models"])
    names = [str(v["name"]) for v in variants]
    scenarios = [parse_scenario(v["scenario"]) for v in variants]
    ctx.progress(0.02, "preparing arrays")
    batch = stakeholder_batch(scenarios)
    rows: list[dict[str, Any]] = []
    hist_rows: list[dict[str, Any]] = []
    failures: dict[str, str] = {}
    for j, model in enumerate(models):
        ctx.check()
        ctx.progress(0.05 + 0.85 * j / len(models), f"running {model}")
        result = run_model(model, batch, seed=int(request.get("seed", DEFAULT_SEED)))
        rows.extend(forecast_rows(scenarios, model, result, names))
        for b, sc in enumerate(scenarios):
            if result.history is not None:
                hist = result.history[b]
                for s in range(hist.shape[0]):
                    for a, actor in enumerate(sc.actors):
                        for k, issue in enumerate(sc.issues):
                            if np.isfinite(hist[s, a, k]):
                                hist_rows.append(
                                    {
                                        "variant": names[b],
                                        "model": model,
                                        "state": s,
                                        "actor": actor.id,
                                        "issue": issue.id,
                                        "position": float(hist[s, a, k]),
                                    }
                                )
    ctx.check()
    if not rows:
        detail = "; ".join(f"{m}: {why}" for m, why in failures.items())
        raise RuntimeError(f"no model could be run ({detail})")
    ctx.progress(0.92, "writing results")
    out = ctx.out_dir
    forecasts = pd.DataFrame(rows)
    forecasts.to_parquet(out / "forecasts.parquet", index=False)
    positions = positions_table(names, scenarios)
    positions.to_parquet(out / "positions.parquet", index=False)
    if hist_rows:
        pd.DataFrame(hist_rows).to_parquet(out / "history.parquet", index=False)
    (out / "scenario.yaml").write_text(scenario_yaml(scenarios[0]), encoding="utf-8")
    summary: dict[str, Any] = {"forecasts": {}, "failures": failures, "variants": names}
    for r in rows:
        key = f"{r['variant']} / {r['model']}"
        summary["forecasts"].setdefault(key, {})[r["issue"]] = nan_to_none(r["forecast"])
    return summary


def model_catalog() -> list[dict[str, Any]]:
    """The registered stakeholder models (all ship with parley, so every one is available)."""
    return [{"id": model_id, "available": True} for model_id in MODELS]


def run_job(request: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """The dashboard's default runner: dispatch on the request's ``kind``.

    ``forecast`` and ``compare`` run the stakeholder models in this process
    (:func:`run_stakeholder_models`); ``analysis`` runs the report pipeline in a child process
    (:func:`parley.web.report_job.run_analysis`); ``war`` compares policies under assumption sets
    in this process (:func:`parley.web.war_run.run_war`).
    """
    if request.get("kind") == "analysis":
        return run_analysis(request, ctx)
    if request.get("kind") == "war":
        return run_war(request, ctx)
    return run_stakeholder_models(request, ctx)
