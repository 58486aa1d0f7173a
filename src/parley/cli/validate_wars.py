"""``parley validate wars``: simulated wars against the Correlates of War reference class.

Without ``--policy``: for wars aged 3, 6, 9 and 12 months, the share of COW inter-state wars that
ends within a further 6, 12, 24 and 36 months (with a 90 % bootstrap band) beside the same share
among simulated runs of ``--scenario`` (default: the shipped generic war), and the shares of outcome
types. ``--format json`` prints ``{"cells": [{"age_months", "within_months", "cow", "cow_lo",
"cow_hi", "model"}, ...], "outcomes": {"cow": {...}, "model": {...}}}``.

With ``--policy``: the probability that the scenario's war is still going 12, 24 and 36 months after
the scenario's start under that policy, beside the COW base rates for a war of the same age (the
war's start date from ``--war-start`` or the scenario's ``metadata.war_start_date``).
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from parley.analysis.reference_class import N_BOOT, SEED, outcome_shares, reference_cells
from parley.analysis.reference_model import (
    model_end_shares,
    model_outcome_shares,
    runs_aged,
    simulate_scenario,
    simulated_wars,
    still_going_vs_base_rates,
    war_age_days,
)
from parley.cli import fail
from parley.cli.validate import validate_app
from parley.experiments.design import parse_combo
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.scenario.schema import Scenario

GENERIC_WAR = "generic-war.yaml"


def _generic_war() -> Scenario:
    """The shipped generic-war scenario (a copy of scenarios/generic-war.yaml)."""
    ref = resources.files("parley.data").joinpath("wars", GENERIC_WAR)
    with resources.as_file(ref) as path:
        return load_scenario(path)


def _whole(text: str) -> int | None:
    """``text`` as a whole number, or None."""
    try:
        return int(text)
    except ValueError:
        return None


def _num(x: Any) -> float | None:
    """A JSON number, or null for NaN (a cell the simulation cannot observe)."""
    v = float(x)
    return None if math.isnan(v) else v


def _pct(x: Any) -> str:
    v = float(x)
    return "—" if math.isnan(v) else f"{v:.0%}"


def _cells_report(sc: Scenario, runs: int, seed: int, n_boot: int) -> dict[str, Any]:
    cells = reference_cells(n_boot=n_boot, seed=seed)
    ds = simulate_scenario(sc, runs=runs, seed=seed)
    sim = simulated_wars(ds)
    horizon = float(ds.attrs["horizon_steps"]) * float(ds.attrs["step_days"])
    cells["model"] = model_end_shares(sim, horizon).ravel()
    cow_out = outcome_shares(n_boot=n_boot, seed=seed)
    return {
        "cells": [
            {
                "age_months": int(r["age_months"]),
                "within_months": int(r["within_months"]),
                **{k: _num(r[k]) for k in ("cow", "cow_lo", "cow_hi", "model")},
            }
            for r in cells.to_dict("records")
        ],
        "outcomes": {
            "cow": {
                str(k): {"n": int(r["n"]), **{c: _num(r[c]) for c in ("share", "lo", "hi")}}
                for k, r in cow_out.iterrows()
            },
            "model": {k: _num(v) for k, v in model_outcome_shares(sim).items()},
        },
        "_aged": runs_aged(sim),
    }


def _print_cells(report: dict[str, Any], scenario_id: str, runs: int) -> None:
    from rich.console import Console
    from rich.table import Table

    aged = dict(zip((3, 6, 9, 12), report["_aged"], strict=True))
    table = Table(
        title=f"Share of wars ending within a further window: COW inter-state wars (90 % band) "
        f"vs {scenario_id} ({runs} runs)"
    )
    for col in ("age", "within", "COW", "90 % band", "model", "in band", "runs aged"):
        table.add_column(col, justify="right")
    for c in report["cells"]:
        m = c["model"]
        inside = "—" if m is None else ("yes" if c["cow_lo"] <= m <= c["cow_hi"] else "no")
        table.add_row(
            f"{c['age_months']} mo",
            f"{c['within_months']} mo",
            _pct(c["cow"]),
            f"[{_pct(c['cow_lo'])}, {_pct(c['cow_hi'])}]",
            _pct(math.nan if m is None else m),
            inside,
            str(aged[c["age_months"]]),
        )
    console = Console()
    console.print(table)
    cow = ", ".join(
        f"{k} {_pct(v['share'])} [{_pct(v['lo'])}, {_pct(v['hi'])}]"
        for k, v in report["outcomes"]["cow"].items()
    )
    model = ", ".join(f"{k} {_pct(v)}" for k, v in report["outcomes"]["model"].items())
    console.print(f"COW outcomes: {cow}")
    console.print(f"model outcomes: {model}")


def _print_still_going(frame: pd.DataFrame, title: str, fmt: str, meta: dict[str, Any]) -> None:
    rows = [
        {"after_months": int(r["after_months"]), **{k: _num(r[k]) for k in frame.columns[1:]}}
        for r in frame.to_dict("records")
    ]
    if fmt == "json":
        typer.echo(json.dumps({**meta, "still_going": rows}, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in ("after", "model", "COW base rate", "90 % band"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            f"{r['after_months']} mo",
            _pct(r["model"]),
            _pct(r["cow"]),
            f"[{_pct(r['cow_lo'])}, {_pct(r['cow_hi'])}]",
        )
    Console().print(table)


@validate_app.command("wars")
def validate_wars(
    scenario: Path | None = typer.Option(
        None, "--scenario", help="Scenario with a war section (default: the generic war)."
    ),
    policy: str | None = typer.Option(
        None, "--policy", help="Report P(still going) under this policy instead of the table."
    ),
    assumptions: str = typer.Option("", "--assumptions", help="Assumption sets, 'a+b'."),
    war_start: str | None = typer.Option(
        None, "--war-start", help="Date the war began, YYYY-MM-DD (with --policy)."
    ),
    runs_text: str = typer.Option("20000", "--runs", metavar="N", help="Simulated runs."),
    seed: int = typer.Option(SEED, "--seed", help="Seed of the simulation and the bootstrap."),
    n_boot: int = typer.Option(N_BOOT, "--bootstrap", help="Bootstrap resamples of wars."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Compare simulated war durations with the Correlates of War inter-state wars."""
    if fmt not in ("table", "json"):
        raise fail(f"unknown --format '{fmt}', expected table or json")
    runs = _whole(runs_text)
    if runs is None or runs < 1:
        raise fail(f"--runs must be a whole number >= 1, got '{runs_text}'")
    if n_boot < 10:
        raise fail(f"--bootstrap must be at least 10, got {n_boot}")
    sc = _generic_war() if scenario is None else load_scenario(scenario)
    if sc.war is None:
        raise ScenarioError(
            "scenario has no 'war' section to simulate", file=scenario or GENERIC_WAR, field="war"
        )
    if policy is None:
        report = _cells_report(sc, runs, seed, n_boot)
        if fmt == "json":
            report.pop("_aged")
            typer.echo(json.dumps(report, indent=1))
        else:
            _print_cells(report, sc.id, runs)
        return
    try:
        age = war_age_days(sc, war_start)
    except ValueError as exc:
        raise fail(str(exc)) from None
    combo = parse_combo(assumptions)
    frame = still_going_vs_base_rates(
        sc, policy=policy, age_days=age, runs=runs, seed=seed, assumptions=combo, n_boot=n_boot
    )
    if age == 0 and war_start is None and "war_start_date" not in sc.metadata:
        typer.echo(
            "note: the war's start date is unknown (pass --war-start or set "
            "metadata.war_start_date); its age is taken as 0 days",
            err=True,
        )
    meta = {"scenario": sc.id, "policy": policy, "assumptions": list(combo), "age_days": age}
    title = (
        f"P(war still going) under '{policy}': {sc.id} ({runs} runs) vs COW wars "
        f"{age} days old (90 % band)"
    )
    _print_still_going(frame, title, fmt, meta)
