"""``parley runs list|show|compare|export``: query the run store of a results directory.

Every sweep of ``parley compare``, ``sensitivity`` and ``discover`` is stored under a results
directory (:mod:`parley.experiments.store`): a manifest, the design points and one Parquet file
per chunk, catalogued in DuckDB. These verbs read that catalogue and those files; a run may be
named by its id or by any unique prefix of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from parley.cli import app, fail
from parley.cli.experiment import fmt_num, json_safe, records
from parley.cli.options import RESULTS_HELP, check_out_file
from parley.experiments.store import RunStore, has_store, results_dir

runs_app = typer.Typer(help="List, show, compare and export stored runs.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")


def _store(results: Path | None) -> RunStore:
    root = results_dir(results)
    if root.exists() and not root.is_dir():
        raise fail(f"--results {root} is a file; expected a run store folder")
    if not has_store(root):
        raise fail(f"no run store in '{root}' (run parley compare/sensitivity/discover first)")
    return RunStore(root)


def resolve_run(store: RunStore, run: str) -> str:
    """The run id matching ``run`` exactly or as a unique prefix (exit 2 otherwise)."""
    ids = store.list_runs().run_id.tolist()
    if run in ids:
        return run
    hits = [r for r in ids if r.startswith(run)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise fail(f"run '{run}' is ambiguous: {', '.join(hits[:5])}")
    known = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "") if ids else "none"
    raise fail(f"no run '{run}' in {store.root} (runs: {known})")


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise fail(f"unknown --format '{fmt}', expected table or json")


@runs_app.command("list")
def list_cmd(
    results: Path | None = typer.Option(None, "--results", help=RESULTS_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """The catalogue: one line per run, newest first."""
    _check_format(fmt)
    df = _store(results).list_runs()
    if fmt == "json":
        typer.echo(json.dumps(records(df), indent=2))
        return
    if df.empty:
        typer.echo("no runs")
        return
    df = df.assign(
        chunks=[f"{d}/{n}" for d, n in zip(df.n_done, df.n_chunks, strict=True)],
        wall_s=df.wall_s.map(fmt_num),
    )
    cols = ["run_id", "kind", "scenario_id", "model", "executor", "status", "chunks", "wall_s"]
    typer.echo(df[[*cols, "created"]].to_string(index=False))


def _design_line(m: dict[str, Any]) -> str:
    d = m.get("design", {})
    cells = d.get("cells", [])
    labels = [
        c["policy"] + ("|" + "+".join(c["assumptions"]) if c["assumptions"] else "") for c in cells
    ]
    return (
        f"{d.get('method')} design, {d.get('n_points')} points x {d.get('runs_per_point')} runs, "
        f"{len(d.get('names', []))} uncertain parameters, cells: {', '.join(labels)}"
    )


@runs_app.command("show")
def show_cmd(
    run: str = typer.Argument(..., help="Run id (or a unique prefix)."),
    results: Path | None = typer.Option(None, "--results", help=RESULTS_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """A run's manifest (what it was, how to reproduce it) and the mean of each measure."""
    _check_format(fmt)
    store = _store(results)
    run_id = resolve_run(store, run)
    m = store.manifest(run_id)
    means = store.means(run_id)
    if fmt == "json":
        typer.echo(json.dumps(json_safe({"manifest": m, "means": records(means)}), indent=2))
        return
    t = m.get("timings", {})
    mach = m.get("machine", {})
    lines = [
        f"run {run_id} ({m.get('kind')}, {m.get('status')}, {len(store.done_chunks(run_id))}/"
        f"{m.get('n_chunks')} chunks)",
        f"scenario  {m.get('scenario_id')}  sha256 {m.get('scenario_hash')}",
        f"parley    {m.get('parley_version')}  git {m.get('git_revision') or 'n/a'}",
        f"model     {m.get('model')} {m.get('model_options') or ''}".rstrip(),
        f"design    {_design_line(m)}",
        f"seed      {m.get('seed')}  (design key {m.get('design_key')})",
        f"executor  {json.dumps(m.get('executor'))}",
        f"timings   wall {fmt_num(t.get('wall_s'))} s, {t.get('chunks_computed', 0)} chunks "
        f"computed, {fmt_num(t.get('compute_s_per_chunk'))} s compute and "
        f"{fmt_num(t.get('store_s_per_chunk'))} s store per chunk",
        f"machine   {mach.get('hostname')}, {mach.get('platform')}, Python {mach.get('python')}, "
        f"{mach.get('cpus')} CPUs",
        f"created   {m.get('created')}  finished {m.get('finished') or 'n/a'}"
        + (f"  resumed {', '.join(m['resumed'])}" if m.get("resumed") else ""),
    ]
    typer.echo("\n".join(lines))
    if not means.empty:
        wide = means.pivot(index="measure", columns="cell", values="mean")
        wide = wide.reindex(
            index=list(dict.fromkeys(means.measure)), columns=list(dict.fromkeys(means.cell))
        )
        typer.echo("\nmean per cell:")
        typer.echo(wide.map(fmt_num).to_string())


@runs_app.command("compare")
def compare_cmd(
    run_a: str = typer.Argument(..., help="First run id (or prefix)."),
    run_b: str = typer.Argument(..., help="Second run id (or prefix)."),
    results: Path | None = typer.Option(None, "--results", help=RESULTS_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Two runs side by side: what differs in their manifests and in their mean outcomes."""
    _check_format(fmt)
    store = _store(results)
    a, b = resolve_run(store, run_a), resolve_run(store, run_b)
    ma, mb = store.manifest(a), store.manifest(b)
    keys = ["kind", "scenario_id", "scenario_hash", "parley_version", "git_revision", "model"]
    keys += ["seed", "design_key", "status"]
    fields = [(k, ma.get(k), mb.get(k)) for k in keys]
    fields.append(("design", _design_line(ma), _design_line(mb)))
    fields.append(("executor", json.dumps(ma.get("executor")), json.dumps(mb.get("executor"))))
    fields.append(
        ("wall_s", ma.get("timings", {}).get("wall_s"), mb.get("timings", {}).get("wall_s"))
    )
    ea, eb = store.means(a), store.means(b)
    both = ea.merge(eb, on=["cell", "measure"], suffixes=("_a", "_b"))
    both["difference"] = both.mean_b - both.mean_a
    if fmt == "json":
        out = {
            "a": a,
            "b": b,
            "manifest": [{"field": k, "a": va, "b": vb, "same": va == vb} for k, va, vb in fields],
            "means": records(
                both[["cell", "measure", "n_a", "mean_a", "n_b", "mean_b", "difference"]]
            ),
        }
        typer.echo(json.dumps(json_safe(out), indent=2))
        return
    typer.echo(f"A = {a}\nB = {b}\n")
    man = pd.DataFrame(
        [(k, str(va), str(vb), "same" if va == vb else "DIFFERS") for k, va, vb in fields],
        columns=["field", "A", "B", ""],
    )
    typer.echo(man.to_string(index=False))
    if both.empty:
        typer.echo("\nno cell and measure in common")
        return
    view = pd.DataFrame(
        {
            "cell": both.cell,
            "measure": both.measure,
            "mean A": both.mean_a.map(fmt_num),
            "mean B": both.mean_b.map(fmt_num),
            "B - A": both.difference.map(fmt_num),
            "n A": both.n_a,
            "n B": both.n_b,
        }
    )
    typer.echo("\nmeans of the cells and measures in both runs:")
    typer.echo(view.to_string(index=False))


@runs_app.command("export")
def export_cmd(
    run: str = typer.Argument(..., help="Run id (or prefix)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file: .csv or .parquet."),
    points: bool = typer.Option(False, "--points", help="Export the design points instead."),
    results: Path | None = typer.Option(None, "--results", help=RESULTS_HELP),
) -> None:
    """Write a run's per-run rows (or its design points) to one CSV or Parquet file."""
    check_out_file(out, "--out")
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise fail(f"--out must end in .csv or .parquet, got '{out.name}'")
    store = _store(results)
    run_id = resolve_run(store, run)
    if out.parent and not out.parent.exists():
        raise fail(f"directory '{out.parent}' does not exist")
    df = store.points(run_id) if points else store.load(run_id)
    if suffix == ".csv":
        df.to_csv(out, index=False)
    else:
        df.to_parquet(out, index=False)
    what = "design points" if points else "runs"
    typer.echo(f"wrote {len(df)} {what} of {run_id} to {out}")
