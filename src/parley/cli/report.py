"""``parley report``: a self-contained HTML report (and static figures) for a scenario."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from parley.cli import app, fail
from parley.cli.options import (
    check_in_file,
    check_memory,
    check_out_dir,
    check_out_file,
    check_seed,
)
from parley.seeds import DEFAULT_SEED

#: Coarse memory of one Monte Carlo run of the report's analyses (bytes): one war run over the
#: flagship's horizon (about 15 kB, see ``parley.cli.options.SIM_BYTES_PER_STEP``) for each of the
#: assumption set x policy cells, held together for the comparison.
REPORT_BYTES_PER_RUN = 64 * 1024


def check_report_options(
    source: Path, out: Path, figures: Path | None, runs: int, seed: int, war_runs: int | None
) -> None:
    """Paths and ranges of ``report`` and ``demo`` before the analysis starts."""
    check_in_file(source, "SCENARIO")
    check_out_file(out, "--out")
    if figures is not None:
        check_out_dir(figures, "--figures")
    check_seed(seed)
    check_memory(max(runs, war_runs or 0), REPORT_BYTES_PER_RUN, "--runs")


#: Stages of a report, in order, as :func:`parley.report.pipeline.analyse` announces them.
STAGES = ("stakeholder models", "war comparison", "forecast skill and reference class")


@contextmanager
def stage_progress(total: int) -> Iterator[Callable[[str], None]]:
    """A rich progress bar over the report's stages on a terminal; silent otherwise.

    Yields ``advance(stage)``: call it as each stage starts (the bar shows the stage and counts
    the finished ones). Nothing is printed when standard error is not a terminal.
    """
    if not sys.stderr.isatty():
        yield lambda _stage: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("starting", total=total)
        started = [0]

        def advance(stage: str) -> None:
            bar.update(task, completed=started[0], description=stage)
            started[0] += 1

        yield advance
        bar.update(task, completed=total, description="done")


def build_report(
    source: Path,
    out: Path,
    figures: Path | None,
    runs: int,
    seed: int,
    war_runs: int | None = None,
    **sizes: Any,
) -> list[Path]:
    """Analyse the scenario file ``source`` and write the report; return the files written.

    ``runs`` Monte Carlo draws for the stakeholder bands, ``war_runs`` (default ``runs``) runs per
    assumption set x policy of the war comparison; ``sizes`` (``war_sizes``, ``trust_sizes``) are
    passed to :func:`parley.report.pipeline.analyse`. Shows a progress bar on a terminal.
    """
    from parley.report.html import write_report
    from parley.report.pipeline import analyse
    from parley.scenario.load import load_scenario

    if not source.exists():
        raise fail(f"{source}: no such scenario file or stored run")
    scenario = load_scenario(source)
    with stage_progress(len(STAGES) + 1) as advance:
        analysis = analyse(
            scenario, n_runs=runs, seed=seed, war_runs=war_runs, progress=advance, **sizes
        )
        advance("writing the report and figures")
        return write_report(analysis, out, figures)


@app.command()
def report(
    run_or_scenario: Path = typer.Argument(..., help="A scenario file (YAML/JSON)."),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
    figures: Path | None = typer.Option(
        None, "--figures", help="Also write every figure as PNG and SVG into this directory."
    ),
    runs: int = typer.Option(200, "--runs", min=1, help="Monte Carlo runs per analysis cell."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed of the whole analysis."),
    war_runs: int | None = typer.Option(
        None, "--war-runs", min=1, help="Runs per assumption set x policy (default: --runs)."
    ),
) -> None:
    """Write a self-contained HTML report: summary, figures, comparison and parameter tables."""
    check_report_options(run_or_scenario, out, figures, runs, seed, war_runs)
    written = build_report(run_or_scenario, out, figures, runs, seed, war_runs)
    typer.echo(
        f"wrote {written[0]} and {written[1]}"
        + (f" and {len(written) - 2} figure files" if len(written) > 2 else "")
    )
