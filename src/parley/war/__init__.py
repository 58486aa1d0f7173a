"""The bargaining-while-fighting simulator (docs/war-model.md; public names load on first use)."""

from __future__ import annotations

from parley._lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "compile_war": ("parley.war.params", "compile_war"),
    "WarParams": ("parley.war.params", "WarParams"),
    "simulate": ("parley.war.engine", "simulate"),
    "OUTCOMES": ("parley.war.state", "OUTCOMES"),
}

__all__ = [
    "OUTCOMES",
    "WarParams",
    "compile_war",
    "simulate",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
