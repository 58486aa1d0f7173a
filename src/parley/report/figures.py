"""The list of figures a report shows, built from an :class:`~parley.report.pipeline.Analysis`.

Each figure has a stable id (used for the HTML anchor and the static file name), a title and a
caption that says how to read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from parley.report import plots
from parley.report.pipeline import Analysis


@dataclass(frozen=True)
class ReportFigure:
    """One figure of the report."""

    id: str
    section: str
    title: str
    caption: str
    figure: go.Figure


def stakeholder_figures(analysis: Analysis) -> list[ReportFigure]:
    """Forecast per issue and model, and position paths for every iterative model."""
    stake = analysis.stakeholder
    if stake is None:
        return []
    out = [
        ReportFigure(
            "stakeholder-forecasts",
            "stakeholders",
            "Stakeholder model forecasts",
            "Each dot is a model's forecast for the scenario as written; the bar spans 90 % of the "
            f"{stake.n_runs} Monte Carlo runs drawn inside the stated input ranges. Dotted lines "
            "mark the labelled points of each scale.",
            plots.forecast_figure(stake.forecasts, analysis.issues),
        )
    ]
    for model in dict.fromkeys(stake.paths["model"]):
        out.append(
            ReportFigure(
                f"paths-{model}",
                "stakeholders",
                f"Position paths ({model})",
                "Each actor's position round by round for the scenario as written (line); right of "
                "the last round, each actor's median final position over the Monte Carlo runs "
                "(diamond) and the 5-95 % range of it (bar).",
                plots.paths_figure(stake.paths, str(model), analysis.issues),
            )
        )
    return out


def report_figures(analysis: Analysis) -> list[ReportFigure]:
    """Every figure of the report, war figures first (when present), then stakeholder figures."""
    figs: list[ReportFigure] = []
    if analysis.war is not None:
        from parley.report.war_figures import war_figures

        figs.extend(war_figures(analysis))
    figs.extend(stakeholder_figures(analysis))
    return figs
