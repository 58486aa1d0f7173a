"""The dashboard's HTML reports, written by the report's one writer (:func:`parley.report.html.render_html`).

Every downloadable report of the dashboard — a forecast, a comparison of variants, a war run, a
full analysis — is rendered by the same function as ``parley report``: this module only wraps a
run's results in the report's :class:`~parley.report.pipeline.Analysis` and
:class:`~parley.report.figures.ReportFigure`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from parley.report.formatting import fmt_value
from parley.report.html import render_html
from parley.report.pipeline import scenario_analysis, stakeholder_parameters
from parley.report.report_figure import ReportFigure
from parley.scenario.schema import Scenario


def forecast_sentences(scenario: Scenario, forecasts: pd.DataFrame) -> list[str]:
    """One sentence per variant and model: its forecast on every issue, on the issue's scale."""
    units = {i.id: i.unit for i in scenario.issues}
    names = {i.id: i.name or i.id for i in scenario.issues}
    out = []
    for (variant, model), block in forecasts.groupby(["variant", "model"], sort=False):
        parts = [
            f"{names.get(str(i), i)} {fmt_value(float(v), units.get(str(i), ''))}"
            for i, v in zip(block["issue"], block["forecast"].astype(float), strict=True)
        ]
        out.append(f"The {model} model forecasts ({variant}): " + "; ".join(parts) + ".")
    return out


def run_report_html(
    scenario: Scenario,
    forecasts: pd.DataFrame | None,
    figures: Sequence[go.Figure],
    seed: int,
) -> str:
    """The HTML report of a forecast or comparison run (the dashboard's figures, the scenario's
    issues and parameters, and the forecasts in words)."""
    notes = forecast_sentences(scenario, forecasts) if forecasts is not None else []
    analysis = scenario_analysis(
        scenario, parameters=stakeholder_parameters(scenario), seed=seed, notes=notes
    )
    figs = [
        ReportFigure(
            f"run-figure-{k}",
            "stakeholders",
            str(fig.layout.title.text or f"Figure {k + 1}"),
            "The stakeholder models' forecasts of this run (no Monte Carlo bands: a forecast run "
            "evaluates each model once on the scenario as edited).",
            fig,
        )
        for k, fig in enumerate(figures)
    ]
    return render_html(analysis, figs)
