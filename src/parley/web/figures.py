"""Interactive plotly figures of a dashboard run, built from the run's tidy Parquet tables.

The same figures go into the downloadable HTML report (:func:`parley.web.report_page.run_report_html`,
written by the report's one writer), which embeds plotly.js so that it opens offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

MAX_ISSUE_PANELS = 12


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / f"{name}.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def issue_forecast_figure(forecasts: pd.DataFrame, positions: pd.DataFrame) -> go.Figure:
    """Per issue: the actors' stances (marker size = salience x capability) and each forecast.

    Forecasts are drawn on the issue's own scale next to the stances they come from, so a reader sees
    which actors a model's outcome sits closest to; the actual outcome is a star where it is known.
    """
    issues = list(dict.fromkeys(forecasts["issue"]))[:MAX_ISSUE_PANELS]
    meta = forecasts.drop_duplicates("issue").set_index("issue")
    titles = [
        f"{meta.loc[i, 'issue_name']}"
        + (f" ({meta.loc[i, 'unit']})" if meta.loc[i, "unit"] else "")
        for i in issues
    ]
    fig = make_subplots(rows=len(issues), cols=1, subplot_titles=titles, vertical_spacing=0.12)
    variants = list(dict.fromkeys(forecasts["variant"]))
    base = variants[0]
    models = list(dict.fromkeys(forecasts["model"]))
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"]
    for r, issue in enumerate(issues, start=1):
        st = positions[(positions["issue"] == issue) & (positions["variant"] == base)]
        weight = (st["salience"] * st["capability"]).to_numpy()
        wmax = float(weight.max()) if len(weight) and weight.max() > 0 else 1.0
        fig.add_trace(
            go.Scatter(
                x=st["position"],
                y=["actors"] * len(st),
                mode="markers+text",
                text=st["actor"],
                textposition="top center",
                cliponaxis=False,  # labels of actors at the ends of the scale stay readable
                marker={"size": 8 + 22 * weight / wmax, "color": "#888", "opacity": 0.7},
                name="actors",
                legendgroup="actors",
                showlegend=r == 1,
                customdata=st[["actor_name", "salience", "capability"]].to_numpy(),
                hovertemplate="%{customdata[0]}: %{x}<br>salience %{customdata[1]:.2f}, "
                "capability %{customdata[2]:.3g}<extra></extra>",
            ),
            row=r,
            col=1,
        )
        for m, model in enumerate(models):
            fc = forecasts[(forecasts["issue"] == issue) & (forecasts["model"] == model)]
            fig.add_trace(
                go.Scatter(
                    x=fc["forecast"],
                    y=[f"{v}" for v in fc["variant"]] if len(variants) > 1 else [model] * len(fc),
                    mode="markers",
                    marker={"symbol": "diamond", "size": 13, "color": palette[m % len(palette)]},
                    name=model,
                    legendgroup=model,
                    showlegend=r == 1,
                    hovertemplate=f"{model}" + " (%{y}): %{x:.3g}<extra></extra>",
                ),
                row=r,
                col=1,
            )
        actual = meta.loc[issue, "actual"]
        if pd.notna(actual):
            fig.add_trace(
                go.Scatter(
                    x=[actual],
                    y=["actual"],
                    mode="markers",
                    marker={"symbol": "star", "size": 15, "color": "black"},
                    name="actual outcome",
                    legendgroup="actual",
                    showlegend=True,
                    hovertemplate="actual outcome: %{x}<extra></extra>",
                ),
                row=r,
                col=1,
            )
        fig.update_xaxes(range=[meta.loc[issue, "scale_min"], meta.loc[issue, "scale_max"]], row=r)
    fig.update_layout(
        title="Forecast outcome by issue",
        height=max(320, 230 * len(issues)),
        margin={"l": 110, "r": 20, "t": 80, "b": 40},
        legend={"orientation": "h", "y": -0.05},
    )
    return fig


def history_figure(history: pd.DataFrame) -> go.Figure:
    """Positions per round of the first iterative model (one line per actor and issue)."""
    model = str(history["model"].iloc[0])
    variant = str(history["variant"].iloc[0])
    h = history[(history["model"] == model) & (history["variant"] == variant)]
    fig = go.Figure()
    for (actor, issue), g in h.groupby(["actor", "issue"], sort=False):
        fig.add_trace(
            go.Scatter(x=g["state"], y=g["position"], mode="lines", name=f"{actor} / {issue}")
        )
    fig.update_layout(
        title=f"Positions per round ({model})",
        xaxis_title="round",
        yaxis_title="position",
        height=380,
    )
    return fig


def compare_figure(runs: list[tuple[str, pd.DataFrame]]) -> go.Figure:
    """Forecasts of several runs side by side, as a share of each issue's scale (0-100 %)."""
    fig = go.Figure()
    for label, fc in runs:
        pct = 100 * (fc["forecast"] - fc["scale_min"]) / (fc["scale_max"] - fc["scale_min"])
        frame = fc.assign(pct=pct)
        for key, g in frame.groupby(["variant", "model"], sort=False):
            variant, model = (str(k) for k in key)
            fig.add_trace(
                go.Bar(
                    x=g["issue"],
                    y=g["pct"],
                    name=f"{label}: {model}" + (f" ({variant})" if variant != "baseline" else ""),
                    customdata=g[["forecast", "unit"]].to_numpy(),
                    hovertemplate="%{x}: %{customdata[0]:.3g} %{customdata[1]}"
                    " (%{y:.0f} % of scale)<extra></extra>",
                )
            )
    fig.update_layout(
        title="Runs compared: forecast as % of each issue's scale",
        barmode="group",
        yaxis={"title": "% of scale", "range": [0, 100]},
        height=420,
    )
    return fig


def run_figures(folder: Path) -> list[go.Figure]:
    """All figures of a finished run, in display order."""
    forecasts, positions = _read(folder, "forecasts"), _read(folder, "positions")
    if forecasts is None or positions is None:
        return []
    figs = [issue_forecast_figure(forecasts, positions)]
    history = _read(folder, "history")
    if history is not None and len(history):
        figs.append(history_figure(history))
    return figs


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """A figure as plain JSON (``data`` and ``layout``) for ``Plotly.react`` in the page."""
    out: dict[str, Any] = json.loads(fig.to_json())
    return out
