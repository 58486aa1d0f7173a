"""The dashboard's war run: the chosen policies under the chosen assumption sets, as in the report.

The run is the comparison of ``parley compare`` (the sweep of
:func:`parley.analysis.workflows.compare`, the same design and seed, the war outcome model
:func:`parley.experiments.war_outcomes.war_outcomes_model`), so a run with seed ``S`` and ``n`` runs per cell
gives the numbers ``parley compare --seed S --runs n`` gives. Its per-run rows are then summarised
by the report's own functions — the cells table (:func:`parley.analysis.war_measures.cell_measures`), the
curves, the front fan, regret and satisficing (:mod:`parley.analysis.robustness`) — into a
:class:`parley.analysis.war_analysis.WarAnalysis`, whose answer paragraph, key table, "holds up" table and
figures come from :mod:`parley.report.answer`, :mod:`parley.report.war_figures` and the one HTML
writer :func:`parley.report.html.render_html`. Scenario discovery and the sensitivity indices are
left to ``parley report`` (they need designs of their own).

Progress is counted: the sweep reports each finished cell (chunk) of the design, then each
assumption set of the front fan.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from parley.analysis.front_fan import front_fan
from parley.analysis.robustness import (
    max_regret,
)
from parley.analysis.war_analysis import WarAnalysis, WarSizes, summarise_runs
from parley.analysis.war_measures import settle_months
from parley.experiments.evaluators import LocalEvaluator
from parley.experiments.sweep import run_sweep
from parley.experiments.war_outcomes import WAR_OUTCOMES_MODEL
from parley.report.answer import answer_paragraph, key_table
from parley.report.assumption_sets import plain_name, policy_name
from parley.report.figures import report_figures
from parley.report.formatting import comparison_display
from parley.report.html import render_html
from parley.report.pipeline import scenario_analysis
from parley.report.robustness_words import robustness_caption
from parley.web.jobs import JobContext
from parley.web.tables import scenario_yaml
from parley.web.war_check import WarPlan, plan_from_request

#: Largest front fan per assumption set (the report's bound).
MAX_FAN_RUNS = 500

#: Tables of a war run, written as ``<name>.parquet`` and downloadable as CSV or Parquet.
WAR_TABLES = ("runs", "comparison", "regret", "satisficing", "differences")


class CountingEvaluator(LocalEvaluator):
    """The local evaluator, calling ``tell(done, total)`` after each task (and checking cancel)."""

    def __init__(self, tell: Callable[[int, int], None]) -> None:
        self._tell = tell

    def imap_unordered(
        self, fn: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        """Yield ``(position, fn(task))`` one task after another, reporting each one done."""
        for k, task in enumerate(tasks):
            result = fn(task)
            self._tell(k + 1, len(tasks))
            yield k, result


def _sweep(plan: WarPlan, ctx: JobContext) -> pd.DataFrame:
    """The per-run rows of the comparison (inputs and outcomes), with the columns the report's
    tables read."""
    sc = plan.scenario
    assert sc.war is not None
    cells = len(plan.design.cells)
    n = plan.n_runs

    def tell(done: int, total: int) -> None:
        runs = done * cells * n // total
        ctx.progress(
            0.85 * done / total,
            f"simulated {runs:,} of {cells * n:,} runs ({done} of {total} cells)",
        )

    ctx.progress(0.0, f"simulating {cells} cells of {n:,} runs")
    sw = run_sweep(
        sc, plan.design, WAR_OUTCOMES_MODEL, executor=CountingEvaluator(tell), kind="compare"
    )
    # every run's drawn inputs beside its outcomes (the design point it ran)
    points = sw.points().drop(columns=["policy", "assumptions"])
    runs = sw.frame.merge(points, on=["cell", "point"], how="left", validate="many_to_one")
    names = {"+".join(groups): name for name, groups in plan.sets.items()}
    runs["assumptions"] = runs["assumptions"].map(names)
    sides = (sc.war.sides.A, sc.war.sides.B)
    runs["casualties_total"] = sum(runs[f"casualties.{s}"].astype(float) for s in sides)
    runs["settle_months"] = settle_months(runs, sc.war.time.step_days)
    return runs


def _fan(plan: WarPlan, ctx: JobContext) -> pd.DataFrame:
    """The front if no talks open, per assumption set (:func:`parley.analysis.front_fan.front_fan`)."""
    frames = []
    sets = list(plan.sets.items())
    for k, (name, groups) in enumerate(sets):
        ctx.progress(0.85 + 0.1 * k / len(sets), f"front fan: set {k + 1} of {len(sets)}")
        frames.append(
            front_fan(plan.scenario, [groups], min(plan.n_runs, MAX_FAN_RUNS), plan.seed, [name])
        )
    return pd.concat(frames, ignore_index=True)


def war_analysis(plan: WarPlan, runs: pd.DataFrame, fan: pd.DataFrame) -> WarAnalysis:
    """The report's war analysis of a sweep's rows (no discovery, no sensitivity indices)."""
    war = summarise_runs(
        plan.scenario, runs, policies=list(plan.policies), sets=dict(plan.sets), fan=fan,
        sizes=WarSizes(plan.n_runs, 0, 0, 0, 0, 0), seeds=(plan.seed,),
        notes=(
            "Scenario discovery and sensitivity indices are not part of a dashboard war "
            "run; `parley report` computes them.",
        ),
    )  # fmt: skip
    # the page lists the chosen sets by their names in words
    sets = war.assumption_sets.assign(
        assumptions=war.assumption_sets["assumptions"].map(plain_name)
    )
    return dataclasses.replace(war, assumption_sets=sets)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON rows (NaN as None)."""
    clean = frame.astype(object).where(pd.notna(frame), None)
    return [{str(k): v for k, v in r.items()} for r in clean.to_dict("records")]


def war_summary(war: WarAnalysis) -> dict[str, Any]:
    """What the page shows: the answer, the key and comparison tables, the robustness tables."""
    holds = []
    for _, r in war.holds_up.iterrows():
        row: dict[str, Any] = {"assumptions": plain_name(str(r["assumptions"])),
                               "best_policy": policy_name(war, str(r["best_policy"]))}  # fmt: skip
        for p in war.policies["policy"]:
            reg, lo, hi, sh, slo, shi = r[p]
            row[policy_name(war, str(p))] = {"regret": reg, "lo": lo, "hi": hi, "share": sh,
                                              "share_lo": slo, "share_hi": shi}  # fmt: skip
        holds.append(row)
    worst = max_regret(war.regret[war.regret["assumptions"] != "baseline"])
    worst = worst.assign(policy=[policy_name(war, str(p)) for p in worst["policy"]])
    return {
        "answer": answer_paragraph(war),
        "key_table": _records(key_table(war, list(war.combos))),
        "comparison": _records(comparison_display(war)),
        "holds_up": holds,
        "max_regret": _records(worst),
        "robustness_caption": robustness_caption(war),
        "thresholds": war.thresholds,
        "n_runs": war.n_runs,
        "policies": [policy_name(war, str(p)) for p in war.policies["policy"]],
        "assumptions": [plain_name(s) for s in war.combos],
        "notes": list(war.notes),
    }


def run_war(request: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Check (:func:`parley.web.war_check.check_war_run`), simulate, summarise and write a war run.

    Writes ``runs``, ``comparison``, ``regret``, ``satisficing`` and ``differences`` as Parquet,
    the report's figures (``figures.json``), the report (``report.html``) and ``scenario.yaml``.
    """
    plan = plan_from_request(request)
    runs = _sweep(plan, ctx)
    fan = _fan(plan, ctx)
    ctx.progress(0.95, "summarising and writing the report")
    war = war_analysis(plan, runs, fan)
    analysis = scenario_analysis(
        plan.scenario, parameters=war.parameters, war=war, n_runs=plan.n_runs, seed=plan.seed,
        notes=war.notes,
    )  # fmt: skip
    figures = report_figures(analysis)
    out = ctx.out_dir
    for name, frame in (("runs", runs), ("comparison", war.cells), ("regret", war.regret),
                        ("satisficing", war.satisficing), ("differences", war.differences)):  # fmt: skip
        frame.to_parquet(out / f"{name}.parquet", index=False)
    figs = [{"id": f.id, "section": f.section, "title": f.title, "caption": f.caption,
             "figure": json.loads(f.figure.to_json())} for f in figures]  # fmt: skip
    (out / "figures.json").write_text(json.dumps(figs), encoding="utf-8")
    (out / "report.html").write_text(render_html(analysis, figures), encoding="utf-8")
    (out / "scenario.yaml").write_text(scenario_yaml(plan.scenario), encoding="utf-8")
    summary = war_summary(war)
    summary["n_rows"] = int(len(runs))
    summary["seed"] = plan.seed
    return plain_json(summary)


def plain_json(x: Any) -> Any:
    """``x`` with numpy scalars as Python numbers and NaN or infinite floats as None (JSON)."""
    if isinstance(x, dict):
        return {str(k): plain_json(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [plain_json(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x
