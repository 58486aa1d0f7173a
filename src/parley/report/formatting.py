"""Numbers in words for the report: values on an issue's scale, shares, estimates with their
intervals, a value among the labelled points of its scale, and the comparison table as text.

Every formatted number comes straight from a table of the analysis, so a test can recompute it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

#: Units that are printed with a thousands separator and no decimals.
_AREA_UNITS = ("km2", "km²")


def fmt_value(value: float, unit: str = "") -> str:
    """Format a value on an issue's scale: ``43,980 km²``, ``62.5``, ``8.4 years``."""
    if not math.isfinite(value):
        return "n/a"
    if unit in _AREA_UNITS:
        return f"{value:,.0f} km²"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.1f}"
    return f"{text} {unit}" if unit and unit != "index" else text


def fmt_percent(p: float) -> str:
    """Format a probability as a whole percentage: ``37 %``."""
    return "n/a" if not math.isfinite(p) else f"{100 * p:.0f} %"


def fmt_number(value: float, unit: str = "") -> str:
    """Format a war outcome: shares as percentages, small rates with two significant digits,
    everything else by :func:`fmt_value` (``12,345 people``, ``43,980 km²``)."""
    if unit == "share":
        return fmt_percent(value)
    if math.isfinite(value) and value != 0 and abs(value) < 0.05:
        return f"{value:.2g} {unit}".strip()
    return fmt_value(value, unit)


def fmt_estimate(est: float, lo: float, hi: float, unit: str = "") -> str:
    """``estimate [low, high]`` with the interval (omitted when it is not finite)."""
    text = fmt_number(est, unit)
    if math.isfinite(lo) and math.isfinite(hi) and math.isfinite(est):
        text += f" [{fmt_number(lo, unit)}, {fmt_number(hi, unit)}]"
    return text


def describe_position(value: float, labels: Sequence[tuple[float, str]], unit: str) -> str:
    """Place a value among the labelled points of its scale, e.g. "between A (x) and B (y)"."""
    pts = sorted(labels)
    if not pts or not math.isfinite(value):
        return ""
    span = (pts[-1][0] - pts[0][0]) or 1.0
    for v, label in pts:
        if abs(value - v) <= 0.02 * span:
            return f"at about the {label}" if unit in _AREA_UNITS else f"at about '{label}'"
    below = [p for p in pts if p[0] < value]
    above = [p for p in pts if p[0] > value]
    if below and above:
        lo, hi = below[-1], above[0]
        return (
            f"between '{lo[1]}' ({fmt_value(lo[0], unit)}) and '{hi[1]}' ({fmt_value(hi[0], unit)})"
        )
    if below:
        return f"beyond '{below[-1][1]}' ({fmt_value(below[-1][0], unit)})"
    return f"short of '{above[0][1]}' ({fmt_value(above[0][0], unit)})"


def comparison_display(war: Any) -> pd.DataFrame:
    """The comparison of a :class:`~parley.analysis.war_analysis.WarAnalysis` as a wide table of
    formatted ``estimate [low, high]`` strings, one row per assumption set and policy."""
    rows = []
    for (aset, pol), block in war.cells.groupby(["assumptions", "policy"], sort=False):
        row: dict[str, str] = {"assumptions": str(aset), "policy": str(pol)}
        for _, r in block.iterrows():
            row[str(r.label)] = fmt_estimate(r.estimate, r.lo, r.hi, str(r.unit))
        rows.append(row)
    return pd.DataFrame(rows)
