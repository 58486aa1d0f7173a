"""What ``parley compare``, ``parley sensitivity`` and ``parley discover`` share: run options,
the store, error handling of a sweep, number formatting and the default outcome.

Each verb (:mod:`parley.cli.compare`, :mod:`parley.cli.sensitivity`, :mod:`parley.cli.discover`)
builds a design from the scenario's ``experiment`` section (uncertainties, assumption sets,
policies), runs it as a chunked, stored and resumable sweep on the chosen executor
(:mod:`parley.experiments.sweep`) and prints one analysis of :mod:`parley.analysis.workflows`.
Results go to a run store (``--results``, default ``parley-results``), which ``parley runs``
queries. A progress bar with an ETA is shown on a terminal; Ctrl-C stops cleanly, keeping the
completed chunks, and ``--resume`` continues the run.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from parley.cli import fail
from parley.cli._json import json_safe
from parley.experiments.design import parse_combo
from parley.experiments.evaluators import EXECUTORS
from parley.experiments.models import default_model
from parley.experiments.store import results_dir
from parley.experiments.sweep import SweepInterrupted, SweepResult
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.scenario.schema import Scenario


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


def check_format(fmt: str) -> None:
    """``--format`` is ``table`` or ``json`` (else one line, exit 2)."""
    if fmt not in ("table", "json"):
        raise fail(f"unknown --format '{fmt}', expected table or json")


def run_options(
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


def combos(assumptions: Sequence[str]) -> list[tuple[str, ...]]:
    """The ``--assumptions`` options as '+'-joined groups; none given = the scenario as written."""
    return [parse_combo(a) for a in assumptions] if assumptions else [()]


def stored(sw: SweepResult, opts: Any) -> str:
    """Where the sweep's rows were stored, for the summary line."""
    return f"run {sw.run_id} in {opts.results}" if sw.run_id else "not stored"


def load_checked(path: Path) -> Scenario:
    """The scenario, which must have an ``experiment`` section."""
    sc = load_scenario(path)
    if sc.experiment is None:
        raise ScenarioError(
            "the scenario has no 'experiment' section (uncertainties, assumptions, policies)",
            file=path,
            field="experiment",
        )
    return sc


def default_outcome(sc: Scenario, model: str) -> str:
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
