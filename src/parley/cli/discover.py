"""``parley discover``: PRIM scenario discovery (Friedman & Fisher 1999; Bryant & Lempert 2010) of the
points of the scenario's uncertainties where an outcome expression holds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import typer

from parley.cli import app, fail
from parley.cli.experiment import (
    check_format,
    fmt_num,
    load_checked,
    records,
    run_options,
    stored,
    sweep_errors,
)
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
from parley.experiments.design import parse_combo
from parley.seeds import DEFAULT_SEED


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

    check_format(fmt)
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
    sc = load_checked(scenario)
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
    opts = run_options(
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
        f"(holds in {100 * points.outcome.mean():.1f}% of the runs; {stored(sw, opts)})"
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
