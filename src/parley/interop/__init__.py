"""Adapters to other tools: :mod:`parley.interop.ema` exposes a scenario to the EMA Workbench.

The adapters import their tool on use, so parley works without them (``pip install
'parley[ema]'`` for the EMA Workbench); ``parley.interop.ema`` loads on first use.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["ema"]


def __getattr__(name: str) -> ModuleType:
    """Import an adapter module on first use (PEP 562)."""
    if name not in __all__:
        raise AttributeError(f"module 'parley.interop' has no attribute '{name}'")
    return importlib.import_module(f"parley.interop.{name}")
