"""Figures of a report: plotly figures from tidy frames.

Every figure is built once, as a plotly figure, from the tidy tables of
:mod:`parley.report.pipeline`; :mod:`parley.report.static_export` draws the same traces with
matplotlib for PNG/SVG files, and :mod:`parley.report.analysis_plots` holds the sensitivity and
scenario-discovery figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

#: Colours cycled over models, policies and actors (colour-blind safe, Okabe & Ito 2008).
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
)


def colour(k: int) -> str:
    """The k-th colour of :data:`PALETTE` (cycled)."""
    return PALETTE[k % len(PALETTE)]


def band_rgba(hex_colour: str, alpha: float = 0.2) -> str:
    """A translucent ``rgba(...)`` version of a ``#rrggbb`` colour for Monte Carlo bands."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The house layout: left-aligned title, white template, legend below, plain-number axes."""
    fig.update_layout(
        title={"text": title, "x": 0.0},
        height=height,
        template="plotly_white",
        margin={"l": 70, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.12},
    )
    # plain numbers with thousands separators on every numeric axis (no "40µ", no "1e6")
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig


def issue_label(issue: pd.Series) -> str:
    """Axis label of an issue: its name and unit."""
    unit = f" ({issue['unit']})" if issue.get("unit") else ""
    return f"{issue['name'] or issue['id']}{unit}"


def forecast_figure(forecasts: pd.DataFrame, issues: pd.DataFrame) -> go.Figure:
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


def bar_figure(
    frame: pd.DataFrame, x: str, y: str, title: str, *, color_by: str | None = None,
    error: tuple[str, str] | None = None, horizontal: bool = False, x_title: str = "",
) -> go.Figure:  # fmt: skip
    """A grouped bar chart of ``frame`` (used for comparisons, Sobol indices and tornado charts)."""
    fig = go.Figure()
    groups = list(dict.fromkeys(frame[color_by])) if color_by else [None]
    for g, group in enumerate(groups):
        d = frame if group is None else frame[frame[color_by] == group]
        err = None
        if error is not None:
            err = {
                "type": "data", "symmetric": False,
                "array": (d[error[1]] - d[y]).clip(lower=0).tolist(),
                "arrayminus": (d[y] - d[error[0]]).clip(lower=0).tolist(),
            }  # fmt: skip
        kw: dict[str, Any] = (
            {"x": d[y], "y": d[x], "orientation": "h", "error_x": err}
            if horizontal
            else {"x": d[x], "y": d[y], "error_y": err}
        )
        fig.add_trace(
            go.Bar(name=str(group) if group is not None else y, marker_color=colour(g), **kw)
        )
    fig.update_layout(barmode="group")
    if x_title:
        fig.update_xaxes(title_text=x_title)
    return base_layout(fig, title, max(320, 28 * len(frame) if horizontal else 380))


def box_figure(samples: pd.DataFrame, x: str, value: str, title: str, y_title: str) -> go.Figure:
    """Distributions of ``value`` per category ``x`` as box plots."""
    fig = go.Figure()
    for g, (name, d) in enumerate(samples.groupby(x, sort=False)):
        fig.add_trace(go.Box(y=d[value], name=str(name), marker_color=colour(g), boxpoints=False))
    fig.update_yaxes(title_text=y_title)
    return base_layout(fig, title, 380)


def lines_figure(
    frame: pd.DataFrame, x: str, y: str, group: str, title: str, x_title: str, y_title: str,
    band: tuple[str, str] | None = None,
) -> go.Figure:  # fmt: skip
    """One line per ``group`` (e.g. P(settled by t) per policy), optionally with a band."""
    fig = go.Figure()
    for g, (name, d) in enumerate(frame.groupby(group, sort=False)):
        c = colour(g)
        if band is not None:
            fig.add_trace(
                go.Scatter(
                    x=d[x],
                    y=d[band[1]],
                    mode="lines",
                    line={"width": 0},
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=d[x],
                    y=d[band[0]],
                    mode="lines",
                    line={"width": 0},
                    fill="tonexty",
                    fillcolor=band_rgba(c),
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        fig.add_trace(go.Scatter(x=d[x], y=d[y], mode="lines", name=str(name), line={"color": c}))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return base_layout(fig, title, 400)


def _facets(frame: pd.DataFrame, facet: str) -> list[str]:
    return [str(f) for f in dict.fromkeys(frame[facet])]


def faceted_lines_figure(
    frame: pd.DataFrame, facet: str, group: str, x: str, y: str, title: str, x_title: str,
    y_title: str, band: tuple[str, str] | None = None, y_range: tuple[float, float] | None = None,
    step: bool = False,
) -> go.Figure:  # fmt: skip
    """One panel per ``facet`` (e.g. assumption set), one line per ``group`` (e.g. policy), with
    optional bands (e.g. 95 % Wilson intervals); ``step`` draws step functions (survival
    curves: the value holds until the next point)."""
    shape = "hv" if step else "linear"
    facets = _facets(frame, facet)
    fig = make_subplots(rows=len(facets), cols=1, subplot_titles=facets, shared_xaxes=True)
    groups = [str(g) for g in dict.fromkeys(frame[group])]
    for row, fv in enumerate(facets, start=1):
        for g, gv in enumerate(groups):
            d = frame[(frame[facet].astype(str) == fv) & (frame[group].astype(str) == gv)]
            if d.empty:
                continue
            c = colour(g)
            if band is not None:
                fig.add_trace(
                    go.Scatter(
                        x=d[x], y=d[band[1]], mode="lines", line={"width": 0, "shape": shape},
                        showlegend=False, hoverinfo="skip", legendgroup=gv,
                    ),
                    row=row, col=1,
                )  # fmt: skip
                fig.add_trace(
                    go.Scatter(
                        x=d[x], y=d[band[0]], mode="lines", line={"width": 0, "shape": shape},
                        fill="tonexty",
                        fillcolor=band_rgba(c, 0.15), showlegend=False, hoverinfo="skip",
                        legendgroup=gv,
                    ),
                    row=row, col=1,
                )  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=d[x], y=d[y], mode="lines+markers" if len(d) < 8 else "lines",
                    line={"color": c, "shape": shape}, marker={"color": c}, name=gv,
                    legendgroup=gv,
                    showlegend=row == 1,
                ),
                row=row, col=1,
            )  # fmt: skip
        fig.update_yaxes(title_text=y_title, row=row, col=1)
        if y_range is not None:
            fig.update_yaxes(range=list(y_range), row=row, col=1)
    fig.update_xaxes(title_text=x_title, row=len(facets), col=1)
    return base_layout(fig, title, 260 * len(facets) + 80)


def _panel_cells(
    frame: pd.DataFrame, panel: str, group: str, panel_titles: dict[str, str] | None
) -> tuple[go.Figure, list[tuple[int, int, str, pd.DataFrame]], int]:
    """Subplots (one row per ``panel`` value), the non-empty (row, group index, group, rows) and
    the number of panels."""
    panels = _facets(frame, panel)
    titles = [(panel_titles or {}).get(p, p) for p in panels]
    fig = make_subplots(rows=len(panels), cols=1, subplot_titles=titles)
    groups = [str(g) for g in dict.fromkeys(frame[group])]
    cells = []
    for row, pv in enumerate(panels, start=1):
        for g, gv in enumerate(groups):
            d = frame[(frame[panel].astype(str) == pv) & (frame[group].astype(str) == gv)]
            if not d.empty:
                cells.append((row, g, gv, d))
    return fig, cells, len(panels)


def grouped_bars_figure(
    frame: pd.DataFrame, panel: str, x: str, group: str, y: str, lo: str, hi: str, title: str,
    panel_titles: dict[str, str] | None = None,
) -> go.Figure:  # fmt: skip
    """One panel per ``panel`` value (e.g. measure), bars of ``y`` over ``x`` grouped by ``group``,
    with error bars from ``lo`` to ``hi``."""
    fig, cells, n = _panel_cells(frame, panel, group, panel_titles)
    for row, g, gv, d in cells:
        err = {
            "type": "data", "symmetric": False,
            "array": (d[hi] - d[y]).clip(lower=0).fillna(0).tolist(),
            "arrayminus": (d[y] - d[lo]).clip(lower=0).fillna(0).tolist(),
        }  # fmt: skip
        fig.add_trace(
            go.Bar(
                x=d[x].astype(str), y=d[y], error_y=err, name=gv, legendgroup=gv,
                marker_color=colour(g), showlegend=row == 1,
            ),
            row=row, col=1,
        )  # fmt: skip
    fig.update_layout(barmode="group")
    return base_layout(fig, title, 300 * n + 80)


def grouped_boxes_figure(
    frame: pd.DataFrame, panel: str, x: str, group: str, value: str, title: str,
    panel_titles: dict[str, str] | None = None,
) -> go.Figure:  # fmt: skip
    """One panel per ``panel`` value (e.g. issue), box plots of ``value`` over ``x`` grouped by
    ``group`` (whiskers: 1.5 IQR, no outlier points)."""
    fig, cells, n = _panel_cells(frame, panel, group, panel_titles)
    for row, g, gv, d0 in cells:
        d = d0[np.isfinite(d0[value].to_numpy(dtype=float))]
        if not d.empty:
            fig.add_trace(
                go.Box(
                    x=d[x].astype(str), y=d[value], name=gv, legendgroup=gv,
                    marker_color=colour(g), boxpoints=False, showlegend=row == 1,
                ),
                row=row, col=1,
            )  # fmt: skip
    fig.update_layout(boxmode="group")
    return base_layout(fig, title, 300 * n + 80)


def fan_figure(
    observed: pd.DataFrame, fan: pd.DataFrame, facet: str, title: str, y_title: str,
    lines: Sequence[tuple[float, str]] = (), fan_colour: str | None = None,
) -> go.Figure:  # fmt: skip
    """Observed history (black) and the forecast fan (5-95 % and 25-75 % bands, median) per
    ``facet``; ``lines`` are labelled horizontal reference lines; ``fan_colour`` gives every
    panel the same colour (one colour, one concept: the simulated front)."""
    facets = _facets(fan, facet)
    fig = make_subplots(rows=len(facets), cols=1, subplot_titles=facets, shared_xaxes=True)
    for row, fv in enumerate(facets, start=1):
        d = fan[fan[facet].astype(str) == fv]
        c = fan_colour or colour(row - 1)
        fig.add_trace(
            go.Scatter(
                x=observed["date"], y=observed["km2"], mode="lines", line={"color": "#000000"},
                name="observed (DeepState)", legendgroup="obs", showlegend=row == 1,
            ),
            row=row, col=1,
        )  # fmt: skip
        for lo, hi, alpha, label in (
            ("q05", "q95", 0.15, "5-95 %"),
            ("q25", "q75", 0.3, "25-75 %"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=d["date"], y=d[hi], mode="lines", line={"width": 0}, showlegend=False,
                    hoverinfo="skip",
                ),
                row=row, col=1,
            )  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=d["date"], y=d[lo], mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor=band_rgba(c, alpha), name=f"simulated {label}",
                    showlegend=False, hoverinfo="skip",
                ),
                row=row, col=1,
            )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=d["date"], y=d["q50"], mode="lines", line={"color": c},
                name="simulated median" if fan_colour else f"median, {fv}",
                legendgroup="median", showlegend=not fan_colour or row == 1,
            ),
            row=row, col=1,
        )  # fmt: skip
        for value, label in lines:
            fig.add_hline(
                y=value, line={"dash": "dot", "color": "#999", "width": 1}, row=row, col=1,
                annotation_text=label, annotation_font={"size": 9, "color": "#555"},
            )  # fmt: skip
        fig.update_yaxes(title_text=y_title, row=row, col=1)
    return base_layout(fig, title, 300 * len(facets) + 80)
