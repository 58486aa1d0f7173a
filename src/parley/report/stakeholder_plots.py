"""The stakeholder charts of a report: each model's forecast per issue with its Monte Carlo band,
and each iterative model's position paths
(:class:`parley.analysis.stakeholder_bands.StakeholderAnalysis`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from parley.report.plots import base_layout, colour, issue_label


def stakeholder_forecast_figure(forecasts: pd.DataFrame, issues: pd.DataFrame) -> go.Figure:
    """Forecast of every model on every issue: the scenario as written (dot) and the 90 % band.

    One row per issue; the labelled points of the issue's scale are drawn as reference lines.
    """
    n = len(issues)
    fig = make_subplots(
        rows=n, cols=1, subplot_titles=[issue_label(r) for _, r in issues.iterrows()]
    )
    models = list(dict.fromkeys(forecasts["model"]))
    for row, (_, issue) in enumerate(issues.iterrows(), start=1):
        sub = forecasts[forecasts["issue"] == issue["id"]].set_index("model")
        for m, model in enumerate(models):
            if model not in sub.index:
                continue
            r = sub.loc[model]
            fig.add_trace(
                go.Scatter(
                    x=[r["base"]],
                    y=[model],
                    mode="markers",
                    marker={"color": colour(m), "size": 10},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": [max(r["q95"] - r["base"], 0.0)],
                        "arrayminus": [max(r["base"] - r["q05"], 0.0)],
                    },
                    name=model,
                    legendgroup=model,
                    showlegend=row == 1,
                ),
                row=row,
                col=1,
            )
        for value, label in issue["labels"]:
            fig.add_vline(
                x=value, line={"dash": "dot", "color": "#999", "width": 1}, row=row, col=1
            )
            fig.add_annotation(
                x=value, y=1.0, yref=f"y{row if row > 1 else ''} domain", text=label,
                showarrow=False, font={"size": 9, "color": "#555"}, textangle=-20,
                xanchor="left", row=row, col=1,
            )  # fmt: skip
        fig.update_xaxes(range=[issue["scale_min"], issue["scale_max"]], row=row, col=1)
        present = [m for m in models if m in sub.index]
        fig.update_yaxes(tickmode="array", tickvals=present, ticktext=present, row=row, col=1)
    per_issue = max(260, 26 * len(models) + 90)
    return base_layout(
        fig, "Forecast per issue and model (dot: as written; bar: 90 % of runs)", per_issue * n
    )


def paths_figure(paths: pd.DataFrame, model: str, issues: pd.DataFrame) -> go.Figure:
    """Per-actor position paths of one iterative model, with each actor's 5-95 % Monte Carlo range
    of its final position drawn as a bar to the right of the last round.

    Overlapping translucent bands for every actor blur into one; one range per actor at the end
    keeps the actors apart and still says how uncertain each final position is.
    """
    sub = paths[paths["model"] == model]
    ids = [i for i in issues["id"] if i in set(sub["issue"])]
    by_id = issues.set_index("id", drop=False)
    titles = [issue_label(by_id.loc[i]) for i in ids]
    fig = make_subplots(rows=len(ids), cols=1, subplot_titles=titles)
    actors = list(dict.fromkeys(sub["actor"]))
    last = float(sub["state"].max()) if len(sub) else 0.0
    step = 0.6 / max(len(actors), 1)
    for row, issue_id in enumerate(ids, start=1):
        for a, actor in enumerate(actors):
            d = sub[(sub["issue"] == issue_id) & (sub["actor"] == actor)].sort_values("state")
            if d.empty:
                continue
            c = colour(a)
            fig.add_trace(
                go.Scatter(
                    x=d["state"], y=d["base"], mode="lines+markers", line={"color": c},
                    marker={"size": 4}, name=actor, legendgroup=actor, showlegend=row == 1,
                ),
                row=row, col=1,
            )  # fmt: skip
            end = d.iloc[-1]
            fig.add_trace(
                go.Scatter(
                    x=[last + 0.4 + a * step], y=[end["q50"]], mode="markers",
                    marker={"color": c, "size": 6, "symbol": "diamond"},
                    error_y={
                        "type": "data", "symmetric": False,
                        "array": [max(end["q95"] - end["q50"], 0.0)],
                        "arrayminus": [max(end["q50"] - end["q05"], 0.0)],
                    },
                    name=actor, legendgroup=actor, showlegend=False,
                ),
                row=row, col=1,
            )  # fmt: skip
        fig.update_xaxes(title_text="round", row=row, col=1)
    return base_layout(
        fig,
        f"Position paths, {model} model (lines: as written; right: median and 5-95 % of the "
        "final position over the runs)",
        280 * len(ids),
    )
