"""One figure of a report: a stable id (the HTML anchor and the static file name), the section it
belongs to, a title, a caption that says how to read it, and the plotly figure."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go


@dataclass(frozen=True)
class ReportFigure:
    """One figure of the report."""

    id: str
    section: str
    title: str
    caption: str
    figure: go.Figure
