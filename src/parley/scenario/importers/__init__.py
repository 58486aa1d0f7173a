"""Importers of other tools' scenario formats (exchange, EUM CSV, KTAB, DEU); public names load on
first use (:func:`parley.scenario.load.load_scenario` picks the importer by format)."""

from __future__ import annotations

from parley._lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "load_deu": ("parley.scenario.importers.deu", "load_deu"),
    "load_shipped_deu": ("parley.scenario.importers.deu", "load_shipped_deu"),
    "load_eum_csv": ("parley.scenario.importers.eum_csv", "load_eum_csv"),
    "load_exchange": ("parley.scenario.importers.exchange", "load_exchange"),
    "load_ktab": ("parley.scenario.importers.ktab", "load_ktab"),
}

__all__ = ["load_deu", "load_eum_csv", "load_exchange", "load_ktab", "load_shipped_deu"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
