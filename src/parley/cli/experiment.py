"""``parley compare``, ``parley sensitivity`` and ``parley discover``: experiments on a scenario.

Each verb builds a design from the scenario's ``experiment`` section (uncertainties, assumption
sets, policies), runs it as a chunked, stored and resumable sweep on the chosen executor
(:mod:`parley.experiments.sweep`) and prints one analysis of :mod:`parley.analysis.workflows`:

- ``compare``: paired differences of every outcome measure between policies, with t intervals
  that use the pairing of common random numbers (and Welch's unpaired interval beside them);
- ``sensitivity``: Sobol' S1/ST (Saltelli design), Morris μ*/σ or one-at-a-time swings;
- ``discover``: PRIM scenario discovery for the points where an outcome expression holds.

Results go to a run store (``--results``, default ``parley-results``), which ``parley runs``
queries. A progress bar with an ETA is shown on a terminal; Ctrl-C stops cleanly, keeping the
completed chunks, and ``--resume`` continues the run.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import typer

from parley.cli import app, fail
from parley.cli._json import json_safe
from parley.cli.options import (
    ChunkRunsOpt,
    ExecutorOpt,
    FormatOpt,
    ModelOpt,
    NewRunOpt,
    ProgressOpt,
    ResultsOpt,
    ResumeOpt,
    SchedulerOpt,
    SeedOpt,
    WorkersOpt,
    check_sweep,
)
from parley.experiments.design import BASELINE, parse_combo
from parley.experiments.evaluators import EXECUTORS
from parley.experiments.models import default_model
from parley.experiments.store import results_dir
from parley.experiments.sweep import SweepInterrupted, SweepResult
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED


def fmt_num(x: Any) -> str:
    """A number for a table: ``n/a`` for NaN, thousands separators for large magnitudes."""
    if x is None:
        return "n/a"
    v = float(x)
    if not math.isfinite(v):
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    if v != 0 and abs(v) < 0.001:
        return f"{v:.2e}"
    return f"{v:.3f}"


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-safe records."""
    out: list[dict[str, Any]] = json_safe(frame.to_dict(orient="records"))
    return out


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise fail(f"unknown --format '{fmt}', expected table or json")


def _run_options(
    scenario: Scenario,
    *,
    model: str | None,
    executor: str,
    workers: int,
    scheduler: str | None,
    results: Path | None,
    resume: bool,
    progress: bool | None,
    chunk_runs: int,
    new_run: bool = False,
) -> Any:
    from parley.analysis.workflows import RunOptions
    from parley.experiments.models import resolve_model

    if scheduler and executor == "local":
        executor = "dask"  # an address only makes sense for Dask
    if executor not in EXECUTORS:
        raise fail(f"unknown --executor '{executor}', expected one of {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise fail("--scheduler needs --executor dask")
    if workers < 1:
        raise fail("--workers must be at least 1")
    if chunk_runs < 1:
        raise fail("--chunk-runs must be at least 1")
    name = model or default_model(scenario)
    resolve_model(name)  # unknown model -> ScenarioError (one line, exit 2)
    show = sys.stderr.isatty() if progress is None else progress
    return RunOptions(
        model=name,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        results=results_dir(results),
        resume=resume and not new_run,
        progress=show,
        chunk_runs=chunk_runs,
    )


@contextmanager
def sweep_errors(scenario: Path) -> Iterator[None]:
    """Turn a user's mistake into one line and exit 2, Ctrl-C into a clean stop with exit 130."""
    try:
        yield
    except SweepInterrupted as exc:
        typer.echo(f"stopped: {exc}", err=True)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        typer.echo(
            "stopped by Ctrl-C (stored chunks, if any, are kept; rerun with --resume)", err=True
        )
        raise typer.Exit(130) from None
    except ScenarioError as exc:
        if exc.field and exc.field.startswith("--"):  # an option's value, not the file
            raise
        raise exc.located(file=scenario) from None


def _combos(assumptions: Sequence[str]) -> list[tuple[str, ...]]:
    return [parse_combo(a) for a in assumptions] if assumptions else [()]


def _stored(sw: SweepResult, opts: Any) -> str:
    return f"run {sw.run_id} in {opts.results}" if sw.run_id else "not stored"


def _load(path: Path) -> Scenario:
    sc = load_scenario(path)
    if sc.experiment is None:
        raise ScenarioError(
            "the scenario has no 'experiment' section (uncertainties, assumptions, policies)",
            file=path,
            field="experiment",
        )
    return sc


@app.command("compare")
def compare_cmd(
    scenario: Path = typer.Argument(..., help="Scenario file with an 'experiment' section."),
    policy: list[str] = typer.Option(
        ..., "--policy", "-p", help="Policy name; repeat (the first is the reference)."
    ),
    assumptions: list[str] = typer.Option(
        [], "--assumptions", "-a", help="Assumption set, or sets joined by '+'; repeat."
    ),
    runs: int = typer.Option(1000, "--runs", "-n", help="Paired runs per policy and set."),
    seed: SeedOpt = DEFAULT_SEED,
    outcome: list[str] = typer.Option(
        [], "--outcome", help="Extra measure as an outcome expression; repeat."
    ),
    all_measures: bool = typer.Option(False, "--all", help="Also show measures outside groups."),
    conf: float = typer.Option(0.95, "--conf", help="Confidence level of the intervals."),
    model: ModelOpt = None,
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = 2,
    scheduler: SchedulerOpt = None,
    results: ResultsOpt = None,
    resume: ResumeOpt = False,
    new_run: NewRunOpt = False,
    chunk_runs: ChunkRunsOpt = 2000,
    progress: ProgressOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Compare policies: paired differences of every outcome with confidence intervals."""
    from parley.analysis.compare import measure_group, outcome_measures
    from parley.analysis.workflows import compare

    _check_format(fmt)
    if runs < 2:
        raise fail("--runs must be at least 2 (an interval needs two pairs)")
    if not 0 < conf < 1:
        raise fail(f"--conf must lie in (0, 1), got {conf}")
    if len(policy) < 2:
        raise fail("compare needs at least two policies: --policy A --policy B")
    if len(set(policy)) != len(policy):
        raise fail("each --policy must be named once")
    sc = _load(scenario)
    rows = runs * len(policy) * len(_combos(assumptions))
    check_sweep(
        rows=rows, seed=seed, results=results, workers=workers, chunk_runs=chunk_runs, value=runs
    )
    opts = _run_options(
        sc,
        model=model,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        results=results,
        resume=resume,
        progress=progress,
        chunk_runs=chunk_runs,
        new_run=new_run,
    )
    with sweep_errors(scenario):
        result = compare(
            sc,
            policy,
            opts,
            combos=_combos(assumptions),
            runs=runs,
            seed=seed,
            expressions=outcome,
            conf=conf,
        )
    table, sw = result.table, result.sweep
    grouped = outcome_measures(sw.frame, include_other=all_measures)
    if not grouped:  # a model without the war outcomes (a stakeholder model, a test function)
        grouped = outcome_measures(sw.frame, include_other=True)
    shown = [m for _, m in grouped] + list(outcome)
    table = table[table.measure.isin(shown)].copy()
    groups = [("expression" if m in outcome else measure_group(m)) for m in table.measure]
    table.insert(3, "group", groups)
    rank = {m: k for k, m in enumerate(shown)}
    table["_cell"] = table.groupby(["assumptions", "policy"], sort=False).ngroup()
    table["_rank"] = table.measure.map(rank)
    table = table.sort_values(["_cell", "_rank"], kind="stable").drop(columns=["_cell", "_rank"])
    table = table.reset_index(drop=True)
    if fmt == "json":
        out = {
            "scenario": sc.id,
            "run_id": sw.run_id,
            "results": str(opts.results),
            "reference": policy[0],
            "policies": policy,
            "runs": runs,
            "seed": seed,
            "conf": conf,
            "comparisons": records(table),
        }
        typer.echo(json.dumps(out, indent=2))
        return
    typer.echo(
        f"{sc.id}: {len(policy)} policies x {len(_combos(assumptions))} assumption set(s), "
        f"{runs} paired runs each, seed {seed} ({_stored(sw, opts)})"
    )
    level = f"{100 * conf:g}%"
    for (aset, pol), block in table.groupby(["assumptions", "policy"], sort=False):
        typer.echo(f"\n[{aset}] {pol} minus {policy[0]}  (paired {level} CI; unpaired beside it)")
        view = pd.DataFrame(
            {
                "group": block.group,
                "measure": block.measure,
                policy[0]: block.mean_reference.map(fmt_num),
                str(pol): block.mean_policy.map(fmt_num),
                "difference": block.difference.map(fmt_num),
                f"paired {level} CI": [
                    f"[{fmt_num(a)}, {fmt_num(b)}]"
                    for a, b in zip(block.ci_low, block.ci_high, strict=True)
                ],
                "unpaired CI": [
                    f"[{fmt_num(a)}, {fmt_num(b)}]"
                    for a, b in zip(block.unpaired_ci_low, block.unpaired_ci_high, strict=True)
                ],
                "pairs": block.n_pairs.astype(int),
            }
        )
        typer.echo(view.to_string(index=False))
    if (table.n_pairs < runs).any():
        typer.echo(
            "\nnote: measures with fewer pairs are defined only in some runs (terms and durability "
            "need a settlement under both policies); n/a = defined in no pair."
        )


@app.command("sensitivity")
def sensitivity_cmd(
    scenario: Path = typer.Argument(..., help="Scenario file with experiment.uncertainties."),
    method: str = typer.Option("sobol", "--method", "-m", help="sobol, morris or oat."),
    outcome: str | None = typer.Option(
        None, "--outcome", help="Outcome expression (default: settled_by_365d for war)."
    ),
    n: int = typer.Option(
        256, "--n", help="Sobol' base samples (a power of 2) or Morris trajectories."
    ),
    runs_per_point: int = typer.Option(10, "--runs-per-point", "-r", help="Simulations per point."),
    policy: str = typer.Option(BASELINE, "--policy", "-p", help="Policy in force."),
    assumptions: str = typer.Option("", "--assumptions", "-a", help="Assumption sets, '+'-joined."),
    seed: SeedOpt = DEFAULT_SEED,
    levels: int = typer.Option(4, "--levels", help="Morris grid levels."),
    low: float = typer.Option(0.05, "--low", help="OAT low quantile."),
    high: float = typer.Option(0.95, "--high", help="OAT high quantile."),
    model: ModelOpt = None,
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = 2,
    scheduler: SchedulerOpt = None,
    results: ResultsOpt = None,
    resume: ResumeOpt = False,
    new_run: NewRunOpt = False,
    chunk_runs: ChunkRunsOpt = 2000,
    progress: ProgressOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Which uncertain inputs drive an outcome: Sobol' S1/ST, Morris mu*/sigma or OAT swings."""
    from parley.analysis.sensitivity import SensitivityResult
    from parley.analysis.workflows import sensitivity

    _check_format(fmt)
    if method not in ("sobol", "morris", "oat"):
        raise fail(f"unknown --method '{method}', expected sobol, morris or oat")
    if n < 2:
        raise fail("--n must be at least 2")
    if method == "sobol" and n & (n - 1):
        raise fail(
            f"--n must be a power of 2 for Sobol' (Saltelli design), got {n}; try {1 << n.bit_length()}"
        )
    if runs_per_point < 1:
        raise fail("--runs-per-point must be at least 1")
    if not 0 < low < high < 1:
        raise fail(f"--low and --high must satisfy 0 < low < high < 1, got {low}, {high}")
    if levels < 2 or levels % 2:
        raise fail(f"--levels must be an even number >= 2, got {levels}")
    sc = _load(scenario)
    k = len(sc.experiment.uncertainties) if sc.experiment is not None else 0
    rows = n * (k + 2) * runs_per_point
    check_sweep(
        rows=rows,
        seed=seed,
        results=results,
        workers=workers,
        chunk_runs=chunk_runs,
        option="--n",
        value=n,
    )
    opts = _run_options(
        sc,
        model=model,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        results=results,
        resume=resume,
        progress=progress,
        chunk_runs=chunk_runs,
        new_run=new_run,
    )
    expr = outcome or _default_outcome(sc, opts.model)
    with sweep_errors(scenario):
        result = sensitivity(
            sc,
            method,
            expr,
            opts,
            policy=policy,
            combo=parse_combo(assumptions),
            n=n,
            runs_per_point=runs_per_point,
            seed=seed,
            num_levels=levels,
            oat_low=low,
            oat_high=high,
        )
    res, sw = result.detail, result.sweep
    assert isinstance(res, SensitivityResult)
    if fmt == "json":
        out = {
            "scenario": sc.id,
            "run_id": sw.run_id,
            "results": str(opts.results),
            "method": method,
            "outcome": expr,
            "points": sw.design.n_points,
            "runs_per_point": runs_per_point,
            "indices": records(res.table),
            "notes": list(res.notes),
        }
        typer.echo(json.dumps(out, indent=2))
        return
    typer.echo(
        f"{sc.id}: {method} sensitivity of mean '{expr}' over {sw.design.n_points} points x "
        f"{runs_per_point} runs ({_stored(sw, opts)})"
    )
    t = res.table.copy()
    if "ST" in t:
        t = t.sort_values("ST", ascending=False, kind="stable")
    for c in t.columns:
        if c not in ("parameter", "note") and t[c].dtype.kind == "f":
            t[c] = t[c].map(fmt_num)
    flagged: list[tuple[str, str]] = []
    if "note" in t:
        flagged = [(p, n) for p, n in zip(t.parameter, t.note, strict=True) if n]
        t["note"] = ["*" if n else "" for n in t.note]
        if not flagged:
            t = t.drop(columns="note")
    typer.echo(t.to_string(index=False))
    for name, note in flagged:
        typer.echo(f"* {name}: {note}")
    for note in res.notes:
        typer.echo(f"note: {note}")


def _default_outcome(sc: Scenario, model: str) -> str:
    """``settled_by_365d`` for the war model, ``y`` for the analytic test functions, the first
    issue's terms for a stakeholder model."""
    from parley.experiments.models import ANALYTIC

    if model == "war":
        return "settled_by_365d"
    if model in ANALYTIC:
        return "y"
    if (":" in model and not model.startswith("stakeholder:")) or not sc.issues:
        raise fail("give the outcome to analyse with --outcome")
    return f"terms.{sc.issues[0].id}"


@app.command("discover")
def discover_cmd(
    scenario: Path = typer.Argument(..., help="Scenario file with experiment.uncertainties."),
    outcome: str = typer.Option(
        ..., "--outcome", help="Condition to explain, e.g. 'terms.territory@A < terms.territory@B'."
    ),
    policy: list[str] = typer.Option([], "--policy", "-p", help="Policy in force; repeat."),
    assumptions: str = typer.Option("", "--assumptions", "-a", help="Assumption sets, '+'-joined."),
    n: int = typer.Option(1000, "--n", help="Latin-hypercube points."),
    runs_per_point: int = typer.Option(10, "--runs-per-point", "-r", help="Simulations per point."),
    threshold: float = typer.Option(0.8, "--threshold", help="Density the chosen box must reach."),
    alpha: float = typer.Option(0.05, "--alpha", help="Share peeled per PRIM step."),
    min_mass: float = typer.Option(0.05, "--min-mass", help="Smallest box, as a share of points."),
    seed: SeedOpt = DEFAULT_SEED,
    model: ModelOpt = None,
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = 2,
    scheduler: SchedulerOpt = None,
    results: ResultsOpt = None,
    resume: ResumeOpt = False,
    new_run: NewRunOpt = False,
    chunk_runs: ChunkRunsOpt = 2000,
    progress: ProgressOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Scenario discovery (PRIM): the ranges of the inputs where an outcome holds."""
    from parley.analysis.discovery import PrimResult
    from parley.analysis.expressions import parse
    from parley.analysis.workflows import discover

    _check_format(fmt)
    if n < 10:
        raise fail("--n must be at least 10 points")
    if runs_per_point < 1:
        raise fail("--runs-per-point must be at least 1")
    if not 0 < alpha < 0.5:
        raise fail(f"--alpha must lie in (0, 0.5), got {alpha}")
    if not 0 < min_mass < 1:
        raise fail(f"--min-mass must lie in (0, 1), got {min_mass}")
    if not 0 < threshold <= 1:
        raise fail(f"--threshold must lie in (0, 1], got {threshold}")
    parse(outcome)  # a malformed expression fails before any simulation
    sc = _load(scenario)
    rows = n * runs_per_point * max(1, len(policy))
    check_sweep(
        rows=rows,
        seed=seed,
        results=results,
        workers=workers,
        chunk_runs=chunk_runs,
        option="--n",
        value=n,
    )
    opts = _run_options(
        sc,
        model=model,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        results=results,
        resume=resume,
        progress=progress,
        chunk_runs=chunk_runs,
        new_run=new_run,
    )
    with sweep_errors(scenario):
        result = discover(
            sc,
            outcome,
            opts,
            policies=policy,
            combo=parse_combo(assumptions),
            n=n,
            runs_per_point=runs_per_point,
            seed=seed,
            threshold=threshold,
            alpha=alpha,
            min_mass=min_mass,
        )
    res, points, sw = result.detail, result.points, result.sweep
    assert isinstance(res, PrimResult) and points is not None
    box = res.box()
    chosen = res.trajectory.iloc[res.chosen]
    if fmt == "json":
        out = {
            "scenario": sc.id,
            "run_id": sw.run_id,
            "results": str(opts.results),
            "outcome": outcome,
            "points": int(len(points)),
            "runs_per_point": runs_per_point,
            "base_rate": float(points.outcome.mean()),
            "threshold": threshold,
            "chosen": int(res.chosen),
            "chosen_box": {
                "coverage": float(chosen.coverage),
                "density": float(chosen.density),
                "mass": float(chosen.mass),
                "limits": records(box),
            },
            "trajectory": records(res.trajectory),
            "note": res.note,
        }
        typer.echo(json.dumps(out, indent=2))
        return
    typer.echo(
        f"{sc.id}: PRIM for '{outcome}' over {len(points)} points x {runs_per_point} runs "
        f"(holds in {100 * points.outcome.mean():.1f}% of the runs; {_stored(sw, opts)})"
    )
    traj = res.trajectory
    stride = max(1, len(traj) // 12)
    keep = sorted(set(range(0, len(traj), stride)) | {res.chosen, len(traj) - 1})
    view = traj.iloc[keep][["step", "coverage", "density", "mass", "n", "n_restricted"]].copy()
    view.insert(0, "", ["*" if k == res.chosen else "" for k in keep])
    typer.echo("\npeeling trajectory (coverage/density trade-off; * = chosen box):")
    typer.echo(view.round(3).to_string(index=False))
    typer.echo(
        f"\nchosen box (step {int(chosen.step)}): coverage {chosen.coverage:.3f}, density "
        f"{chosen.density:.3f}, mass {chosen.mass:.3f}"
    )
    restricted = box[box.restricted]
    if restricted.empty:
        typer.echo("no parameter is restricted: the outcome does not depend on a box of inputs")
    else:
        span = (res.x_max - res.x_min)[restricted.index]
        kept = (restricted.high - restricted.low).to_numpy() / np.where(span > 0, span, 1.0)
        lim = restricted.assign(
            low=restricted.low.map(fmt_num),
            high=restricted.high.map(fmt_num),
            full_range=[
                f"[{fmt_num(res.x_min[i])}, {fmt_num(res.x_max[i])}]" for i in restricted.index
            ],
            kept=[f"{100 * k:.0f}%" for k in kept],
            _k=kept,
        ).sort_values("_k", kind="stable")[["parameter", "low", "high", "full_range", "kept"]]
        typer.echo("restricted parameters, most restricted first (kept = share of the range):")
        typer.echo(lim.to_string(index=False))
    if res.note:
        typer.echo(f"note: {res.note}")
