"""The executive summary of a report, written in plain words from the analysis numbers.

Every number in the text is formatted by :func:`fmt_value` or :func:`fmt_percent` straight from the
tables of :class:`~parley.report.pipeline.Analysis`, so a test can recompute each one. The text
describes what the model runs show under the stated assumptions; it takes no side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from parley.report.pipeline import Analysis

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


def stakeholder_sentences(analysis: Analysis, benchmark: str = "compromise") -> list[str]:
    """One sentence per issue: the spread of the models' forecasts and the benchmark's 90 % band.

    The benchmark is the compromise model, the one to beat on real EU outcomes (Thomson 2011;
    Leinaweaver & Thomson 2014); if it did not run, the first model that did is used.
    """
    stake = analysis.stakeholder
    if stake is None:
        return []
    out = []
    for _, issue in analysis.issues.iterrows():
        rows = stake.forecasts[stake.forecasts["issue"] == issue["id"]]
        if rows.empty:
            continue
        unit = issue["unit"]
        ref = rows[rows["model"] == benchmark]
        r = (ref if not ref.empty else rows).iloc[0]
        where = describe_position(r["base"], issue["labels"], unit)
        text = f"{issue['name']}: "
        if len(rows) > 1:
            lo, hi = rows.loc[rows["base"].idxmin()], rows.loc[rows["base"].idxmax()]
            text += (
                f"the {len(rows)} models forecast from {fmt_value(lo['base'], unit)} "
                f"({lo['model']}) to {fmt_value(hi['base'], unit)} ({hi['model']}); "
            )
        text += (
            f"the {r['model']} model forecasts {fmt_value(r['base'], unit)}"
            + (f", {where}" if where else "")
            + f", with 90 % of runs between {fmt_value(r['q05'], unit)} and "
            f"{fmt_value(r['q95'], unit)}."
        )
        out.append(text)
    return out


def executive_summary(analysis: Analysis) -> list[str]:
    """The executive summary as a list of paragraphs (plain text)."""
    paras: list[str] = []
    n_models = (
        0 if analysis.stakeholder is None else analysis.stakeholder.forecasts["model"].nunique()
    )
    intro = (
        f"This report analyses '{analysis.title}'"
        + (f" as of {analysis.start_date}" if analysis.start_date else "")
        + f". {len(analysis.actors)} actors negotiate over {len(analysis.issues)} issues"
    )
    if n_models:
        intro += (
            f"; {n_models} stakeholder model{'s forecast' if n_models > 1 else ' forecasts'} the outcome, each "
            f"over {analysis.n_runs} Monte Carlo draws of the uncertain inputs"
        )
    paras.append(intro + ".")
    if analysis.war is not None:
        from parley.report.war_text import war_sentences

        paras.extend(war_sentences(analysis))
    paras.extend(stakeholder_sentences(analysis))
    n_assumed = _count_assumptions(analysis.parameters)
    paras.append(
        f"Of the {len(analysis.parameters)} parameters listed at the end, {n_assumed} are "
        "illustrative assumptions with stated ranges; the results hold only under them. The report "
        "shows what follows from each set of assumptions and takes no side between them."
    )
    paras.extend(analysis.notes)
    return paras


def _count_assumptions(parameters: pd.DataFrame) -> int:
    src: Any = parameters["source"].fillna("").str.lower()
    return int(src.str.contains("assumption").sum())
