"""The web dashboard and its HTTP API (public names load on first use)."""

from __future__ import annotations

from parley._lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "create_app": ("parley.web.app", "create_app"),
}

__all__ = [
    "create_app",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
