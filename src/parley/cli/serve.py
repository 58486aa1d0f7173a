"""``parley serve``: the web dashboard (FastAPI + uvicorn, one process, works offline)."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

import typer

from parley.cli import app, fail


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_token(host: str, token: str | None) -> tuple[str | None, bool]:
    """The token to require and whether it was generated here.

    Loopback needs no token unless one is given; any other address always requires one, generated
    with :mod:`secrets` when the user gave none.
    """
    if token is not None:
        if len(token) < 8:
            raise fail("--token must be at least 8 characters long")
        return token, False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(24), True


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on."),
    results: Path | None = typer.Option(
        None,
        help="Results folder shared with the run store: dashboard runs go to <results>/dashboard "
        "(default: $PARLEY_RESULTS or ./parley-results).",
    ),
    token: str | None = typer.Option(
        None, help="Access token; generated and printed when binding beyond loopback."
    ),
    max_upload_kb: int = typer.Option(2048, min=1, help="Largest scenario upload (KiB)."),
    max_runs: int = typer.Option(1000, min=1, help="Most runs kept in the results folder."),
    jobs: int = typer.Option(2, min=1, help="Runs computed at the same time."),
    queue: int = typer.Option(16, min=0, help="Runs allowed to wait for a worker."),
) -> None:
    """Start the web dashboard: pick or upload a scenario, edit it, run and compare, download."""
    import uvicorn

    from parley.cli.experiment import results_dir
    from parley.web.app import create_app
    from parley.web.jobs import WebLimits

    results = results_dir(results)
    if results.exists() and not results.is_dir():
        raise fail(f"--results {results} exists and is not a folder")
    required, generated = resolve_token(host, token)
    limits = WebLimits(
        max_upload_bytes=max_upload_kb * 1024,
        max_runs=max_runs,
        max_concurrent_jobs=jobs,
        max_queued_jobs=queue,
    )
    web = create_app(results, token=required, limits=limits)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if required is not None:
        url += f"?token={required}"
        if generated:
            typer.echo(f"access token (generated): {required}")
    typer.echo(f"parley dashboard: {url}  (results in {results.resolve()}; Ctrl-C to stop)")
    uvicorn.run(web, host=host, port=port, log_level="warning")
