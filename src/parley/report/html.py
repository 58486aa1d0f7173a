"""A single self-contained HTML report: text, interactive figures and tables, no network needed.

plotly.js is inlined from the installed ``plotly`` package (no CDN), figures are embedded as JSON,
and the stylesheet is inline, so the file opens offline in any browser. :func:`write_figures`
writes the static PNG/SVG versions of the same figures for papers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

import parley
from parley.report.answer import (
    answer_paragraph,
    key_table,
    trust_sentences,
)
from parley.report.assumption_sets import plain_name
from parley.report.figures import report_figures
from parley.report.formatting import comparison_display, fmt_value
from parley.report.markdown import first_screen_markdown
from parley.report.pipeline import Analysis
from parley.report.report_figure import ReportFigure
from parley.report.robustness_words import holds_up_words, robustness_caption
from parley.report.static_export import save_static
from parley.report.summary_text import executive_summary

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:0 auto;
padding:1rem 2rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#666;font-size:.9rem}.summary p{margin:.5rem 0}.caption{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.82rem;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;
vertical-align:top;text-align:left}th{background:#f4f4f4}td.num{text-align:right;white-space:nowrap}
nav a{margin-right:1rem}figure{margin:1rem 0}table{table-layout:fixed}td{overflow-wrap:anywhere;white-space:pre-line}
.answer{font-size:1.05rem}.question{font-size:1.15rem;font-weight:600}
.trust{border:2px solid #b58900;background:#fdf6e3;padding:.4rem 1rem;margin:1rem 0}.trust h3{margin:.3rem 0}
td.best{background:#eef6ee}
"""


def _table(frame: pd.DataFrame, numeric: Sequence[str] = ()) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for _, r in frame.iterrows():
        cells = []
        for c in frame.columns:
            v = r[c]
            if c in numeric and isinstance(v, int | float):
                text = "" if isinstance(v, float) and math.isnan(v) else f"{v:,.4g}"
                cells.append(f'<td class="num">{html.escape(text)}</td>')
            else:
                cells.append(f"<td>{html.escape(str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure_html(fig: ReportFigure) -> str:
    div = pio.to_html(
        fig.figure,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=f"fig-{fig.id}",
        config={"displaylogo": False, "responsive": True},
    )
    return (
        f'<figure id="{html.escape(fig.id)}" class="report-figure" data-figure="{html.escape(fig.id)}">'
        f"<h3>{html.escape(fig.title)}</h3>{div}"
        f'<figcaption class="caption">{html.escape(fig.caption)}</figcaption></figure>'
    )


def _issues_table(analysis: Analysis) -> str:
    rows = []
    for _, i in analysis.issues.iterrows():
        labels = "; ".join(f"{fmt_value(v, i['unit'])}: {t}" for v, t in i["labels"])
        rows.append(
            {
                "issue": i["name"],
                "scale": f"{fmt_value(i['scale_min'], i['unit'])} to {fmt_value(i['scale_max'], i['unit'])}",
                "labelled points": labels,
                "no-agreement point": fmt_value(i["reference"], i["unit"]),
                "source": i["source"],
            }
        )
    return _table(pd.DataFrame(rows))


def _answer_html(analysis: Analysis) -> str:
    """The first screen: the question, the generated answer, the key table, the trust box."""
    w = analysis.war
    question = html.escape(analysis.headline or analysis.title)
    if w is None or w.regret.empty:
        return f'<section id="answer"><p class="question">{question}</p></section>'
    box = ""
    if analysis.trust is not None:
        items = "".join(f"<li>{html.escape(t)}</li>" for t in trust_sentences(analysis.trust, w))
        box = f'<aside class="trust"><h3>How far to trust this</h3><ul>{items}</ul></aside>'
    return (
        f'<section id="answer"><p class="question">{question}</p>'
        f'<h2>What the model finds</h2><p class="answer">{html.escape(answer_paragraph(w))}</p>'
        '<p class="caption">Means with 95 % Monte Carlo intervals, '
        f"{w.n_runs} runs per cell; outcomes counted from {html.escape(analysis.start_date or '')} "
        f"over {w.horizon_months:.0f} months.</p>"
        f"{_table(key_table(w))}{box}</section>"
    )


def _holds_up_html(analysis: Analysis) -> str:
    """The table "which policy holds up if which assumption is wrong"."""
    w = analysis.war
    if w is None or w.holds_up.empty:
        return ""
    words = holds_up_words(w, best="best for this set")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in words.columns)
    rows = []
    for r in words.itertuples(index=False):
        cells = [f"<td>{html.escape(str(r[0]))}</td>"]
        for text in r[1:]:
            cls = ' class="best"' if str(text).startswith("best for this set") else ""
            cells.append(f"<td{cls}>{html.escape(str(text))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<section id="robustness"><h2>Which policy holds up if which assumption is wrong</h2>'
        f'<p class="caption">{html.escape(robustness_caption(w))}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def render_html(analysis: Analysis, figures: Sequence[ReportFigure] | None = None) -> str:
    """Render the whole report as one HTML string (self-contained)."""
    figs = list(report_figures(analysis) if figures is None else figures)
    summary = "".join(f"<p>{html.escape(p)}</p>" for p in executive_summary(analysis))
    sections: dict[str, list[str]] = {}
    for f in figs:
        sections.setdefault(f.section, []).append(_figure_html(f))
    titles = {
        "war": "What follows from each set of assumptions",
        "analysis": "Where the conclusion flips and what drives it",
        "stakeholders": "Stakeholder models",
    }
    body = []
    for key, parts in sections.items():
        body.append(f'<section id="section-{key}"><h2>{html.escape(titles.get(key, key))}</h2>')
        body.extend(parts)
        body.append("</section>")
    question_extra = ""
    if analysis.war is not None:
        w = analysis.war
        question_extra = (
            "<h3>The assumption sets</h3>"
            + _table(
                w.assumption_sets.assign(
                    assumptions=w.assumption_sets["assumptions"].map(plain_name)
                )
            )
            + "<h3>Each set's assumptions as parameter ranges</h3>"
            + '<p class="caption">Ranges are the bounds of uniform ranges, else the central 95 % '
            "of the stated distribution; an empty cell means the set keeps the scenario's own "
            "range.</p>"
            + _table(w.assumption_table)
            + "<h3>The policies compared</h3>"
            + _table(w.policies)
        )
    tables = []
    if analysis.war is not None and getattr(analysis.war, "comparison", None) is not None:
        tables.append(
            '<section id="comparison"><h2>Comparison table</h2>'
            + '<p class="caption">Estimate [95 % Monte Carlo interval] for every assumption set '
            f"and policy, {analysis.war.n_runs} runs each. Terms are means over settled runs; "
            "durability is the share of settled runs whose settlement holds 5 years.</p>"
            + _table(comparison_display(analysis.war), numeric=())
            + "</section>"
        )
    params = analysis.parameters.copy()
    tables.append(
        '<section id="parameters"><h2>Every parameter and its source</h2>'
        + _table(params, numeric=("value", "low", "high"))
        + "</section>"
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = (
        f"scenario <code>{html.escape(analysis.scenario_id)}</code>"
        + (f" · {analysis.n_runs} runs" if analysis.n_runs > 1 else "")
        + (
            f" · {analysis.war.n_runs} runs per assumption set and policy"
            if analysis.war is not None
            else ""
        )
        + f" · seed {analysis.seed} · parley {html.escape(parley.__version__)}"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(analysis.title)} — parley report</title>
<style>{_CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<h1>{html.escape(analysis.title)}</h1>
<p class="meta">{meta}</p>
<p class="meta" id="generated">generated {generated}</p>
{_answer_html(analysis)}
{_holds_up_html(analysis)}
<nav><a href="#answer">Answer</a><a href="#robustness">Robustness</a><a href="#summary">Summary</a><a href="#question">Question</a>{"".join(f'<a href="#section-{k}">{html.escape(titles.get(k, k))}</a>' for k in sections)}<a href="#parameters">Parameters</a></nav>
<section id="summary" class="summary"><h2>Details: summary</h2>{summary}</section>
<section id="question"><h2>The question and the assumptions</h2><p>{html.escape(analysis.question)}</p>
{_issues_table(analysis)}{question_extra}</section>
{"".join(body)}
{"".join(tables)}
</body></html>
"""


def write_report(
    analysis: Analysis,
    out: Path,
    figures_dir: Path | None = None,
    formats: Sequence[str] = ("png", "svg"),
) -> list[Path]:
    """Write the HTML report to ``out``, its first screen as Markdown beside it (``out`` with the
    suffix ``.md``) and, if asked, every figure to ``figures_dir``.

    Returns the paths written: the report, the Markdown file, then the figures.
    """
    figs = report_figures(analysis)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(analysis, figs), encoding="utf-8")
    md = out.with_suffix(".md")
    md.write_text(first_screen_markdown(analysis), encoding="utf-8")
    written = [out, md]
    if figures_dir is not None:
        written.extend(write_figures(figs, figures_dir, formats))
    return written


def write_figures(
    figures: Sequence[ReportFigure], directory: Path, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Write static versions of each figure as ``directory/<figure id>.<fmt>``."""
    directory.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for f in figures:
        out.extend(save_static(f.figure, directory / f.id, formats))
    return out
