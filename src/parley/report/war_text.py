"""Plain-words paragraphs about the war analysis, generated from its tables.

Each number is formatted by :mod:`parley.report.summary_text` straight from a table of
:class:`~parley.analysis.war_analysis.WarAnalysis` (the cells table, the PRIM statistics and box, the
sensitivity tables), so a test can recompute it. The text reports what follows from each set of
assumptions, in the same form for every set and policy; it does not say which set is right.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from parley.report.assumption_sets import plain_name, policy_name
from parley.report.formatting import fmt_estimate, fmt_number, fmt_percent
from parley.report.param_names import describe

if TYPE_CHECKING:
    from parley.analysis.war_analysis import WarAnalysis
    from parley.report.pipeline import Analysis


def param_label(path: str, war: Any = None) -> str:
    """A parameter in words (:func:`parley.report.param_names.describe`), sides and supporters
    named when ``war`` (a :class:`~parley.analysis.war_analysis.WarAnalysis`) is given."""
    if war is None:
        return describe(path)
    return describe(path, war.side_names, getattr(war, "supporter_names", ()))


def _pol(war: Any, key: object) -> str:
    return policy_name(war, str(key))


def _extremes(war: WarAnalysis, aset: str, measure: str) -> tuple[pd.Series, pd.Series] | None:
    c = war.cells
    d = c[(c.assumptions == aset) & (c.measure == measure)].dropna(subset=["estimate"])
    if d.empty:
        return None
    order = d.sort_values("estimate", kind="stable")
    return order.iloc[0], order.iloc[-1]


def _range_phrase(war: WarAnalysis, aset: str, measure: str, what: str) -> str:
    ext = _extremes(war, aset, measure)
    if ext is None:
        return ""
    lo, hi = ext
    u = str(lo.unit)
    return (
        f"{what} from {fmt_estimate(lo.estimate, lo.lo, lo.hi, u)} ({_pol(war, lo.policy)}) to "
        f"{fmt_estimate(hi.estimate, hi.lo, hi.hi, u)} ({_pol(war, hi.policy)})"
    )


def cell_sentences(war: WarAnalysis) -> list[str]:
    """One paragraph per assumption set: the range of the main outcomes over the policies."""
    out = []
    for aset in dict.fromkeys(war.cells.assumptions):
        parts = [
            _range_phrase(war, aset, "p_settle_12m", "P(settlement within 12 months) runs"),
            _range_phrase(
                war, aset, "territory_after_km2",
                f"the mean territory under {war.side_names[0]} after the war",
            ),
            _range_phrase(war, aset, "p_held_5y", "P(a settlement holds 5 years)"),
            _range_phrase(war, aset, "casualties_total", "mean casualties of both sides"),
        ]  # fmt: skip
        cat = war.cells[(war.cells.assumptions == aset) & (war.cells.measure == "p_catastrophe")]
        k = int(round(float((cat.estimate * cat.n).sum())))
        n = int(cat.n.sum())
        text = f"Under the {plain_name(str(aset))} assumptions, " + "; ".join(p for p in parts if p)
        text += f"; catastrophic escalation happened in {k} of {n} runs over all policies."
        out.append(text)
    return out


def fmt_param(value: float) -> str:
    """A parameter value: thousands separators from 1,000, else three significant digits."""
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def conclusion_sentence(war: WarAnalysis) -> str:
    """How often the conclusion holds under each assumption set, run by run."""
    t = war.conclusion_by_set
    if t.empty:
        return ""
    unit = "km2" if "km2" in war.conclusion.measure else ""
    parts = [
        f"{fmt_percent(r.share)} of paired runs under the {plain_name(str(r.assumptions))} "
        "assumptions (mean difference "
        f"{fmt_estimate(r.difference, r.diff_lo, r.diff_hi, unit)})"
        for _, r in t.iterrows()
    ]
    return (
        f"The conclusion examined is that {war.conclusion.text}. Comparing the two policies on the "
        f"same draws, it holds in " + "; in ".join(parts) + f" (territory under "
        f"{war.side_names[0]} after the war, {_pol(war, war.conclusion.policy_a)} minus "
        f"{_pol(war, war.conclusion.policy_b)})."
    )


#: At most this many PRIM limits are spelled out in the summary (the figure shows them all).
MAX_LIMITS = 4


def discovery_sentence(war: WarAnalysis) -> str:
    """Where the conclusion holds: the share of cases and the PRIM box (its tightest limits)."""
    s = war.prim_stats
    if not s:
        return ""
    box = war.prim_box[war.prim_box.restricted].copy()
    span = (box["max"] - box["min"]).where(lambda x: x > 0)
    box["kept"] = ((box["high"] - box["low"]) / span).fillna(1.0)
    box = box.sort_values("kept", kind="stable")
    shown = box.head(MAX_LIMITS)
    limits = "; ".join(
        f"{param_label(str(r.parameter), war)} from {fmt_param(float(r.low))} to "
        f"{fmt_param(float(r.high))}"
        for _, r in shown.iterrows()
    )
    more = len(box) - len(shown)
    text = (
        f"Over the scenario's full uncertainty ranges (which span both sets of assumptions) it "
        f"holds in {fmt_percent(s['share_overall'])} of the cases ({int(s['n_points'])} parameter "
        f"points, {war.sizes.prim_reps} runs each). "
    )
    if limits:
        text += (
            f"Scenario discovery (PRIM) finds it holds in {fmt_percent(s['density'])} of the "
            f"cases inside the box where {limits}"
            + (f" (and {more} looser limits, shown in the PRIM figure)" if more else "")
            + f"; the box holds {fmt_percent(s['coverage'])} of all cases where it holds and "
            f"{fmt_percent(s['mass'])} of the points."
        )
    else:
        text += "Scenario discovery (PRIM) found no parameter range where it holds more often."
    if war.prim_note:
        text += f" Note: {war.prim_note}."
    return text


def sensitivity_sentence(war: WarAnalysis) -> str:
    """Which parameters drive the difference behind the conclusion (Sobol' ST and the tornado)."""
    parts = []
    what = (
        f"territory under {war.side_names[0]} after the war, "
        f"{_pol(war, war.conclusion.policy_a)} minus {_pol(war, war.conclusion.policy_b)}"
    )
    if not war.sobol_stable:
        parts.append(
            "Sobol' indices: not estimable at this size, so not computed"
            if war.sizes.sobol_n == 0
            else "Sobol' indices: not estimable at this size "
            f"({war.sizes.sobol_n} base samples x {war.sizes.sobol_reps} runs)"
        )
    else:
        top = war.sobol.sort_values("ST", ascending=False).head(3)
        named = ", ".join(
            f"{param_label(str(r.parameter), war)} (total index {r.ST:.2f} ± {r.ST_conf:.2f})"
            for _, r in top.iterrows()
        )
        parts.append(f"The difference in {what} depends most on {named} (Sobol' indices)")
    if not war.tornado.empty:
        r = war.tornado.iloc[0]
        unit = "km2" if "km2" in war.conclusion.measure else ""
        parts.append(
            f"moving {param_label(str(r.parameter), war)} alone from {fmt_param(r.low_value)} to "
            f"{fmt_param(r.high_value)} changes it from {fmt_number(r.y_low, unit)} to "
            f"{fmt_number(r.y_high, unit)}, the largest one-at-a-time swing"
        )
    if not parts:
        return ""
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def war_sentences(analysis: Analysis) -> list[str]:
    """The war paragraphs of the executive summary."""
    war: Any = analysis.war
    if war is None:
        return []
    n_pol = war.cells.policy.nunique()
    sets = list(dict.fromkeys(war.cells.assumptions))
    intro = (
        f"The war simulator compares {n_pol} policies under {len(sets)} sets of assumptions "
        f"({', '.join(plain_name(str(s)) for s in sets)}), {war.n_runs} runs per combination over "
        f"{war.horizon_months:.0f} months; every run draws its own uncertain parameters and "
        "chance events, and all policies face the same draws. Numbers in brackets are 95 % "
        "Monte Carlo intervals."
    )
    out = [intro, *cell_sentences(war)]
    for s in (conclusion_sentence(war), discovery_sentence(war), sensitivity_sentence(war)):
        if s:
            out.append(s)
    out.append(
        "These are consequences of the stated assumptions, not forecasts of what will happen; the "
        "report does not say which set of assumptions is right."
    )
    return [t for t in out if t and not (isinstance(t, float) and math.isnan(t))]
