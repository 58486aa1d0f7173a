"""The figures of the war part of a report, built from :class:`~parley.report.war.WarAnalysis`.

Ids are stable (HTML anchors and static file names): ``front-fan``, ``settlement-curves``,
``terms-distributions``, ``durability-curves``, ``outcomes``, ``tornado``, ``sobol``, ``prim-box``,
``prim-trajectory``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parley.report import analysis_plots, plots
from parley.report.assumption_sets import plain_name, policy_name
from parley.report.figures import ReportFigure
from parley.report.pipeline import Analysis
from parley.report.war_text import param_label

#: Figure ids of the war part, in report order.
WAR_FIGURE_IDS = (
    "front-fan",
    "settlement-curves",
    "terms-distributions",
    "durability-curves",
    "outcomes",
    "tornado",
    "sobol",
    "prim-box",
    "prim-trajectory",
)


def _territory_lines(analysis: Analysis) -> list[tuple[float, str]]:
    issues = analysis.issues
    war: Any = analysis.war
    rows = issues[issues["unit"].isin(["km2", "km²"])]
    if rows.empty:
        return []
    labels = rows.iloc[0]["labels"]
    lo = float(war.front_fan[["q05"]].min().iloc[0])
    hi = float(war.front_fan[["q95"]].max().iloc[0])
    lo = min(lo, float(war.front_observed["km2"].min()))
    pad = 0.1 * (hi - lo)
    return [(float(v), str(t)) for v, t in labels if lo - pad <= float(v) <= hi + pad]


def war_figures(analysis: Analysis) -> list[ReportFigure]:
    """Every figure of the war part (those whose data are present)."""
    war: Any = analysis.war
    if war is None:
        return []
    a_name = war.side_names[0]
    names = _Names(war)
    out: list[ReportFigure] = []
    out.append(
        ReportFigure(
            "front-fan",
            "war",
            "The front: observed history and simulated fan if no talks open",
            f"Black: area occupied by {a_name} each day up to the start date (DeepState, shipped "
            "in parley/data/ukraine). Bands: 5-95 % and 25-75 % of "
            f"{min(war.n_runs, 500)} simulated runs per assumption set in which talks never open; "
            "line: median. Dotted lines: the named lines of the territorial issue.",
            plots.fan_figure(
                war.front_observed, names(war.front_fan), "assumptions",
                "Occupied area (km²): observed and simulated", "km² occupied",
                _territory_lines(analysis), fan_colour=FRONT_COLOUR,
            ),
        )
    )  # fmt: skip
    out.append(
        ReportFigure(
            "settlement-curves",
            "war",
            "P(settlement by month t) per policy",
            "Share of runs settled by each month after the start, per policy (colour) and "
            f"assumption set (panel); bands: 95 % Wilson intervals over {war.n_runs} runs.",
            plots.faceted_lines_figure(
                names(war.settlement_curve), "assumptions", "policy", "month", "p",
                "P(settled by month t)", "months after the start date", "P(settled)",
                band=("lo", "hi"), y_range=(0, 1.02),
            ),
        )
    )  # fmt: skip
    issues = analysis.issues.set_index("id", drop=False)
    terms = _terms_long(war)
    if not terms.empty:
        out.append(
            ReportFigure(
                "terms-distributions",
                "war",
                "Distributions of settlement terms per issue",
                "Terms of the settled runs on each issue's own scale (see the issue table), per "
                "policy (colour) and assumption set; boxes span the middle half, whiskers 1.5 "
                "times that.",
                plots.grouped_boxes_figure(
                    names(terms), "issue", "assumptions", "policy", "value",
                    "Settlement terms per issue",
                    {str(i): plots.issue_label(issues.loc[i]) for i in terms["issue"].unique()},
                ),
            )
        )  # fmt: skip
    dur = war.durability_curve
    if dur["p"].iloc[1:].notna().any():
        out.append(
            ReportFigure(
                "durability-curves",
                "war",
                "Durability: P(a settlement still holds after t years)",
                "Among settled runs, the share whose settlement has not broken down t years later "
                "(Weibull renewal hazard fitted to the shipped UCDP recurrence data, hazard "
                "ratios from the shipped Fortna table), evaluated at 0, 1, 5 and 10 years and drawn as "
                "steps between them; bands: 95 % Wilson intervals.",
                plots.faceted_lines_figure(
                    names(dur), "assumptions", "policy", "years", "p",
                    "Durability of settlements", "years after the settlement", "P(still holds)",
                    band=("lo", "hi"), y_range=(0, 1.02), step=True,
                ),
            )
        )  # fmt: skip
    keys = {
        "casualties_total": "Casualties, both sides (mean, people killed or wounded)",
        "territory_after_km2": f"Territory under {a_name} after the war (mean, km²)",
        "population_under_occupation": "Population under occupation at the end (mean, people)",
        "p_catastrophe": "P(catastrophic escalation)",
        "max_escalation_hazard": "Peak escalation hazard during the war (mean, per month)",
    }
    sub = war.cells[war.cells.measure.isin(list(keys))]
    zero = [
        m for m in keys if m in set(sub.measure) and (sub[sub.measure == m].estimate == 0).all()
    ]
    sub = sub[~sub.measure.isin(zero)]
    zero_note = "".join(f" {_all_zero_sentence(war, m, keys[m])}" for m in zero)
    out.append(
        ReportFigure(
            "outcomes",
            "war",
            "Casualties, occupation and escalation per policy",
            "Means (shares for escalation) per assumption set and policy (colour) with 95 % Monte "
            f"Carlo intervals over {war.n_runs} runs per combination. Escalation outcomes are "
            "driven by an assumption: the baseline hazard is an explicit range (see the "
            "parameter table)." + zero_note,
            plots.grouped_bars_figure(
                names(sub), "measure", "assumptions", "policy", "estimate", "lo", "hi",
                "Outcomes per policy and assumption set", keys,
            ),
        )
    )  # fmt: skip
    what = f"{war.conclusion.measure}@{war.conclusion.policy_a} − @{war.conclusion.policy_b}"
    if not war.tornado.empty:
        t = war.tornado.assign(
            parameter=war.tornado["parameter"].map(lambda x: param_label(x, war))
        )
        out.append(
            ReportFigure(
                "tornado",
                "analysis",
                "Tornado: one-at-a-time swings of the difference behind the conclusion",
                f"Change in {what} (mean over {war.sizes.oat_reps} runs) when one parameter moves "
                "to its 5 % or 95 % quantile and all others stay at their medians.",
                analysis_plots.tornado_figure(t, "One-at-a-time sensitivity", "change from all-at-median"),
            )
        )  # fmt: skip
    if war.sobol_stable:
        s = war.sobol
        long = pd.concat(
            [
                pd.DataFrame({"parameter": s.parameter.map(lambda x: param_label(x, war)), "index": name,
                              "value": s[col], "lo": s[col] - s[f"{col}_conf"],
                              "hi": s[col] + s[f"{col}_conf"]})
                for col, name in (("S1", "first order S1"), ("ST", "total ST"))
            ]
        )  # fmt: skip
        out.append(
            ReportFigure(
                "sobol",
                "analysis",
                "Sobol' indices of the difference behind the conclusion",
                f"Share of the variance of {what} due to each parameter alone (S1) and with its "
                f"interactions (ST), from {war.sizes.sobol_n} base samples x "
                f"{war.sizes.sobol_reps} runs; bars: 95 % bootstrap intervals. "
                + " ".join(war.sobol_notes),
                plots.bar_figure(
                    long, "parameter", "value", "Sobol' indices", color_by="index",
                    error=("lo", "hi"), horizontal=True, x_title="index",
                ),
            )
        )  # fmt: skip
    if not war.prim_box.empty:
        out.append(
            ReportFigure(
                "prim-box",
                "analysis",
                "Where the conclusion holds: the PRIM box",
                f"Conclusion: {war.conclusion.text}. Each bar is the part of a parameter's sampled "
                "range kept in the chosen box (values in the bar); restricted parameters are the "
                "ones that matter for where it holds.",
                analysis_plots.prim_box_figure(war.prim_box, "PRIM box"),
            )
        )
        chosen = int(war.prim_stats["chosen"])
        out.append(
            ReportFigure(
                "prim-trajectory",
                "analysis",
                "PRIM peeling trajectory",
                "Each point is a box on PRIM's peeling path: how many of all the cases where the "
                "conclusion holds it covers, against how pure it is; the large dot is the chosen "
                "box.",
                analysis_plots.prim_trajectory_figure(
                    war.prim_trajectory, chosen, "Coverage and density"
                ),
            )
        )
    return out


#: Colour of the simulated front in every panel (the policies' colours are the palette's).
FRONT_COLOUR = "#555555"


class _Names:
    """Rename the ``assumptions`` and ``policy`` columns of a frame to words."""

    def __init__(self, war: Any) -> None:
        self.war = war

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        if "assumptions" in out:
            out["assumptions"] = out["assumptions"].map(lambda s: plain_name(str(s)))
        if "policy" in out:
            out["policy"] = out["policy"].map(lambda p: policy_name(self.war, str(p)))
        return out


def _all_zero_sentence(war: Any, measure: str, label: str) -> str:
    """Why a panel is left out: all its estimates are 0 (with the upper interval bound)."""
    c = war.cells[war.cells.measure == measure]
    n = int(c["n"].max()) if "n" in c else war.n_runs
    return (
        f"{label}: 0 in every combination ({n} runs each, so below about "
        f"{float(c['hi'].max()):.1%} at 95 %); the panel is left out."
    )


def _terms_long(war: Any) -> pd.DataFrame:
    runs = war.runs[war.runs["settled"].astype(bool)]
    frames = []
    for issue in war.issues:
        col = f"terms.{issue}"
        if col in runs:
            frames.append(
                pd.DataFrame({"issue": issue, "policy": runs["policy"],
                              "assumptions": runs["assumptions"], "value": runs[col]})
            )  # fmt: skip
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
