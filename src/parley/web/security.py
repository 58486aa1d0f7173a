"""The dashboard's guards against hostile requests: Host, Origin, body size and JSON depth.

- Host: Starlette's ``TrustedHostMiddleware`` with the loopback names by default (a DNS-rebinding
  page reaches the server under its own host name, which is refused); ``parley serve
  --allowed-host`` adds names.
- Origin: a state-changing request (POST, PUT, PATCH, DELETE) sent by a browser from another site
  carries that site's ``Origin`` (or ``Sec-Fetch-Site: cross-site``) and is refused with 403 unless
  the origin is configured (``--allowed-origin``). Requests without an Origin (curl, scripts) pass.
- Body: the request body is read from the stream, chunked or not, and refused with 413 as soon as it
  exceeds the limit, without reading the rest; the body is never echoed. JSON nested deeper than
  :data:`parley.scenario.limits.MAX_DEPTH` is refused with 400 before any parser sees it.

See ``docs/security.md`` for the threat model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.scenario.limits import MAX_DEPTH, json_depth

#: Host names of this machine's loopback interface: the default allowed Host headers.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
#: Report downloads: a sandboxed document (a unique origin, no forms, no same-origin access to
#: the dashboard's API or cookie) whose inline scripts and styles may run but fetch nothing.
REPORT_CSP = (
    "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline' "
    "'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
    "connect-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)

#: Methods that change state and are checked against the Origin.
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
#: Content types whose body is not JSON (not checked for depth).
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


async def _reply(send: Send, status: int, payload: dict[str, object]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _error(message: str) -> dict[str, object]:
    return {"ok": False, "error": {"message": message, "field": None, "line": None, "file": None}}


class OriginGuard:
    """Refuse state-changing requests from another site's page (see the module docstring)."""

    def __init__(self, app: ASGIApp, allowed_origins: Sequence[str] = ()) -> None:
        self.app = app
        self.allowed = {o.rstrip("/").lower() for o in allowed_origins}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            host = headers.get("host", "").lower()
            own = {f"http://{host}", f"https://{host}"}
            if origin is not None and origin.rstrip("/").lower() not in own | self.allowed:
                await _reply(send, 403, _error(f"cross-site request from {origin[:100]} refused"))
                return
            if origin is None and headers.get("sec-fetch-site") == "cross-site":
                await _reply(send, 403, _error("cross-site request refused"))
                return
        await self.app(scope, receive, send)


class BodyGuard:
    """Read at most ``limit`` bytes of a request body from the stream; refuse deep JSON."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _too_large(self) -> dict[str, object]:
        return _error(f"request body is larger than the limit of {self.limit / 1024:.0f} KiB")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            await _reply(send, 413, self._too_large())
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.limit:
                await _reply(send, 413, self._too_large())
                return
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in FORM_TYPES and json_depth(bytes(body)) > MAX_DEPTH:
            await _reply(send, 400, _error(f"JSON nested deeper than {MAX_DEPTH} levels"))
            return
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that yields the buffered body once, then waits on the real stream."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
