"""``parley serve``: the web dashboard (FastAPI + uvicorn, one process, works offline)."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

import typer

from parley.cli import app, fail
from parley.cli.options import check_out_dir


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_pattern_ok(name: str) -> bool:
    """A name Starlette's TrustedHostMiddleware accepts: ``*``, ``*.domain`` or a plain name."""
    if name == "*":
        return True
    wildcard_ok = not name.startswith("*") or name.startswith("*.")
    return bool(name) and "*" not in name[1:] and wildcard_ok


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
    allowed_host: list[str] = typer.Option(
        [],
        "--allowed-host",
        help="Host name clients use to reach the server, besides the loopback names and --host; "
        "repeat ('*' accepts any, which re-opens DNS rebinding).",
    ),
    allowed_origin: list[str] = typer.Option(
        [],
        "--allowed-origin",
        help="Origin (https://name:port) of another page allowed to post to the API; repeat.",
    ),
) -> None:
    """Start the web dashboard: pick or upload a scenario, edit it, run and compare, download."""
    import uvicorn

    from parley.experiments.store import results_dir
    from parley.web.app import create_app
    from parley.web.jobs import WebLimits

    results = check_out_dir(results_dir(results), "--results")
    for name in allowed_host:
        if not host_pattern_ok(name):
            raise fail(f"--allowed-host '{name}': expected a host name, '*.domain' or '*'")
    hosts = list(allowed_host)
    if host not in ("0.0.0.0", "::", "") and not is_loopback(host):
        hosts.append(host.strip("[]"))
    required, generated = resolve_token(host, token)
    limits = WebLimits(
        max_upload_bytes=max_upload_kb * 1024,
        max_runs=max_runs,
        max_concurrent_jobs=jobs,
        max_queued_jobs=queue,
    )
    web = create_app(
        results,
        token=required,
        limits=limits,
        allowed_hosts=hosts,
        allowed_origins=allowed_origin,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if required is not None:
        url += f"?token={required}"
        if generated:
            typer.echo(f"access token (generated): {required}")
    typer.echo(f"parley dashboard: {url}  (results in {results.resolve()}; Ctrl-C to stop)")
    uvicorn.run(web, host=host, port=port, log_level="warning")
