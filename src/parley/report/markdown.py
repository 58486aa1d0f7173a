"""The report's first screen as Markdown (``report.md`` beside ``report.html``).

The same generated text and tables as the HTML first screen (:mod:`parley.report.answer`), for
documentation (``docs/flagship.md`` quotes a demo run's file) and for reading in a terminal.
"""

from __future__ import annotations

import pandas as pd

from parley.report.answer import answer_paragraph, key_table, policy_name, trust_sentences
from parley.report.assumption_sets import plain_name
from parley.report.formatting import fmt_percent, fmt_value
from parley.report.pipeline import Analysis


def _md_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    sep = "|" + "---|" * len(frame.columns)
    rows = [
        "| " + " | ".join(str(v).replace("\n", "<br>") for v in r) + " |"
        for r in frame.itertuples(index=False)
    ]
    return "\n".join([head, sep, *rows])


def holds_up_frame(analysis: Analysis) -> pd.DataFrame:
    """The robustness table in words: one row per assumption set, one column per policy."""
    w = analysis.war
    if w is None:
        return pd.DataFrame()
    policies = [c for c in w.holds_up.columns if c not in ("assumptions", "best_policy")]
    rows = []
    for _, r in w.holds_up.iterrows():
        row = {"assumptions": plain_name(str(r["assumptions"]))}
        for p in policies:
            reg, lo, hi, sh, slo, shi = r[p]
            head = (
                "**best**"
                if p == r["best_policy"]
                else f"+{fmt_value(reg, 'km2')} [{fmt_value(lo, 'km2')}, {fmt_value(hi, 'km2')}]"
            )
            row[policy_name(w, p)] = (
                f"{head}\nmeets thresholds {fmt_percent(sh)} [{fmt_percent(slo)}, "
                f"{fmt_percent(shi)}]"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def first_screen_markdown(analysis: Analysis) -> str:
    """The question, the answer, the key table, the trust box and the robustness table."""
    w = analysis.war
    parts = [f"**{analysis.headline or analysis.title}**", ""]
    if w is None or w.regret.empty:
        return "\n".join(parts) + "\n"
    parts += ["### What the model finds", "", answer_paragraph(w), ""]
    parts += [
        f"Means with 95 % Monte Carlo intervals, {w.n_runs} runs per cell, seed {analysis.seed}.",
        "",
        _md_table(key_table(w)),
        "",
    ]
    if analysis.trust is not None:
        parts += ["### How far to trust this", ""]
        parts += [f"- {t}" for t in trust_sentences(analysis.trust, w)]
        parts.append("")
    parts += [
        "### Which policy holds up if which assumption is wrong",
        "",
        "Regret: how much more territory "
        f"{w.side_names[0]} holds after the war than under the best policy of that row (paired "
        "runs, 95 % interval); the share of futures meeting both thresholds.",
        "",
        _md_table(holds_up_frame(analysis)),
        "",
    ]
    return "\n".join(parts)
