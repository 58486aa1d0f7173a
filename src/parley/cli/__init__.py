"""The ``parley`` command line: one verb per module in :mod:`parley.cli`.

Each command module registers its verbs on :data:`app` when imported. User mistakes
(:class:`~parley.scenario.ScenarioError`) are printed in one or two lines with exit status 2.
"""

from __future__ import annotations

import importlib
import sys

import typer

# typer vendors click; its exceptions live here (they are not click's own classes)
from typer._click import exceptions as click

from parley.scenario.errors import ScenarioError

__all__ = ["COMMAND_MODULES", "app", "fail", "main", "usage_line"]

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
    "compare",
    "sensitivity",
    "discover",
    "runs",
    "report",
    "serve",
    "demo",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"parley.cli.{name}")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def usage_line(exc: click.ClickException) -> str:
    """One line for a usage error: the command, what was wrong and where to look for help."""
    ctx = getattr(exc, "ctx", None)
    where = f"{ctx.command_path}: " if ctx is not None else ""
    message = " ".join(exc.format_message().split())
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"error: {where}{message}{hint}"


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``parley`` console script.

    Every user mistake ends in one line on stderr and exit status 2: usage errors of click/typer
    (instead of their boxed message), :class:`ScenarioError` from any file, and, as a last net,
    requests that exhaust memory or nest too deeply.
    """
    try:
        _register()
        code = app(args=argv, standalone_mode=False, prog_name="parley")
    except click.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
        sys.exit(2)
    except click.UsageError as exc:
        typer.echo(usage_line(exc), err=True)
        sys.exit(2)
    except click.ClickException as exc:
        typer.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(exc.exit_code)
    except ScenarioError as exc:
        typer.echo(f"error: {exc.format()}", err=True)
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):  # Ctrl-C before a command's own handler
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except MemoryError:
        typer.echo(
            "error: not enough memory for this request; lower --runs or the input size", err=True
        )
        sys.exit(2)
    except OSError as exc:  # a path the user named cannot be read or written
        if exc.filename is None:
            raise
        typer.echo(f"error: {exc.filename}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    except RecursionError:
        typer.echo("error: the input is nested too deeply", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
