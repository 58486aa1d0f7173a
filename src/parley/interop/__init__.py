"""Adapters to other tools: :mod:`parley.interop.ema` exposes a scenario to the EMA Workbench.

The adapters import their tool on use, so parley works without them (``pip install
'parley[ema]'`` for the EMA Workbench).
"""

from __future__ import annotations

__all__ = ["ema"]
