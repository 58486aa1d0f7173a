"""The dashboard application: ``create_app(results_dir, token=None, limits=...)``.

One process serves the JSON API (``/api``, OpenAPI at ``/api/openapi.json``), the page
(``/``, plain HTML + JS in ``static/``) and plotly.js from the installed ``plotly`` package, so the
dashboard works offline with no CDN. Runs are computed by a :class:`~parley.web.jobs.JobManager`
whose records live under ``<results_dir>/dashboard`` and survive restarts.

When a token is set, every request must carry it in a header (``Authorization: Bearer <token>``
or ``X-Parley-Token``) or the ``parley_token`` cookie. Opening any page with ``?token=...`` once sets
that cookie and redirects to the same address without the token, so it does not stay in the
address bar, history or logs; a token in the query is never accepted for anything else.

Requests pass the guards of :mod:`parley.web.security` (Host, Origin, body size, JSON depth)
before they reach a handler; uploads are parsed by :class:`parley.web.parsing.ParsePool`.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

import plotly
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

import parley
from parley.scenario.errors import ScenarioError
from parley.web import api, api_runs, api_store, api_war
from parley.web.jobs import JobManager, Runner, WebLimits
from parley.web.library import Library, error_dict
from parley.web.parsing import ParsePool
from parley.web.runner import run_job
from parley.web.security import LOOPBACK_HOSTS, BodyGuard, OriginGuard
from parley.web.state import WebState

STATIC = Path(__file__).parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TOKEN_COOKIE = "parley_token"
#: The page may load scripts, styles and data only from this server: no inline or injected script
#: runs, so a scenario's text shown in the page can never act as code. (plotly.js adds its own
#: ``<style>`` elements, hence ``'unsafe-inline'`` for styles only.)
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Request bodies larger than the upload limit plus this much multipart overhead are refused early.
BODY_SLACK = 64 * 1024


def default_library_folders() -> list[tuple[str, Path]]:
    """``scenarios/`` of the working directory and of a source checkout, and the shipped data."""
    package = Path(parley.__file__).parent
    out: list[tuple[str, Path]] = []
    seen: set[Path] = set()
    for origin, folder in (
        ("scenarios", Path.cwd() / "scenarios"),
        ("scenarios", package.parent.parent / "scenarios"),
        ("data", package / "data"),
    ):
        if folder.is_dir() and folder.resolve() not in seen:
            seen.add(folder.resolve())
            out.append((origin, folder))
    return out


def _token_of(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-parley-token") or request.cookies.get(TOKEN_COOKIE)


def _matches(given: str | None, token: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), token.encode())


def _without_token(request: Request) -> str:
    """The request's path and query with the ``token`` parameter removed."""
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
    return request.url.path + (f"?{query}" if query else "")


def create_app(
    results_dir: str | Path,
    token: str | None = None,
    limits: WebLimits | None = None,
    *,
    allowed_hosts: Sequence[str] = (),
    allowed_origins: Sequence[str] = (),
    library_folders: list[tuple[str, Path]] | None = None,
    runner: Runner | None = None,
) -> FastAPI:
    """Build the dashboard app.

    Parameters
    ----------
    results_dir:
        Where runs (``dashboard/``) and uploaded scenarios (``uploads/``) are kept.
    token:
        If given, every request must present it (see the module docstring).
    allowed_hosts:
        Host names accepted in the ``Host`` header besides the loopback names
        (:data:`parley.web.security.LOOPBACK_HOSTS`); ``"*"`` accepts any.
    allowed_origins:
        Origins (``https://host:port``) allowed to send state-changing requests besides the
        dashboard's own.
    limits:
        Upload size, stored runs, concurrent and queued jobs (:class:`WebLimits`).
    library_folders:
        ``(origin, folder)`` pairs listed in the scenario library (default:
        :func:`default_library_folders`).
    runner:
        The function that computes a run (default: :func:`parley.web.runner.run_job`).
    """
    results = Path(results_dir)
    results.mkdir(parents=True, exist_ok=True)
    lim = limits or WebLimits()
    jobs = JobManager(results / "dashboard", lim, runner or run_job)
    library = Library(
        default_library_folders() if library_folders is None else library_folders,
        results / "uploads",
    )

    parser = ParsePool()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown(wait=False)
        parser.close()

    app = FastAPI(
        title="parley dashboard API",
        version=parley.__version__,
        description="Scenarios, runs and results of parley's dashboard.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the Swagger page loads from a CDN; the dashboard works offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.parley = WebState(
        jobs=jobs, library=library, limits=lim, results=results, parser=parser
    )
    app.add_middleware(BodyGuard, limit=lim.max_upload_bytes + BODY_SLACK)

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if token is not None:
            query = request.query_params.get("token")
            if query is not None and request.method == "GET" and _matches(query, token):
                redirect = RedirectResponse(_without_token(request), status_code=303)
                redirect.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                return redirect
            if not _matches(_token_of(request), token):
                return JSONResponse(
                    {
                        "detail": "this server requires a token: open the address printed when "
                        "it started (ending in ?token=...) or send 'Authorization: Bearer <token>'"
                    },
                    status_code=401,
                )
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    app.add_middleware(OriginGuard, allowed_origins=list(allowed_origins))
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOOPBACK_HOSTS, *allowed_hosts])

    @app.exception_handler(ScenarioError)
    async def scenario_error(_: Request, exc: ScenarioError) -> JSONResponse:
        return JSONResponse({"ok": False, "error": error_dict(exc)}, status_code=422)

    for module in (api, api_runs, api_war, api_store):
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(
            STATIC / "index.html",
            headers={"Cache-Control": "no-cache", "Content-Security-Policy": PAGE_CSP},
        )

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
