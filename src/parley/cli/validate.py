"""``parley validate``: forecast accuracy on real negotiations with known outcomes."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from parley.cli import app, fail
from parley.scenario.prepare import summarise_notes
from parley.seeds import DEFAULT_SEED

validate_app = typer.Typer(
    help="Score models against real negotiation outcomes.", no_args_is_help=True
)
app.add_typer(validate_app, name="validate")

DEFAULT_DEU_MODELS = ("mean", "compromise_salience", "median_actor", "compromise", "median", "nbs")


@validate_app.command("deu")
def validate_deu(
    model: list[str] = typer.Option(
        list(DEFAULT_DEU_MODELS), "--model", "-m", help="Model id; repeat for several."
    ),
    data: Path | None = typer.Option(
        None, "--data", help="Another file in the DEU format (default: the shipped DEU I/II data)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    n_boot: int = typer.Option(2000, "--bootstrap", help="Bootstrap resamples of proposals."),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", help="Seed of the bootstrap and of the stochastic models."
    ),
) -> None:
    """Forecast every DEU issue with an outcome and >= 3 actors; print MAE with a 95 % bootstrap CI."""
    from parley.analysis.validation import fitted_forecasters, validate
    from parley.negotiation.registry import MODELS, check_model_id
    from parley.scenario.importers.deu import load_shipped_deu
    from parley.scenario.load import load_scenarios

    known = set(MODELS) | set(fitted_forecasters())
    for m in model:
        check_model_id(m, known)
    if fmt not in ("table", "json"):
        raise fail(f"unknown --format '{fmt}', expected table or json")
    if n_boot < 10:
        raise fail("--bootstrap must be at least 10")
    scenarios = load_shipped_deu() if data is None else load_scenarios(data, "deu")
    try:
        df = validate(scenarios, model, n_boot=n_boot, seed=seed)
    except ValueError as exc:
        raise fail(str(exc)) from None
    notes = df.attrs.get("notes", {})
    if fmt == "json":
        out: dict[str, object] = {
            "models": {
                str(r["model"]): {
                    "n": int(r["n"]),
                    "mae": float(r["mae"]),
                    "mae_ci": [float(r["mae_lo"]), float(r["mae_hi"])],
                    "median_ae": float(r["median_ae"]),
                    "within10": float(r["within10"]),
                }
                for r in df.to_dict("records")
            }
        }
        if notes:
            out["notes"] = notes
        typer.echo(json.dumps(out, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="DEU validation (0–100 scale; 95 % CI resamples proposals)")
    for col in ("model", "n", "MAE", "95 % CI", "median AE", "within 10"):
        table.add_column(col, justify="left" if col == "model" else "right")
    for r in df.to_dict("records"):
        table.add_row(
            str(r["model"]),
            str(r["n"]),
            f"{r['mae']:.2f}",
            f"[{r['mae_lo']:.2f}, {r['mae_hi']:.2f}]",
            f"{r['median_ae']:.2f}",
            f"{r['within10']:.1%}",
        )
    Console().print(table)
    for m, dropped in notes.items():
        typer.echo(summarise_notes(m, dropped), err=True)
