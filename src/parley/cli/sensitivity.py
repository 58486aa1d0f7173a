"""``parley sensitivity``: Sobol' S1/ST (Saltelli design), Morris mu*/sigma or one-at-a-time swings of
an outcome over the scenario's uncertainties."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from parley.cli import app, fail
from parley.cli.experiment import (
    check_format,
    default_outcome,
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
from parley.experiments.design import BASELINE, parse_combo
from parley.seeds import DEFAULT_SEED


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

    check_format(fmt)
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
    sc = load_checked(scenario)
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
    expr = outcome or default_outcome(sc, opts.model)
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
        f"{runs_per_point} runs ({stored(sw, opts)})"
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
