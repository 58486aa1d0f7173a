"""The executive summary of a report, written in plain words from the analysis numbers.

Every number in the text is formatted by :func:`parley.report.formatting.fmt_value` or
:func:`~parley.report.formatting.fmt_percent` straight from the
tables of :class:`~parley.report.pipeline.Analysis`, so a test can recompute each one. The text
describes what the model runs show under the stated assumptions; it takes no side.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parley.report.formatting import describe_position, fmt_value
from parley.report.pipeline import Analysis
from parley.report.war_text import war_sentences


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
