"""``parley demo``: the flagship analysis (Ukraine, November 2022) at a size that runs in minutes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from parley.cli import app, fail
from parley.cli.options import check_out_dir
from parley.cli.report import check_report_options
from parley.seeds import DEFAULT_SEED

#: The flagship scenario, relative to the repository root.
FLAGSHIP = Path("scenarios") / "ukraine-2022-11.yaml"


def flagship_path() -> Path:
    """Find the flagship scenario: in the working directory, else beside the installed source tree."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = root / FLAGSHIP
        if candidate.is_file():
            return candidate
    raise fail(
        f"cannot find {FLAGSHIP}; run the demo from the parley repository or pass --scenario"
    )


def demo_sizes(war_runs: int) -> dict[str, Any]:
    """The demo's Monte Carlo sizes: small enough for a couple of minutes on two cores.

    Sobol' indices are not estimated (at a size that fits they would not be stable, and the report
    says so); the backtest uses every other shipped origin with 100 runs each.
    """
    from parley.analysis.trust import TrustSizes
    from parley.analysis.war_analysis import WarSizes

    war = WarSizes(
        runs=war_runs, sobol_n=0, sobol_reps=0, oat_reps=4, prim_points=max(50, war_runs),
        prim_reps=2,
    )  # fmt: skip
    trust = TrustSizes(backtest_runs=100, reference_runs=100, bootstrap=200, origin_every=2)
    return {"war_sizes": war, "trust_sizes": trust}


@app.command()
def demo(
    out: Path = typer.Option(
        Path("out"), "--out", "-o", help="Directory for the report and figures."
    ),
    scenario: Path | None = typer.Option(
        None, "--scenario", help="Scenario to use instead of the flagship."
    ),
    runs: int = typer.Option(100, "--runs", min=1, help="Monte Carlo runs per analysis cell."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed of the whole analysis."),
    war_runs: int = typer.Option(
        100, "--war-runs", min=1, help="Runs per assumption set x policy of the war comparison."
    ),
) -> None:
    """Run the flagship analysis and write DIR/report.html plus DIR/figures/*.png|svg."""
    from parley.cli.report import build_report

    source = scenario if scenario is not None else flagship_path()
    check_out_dir(out, "--out")
    check_report_options(source, out / "report.html", out / "figures", runs, seed, war_runs)
    out.mkdir(parents=True, exist_ok=True)
    typer.echo(
        f"analysing {source}: {runs} runs for the stakeholder bands, {war_runs} per war cell "
        f"(seed {seed}) ..."
    )
    written = build_report(
        source, out / "report.html", out / "figures", runs, seed, war_runs, **demo_sizes(war_runs)
    )
    typer.echo(
        f"wrote {written[0]}, {written[1]} and {len(written) - 2} figure files in {out / 'figures'}"
    )
