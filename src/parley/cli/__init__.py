"""The ``parley`` command line: one verb per module in :mod:`parley.cli`.

Each command module registers its verbs on :data:`app` when imported. User mistakes
(:class:`~parley.scenario.ScenarioError`) are printed in one or two lines with exit status 2.
"""

from __future__ import annotations

import importlib
import sys

import typer

from parley.scenario.errors import ScenarioError

app = typer.Typer(
    name="parley",
    help="Model how wars and multi-party disputes end at the negotiating table.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Command modules, imported in this order; each registers its verbs on ``app``.
COMMAND_MODULES = (
    "forecast",
    "schema",
    "validate",
    "validate_wars",
    "simulate",
    "calibrate",
    "backtest",
    "experiment",
    "runs",
    "report",
    "serve",
    "demo",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(f"parley.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"parley.cli.{name}":
                raise


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``parley`` console script."""
    try:
        _register()
        app(args=argv, standalone_mode=True)
    except ScenarioError as exc:
        typer.echo(f"error: {exc.format()}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:  # Ctrl-C before a command installs its own handler
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
