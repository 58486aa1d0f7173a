"""Reports: render an analysis of a scenario as HTML, Markdown and static figures (public names
load on first use).

:func:`analyse` runs every analysis a scenario supports and returns an :class:`Analysis` of tidy
tables; :func:`write_report` renders it. The statistics live in :mod:`parley.analysis`; this
package only renders them.
"""

from __future__ import annotations

from parley._lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "Analysis": ("parley.report.pipeline", "Analysis"),
    "analyse": ("parley.report.pipeline", "analyse"),
    "ReportFigure": ("parley.report.report_figure", "ReportFigure"),
    "report_figures": ("parley.report.figures", "report_figures"),
    "executive_summary": ("parley.report.summary_text", "executive_summary"),
    "first_screen_markdown": ("parley.report.markdown", "first_screen_markdown"),
    "render_html": ("parley.report.html", "render_html"),
    "write_report": ("parley.report.html", "write_report"),
    "write_figures": ("parley.report.html", "write_figures"),
}

__all__ = [
    "Analysis",
    "ReportFigure",
    "analyse",
    "executive_summary",
    "first_screen_markdown",
    "render_html",
    "report_figures",
    "write_figures",
    "write_report",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
