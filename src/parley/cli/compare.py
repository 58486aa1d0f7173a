"""``parley compare``: paired differences of every outcome measure between policies under the
scenario's assumption sets (common random numbers; paired t and Welch intervals)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer

from parley.cli import app, fail
from parley.cli.experiment import (
    check_format,
    combos,
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
from parley.seeds import DEFAULT_SEED


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

    check_format(fmt)
    if runs < 2:
        raise fail("--runs must be at least 2 (an interval needs two pairs)")
    if not 0 < conf < 1:
        raise fail(f"--conf must lie in (0, 1), got {conf}")
    if len(policy) < 2:
        raise fail("compare needs at least two policies: --policy A --policy B")
    if len(set(policy)) != len(policy):
        raise fail("each --policy must be named once")
    sc = load_checked(scenario)
    rows = runs * len(policy) * len(combos(assumptions))
    check_sweep(
        rows=rows, seed=seed, results=results, workers=workers, chunk_runs=chunk_runs, value=runs
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
        result = compare(
            sc,
            policy,
            opts,
            combos=combos(assumptions),
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
        f"{sc.id}: {len(policy)} policies x {len(combos(assumptions))} assumption set(s), "
        f"{runs} paired runs each, seed {seed} ({stored(sw, opts)})"
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
