"""The report's first screen as Markdown (``report.md`` beside ``report.html``).

The same generated text and tables as the HTML first screen (:mod:`parley.report.answer`), for
documentation (``docs/flagship.md`` quotes a demo run's file) and for reading in a terminal.
"""

from __future__ import annotations

import pandas as pd

from parley.report.answer import answer_paragraph, key_table, trust_sentences
from parley.report.pipeline import Analysis
from parley.report.robustness_words import holds_up_words, robustness_caption


def _md_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    sep = "|" + "---|" * len(frame.columns)
    rows = [
        "| " + " | ".join(str(v).replace("\n", "<br>") for v in r) + " |"
        for r in frame.itertuples(index=False)
    ]
    return "\n".join([head, sep, *rows])


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
        robustness_caption(w),
        "",
        _md_table(holds_up_words(w, best="**best**")),
        "",
    ]
    return "\n".join(parts)
