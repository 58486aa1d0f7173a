"""Figures of a report: plotly figures from tidy frames, and static PNG/SVG versions of them.

Every figure is built once, as a plotly figure, from the tidy tables of
:mod:`parley.report.pipeline`; :func:`save_static` draws the same traces with matplotlib so that
papers get PNG/SVG files without a browser. Only the trace kinds used here are translated
(scatter lines/markers with band fills, bars with error bars, box plots).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
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


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0},
        height=height,
        template="plotly_white",
        margin={"l": 70, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.12},
    )
    return fig


def issue_label(issue: pd.Series) -> str:
    """Axis label of an issue: its name and unit."""
    unit = f" ({issue['unit']})" if issue.get("unit") else ""
    return f"{issue['name'] or issue['id']}{unit}"


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
    return _layout(
        fig, "Forecast per issue and model (dot: as written; bar: 90 % of runs)", 260 * n
    )


def paths_figure(paths: pd.DataFrame, model: str, issues: pd.DataFrame) -> go.Figure:
    """Per-actor position paths of one iterative model with 5-95 % Monte Carlo bands."""
    sub = paths[paths["model"] == model]
    ids = [i for i in issues["id"] if i in set(sub["issue"])]
    by_id = issues.set_index("id", drop=False)
    titles = [issue_label(by_id.loc[i]) for i in ids]
    fig = make_subplots(rows=len(ids), cols=1, subplot_titles=titles)
    actors = list(dict.fromkeys(sub["actor"]))
    for row, issue_id in enumerate(ids, start=1):
        for a, actor in enumerate(actors):
            d = sub[(sub["issue"] == issue_id) & (sub["actor"] == actor)].sort_values("state")
            if d.empty:
                continue
            c = colour(a)
            fig.add_trace(
                go.Scatter(
                    x=d["state"], y=d["q95"], mode="lines", line={"width": 0},
                    hoverinfo="skip", showlegend=False, legendgroup=actor,
                ),
                row=row, col=1,
            )  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=d["state"], y=d["q05"], mode="lines", line={"width": 0},
                    fill="tonexty", fillcolor=band_rgba(c), hoverinfo="skip",
                    showlegend=False, legendgroup=actor,
                ),
                row=row, col=1,
            )  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=d["state"], y=d["base"], mode="lines+markers", line={"color": c},
                    name=actor, legendgroup=actor, showlegend=row == 1,
                ),
                row=row, col=1,
            )  # fmt: skip
        fig.update_xaxes(title_text="round", row=row, col=1)
    return _layout(
        fig, f"Position paths, {model} model (line: as written; band: 5-95 %)", 280 * len(ids)
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
    return _layout(fig, title, max(320, 28 * len(frame) if horizontal else 380))


def box_figure(samples: pd.DataFrame, x: str, value: str, title: str, y_title: str) -> go.Figure:
    """Distributions of ``value`` per category ``x`` as box plots."""
    fig = go.Figure()
    for g, (name, d) in enumerate(samples.groupby(x, sort=False)):
        fig.add_trace(go.Box(y=d[value], name=str(name), marker_color=colour(g), boxpoints=False))
    fig.update_yaxes(title_text=y_title)
    return _layout(fig, title, 380)


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
    return _layout(fig, title, 400)


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
    return _layout(fig, title, 260 * len(facets) + 80)


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
    return _layout(fig, title, 300 * n + 80)


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
    return _layout(fig, title, 300 * n + 80)


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
    return _layout(fig, title, 300 * len(facets) + 80)


def tornado_figure(table: pd.DataFrame, title: str, x_title: str, top: int = 12) -> go.Figure:
    """One-at-a-time swings around the all-at-median output: bars for each parameter at its low
    and at its high value, largest swing on top."""
    d = table.head(top).iloc[::-1]
    labels = [str(p) for p in d["parameter"]]
    fig = go.Figure()
    for k, (col, name) in enumerate((("y_low", "parameter at its low value"),
                                     ("y_high", "parameter at its high value"))):  # fmt: skip
        fig.add_trace(
            go.Bar(
                y=labels,
                x=(d[col] - d["y_base"]).tolist(),
                orientation="h",
                name=name,
                marker_color=colour(k),
            )
        )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=x_title)
    return _layout(fig, title, max(360, 30 * len(d) + 120))


def prim_box_figure(box: pd.DataFrame, title: str) -> go.Figure:
    """The PRIM box: each parameter's kept range as a share of its sampled range (restricted
    parameters coloured), with the values in the hover text."""
    span = (box["max"] - box["min"]).replace(0, np.nan)
    lo = ((box["low"] - box["min"]) / span).fillna(0.0)
    width = ((box["high"] - box["low"]) / span).fillna(1.0)
    d = pd.DataFrame({"parameter": box["parameter"].astype(str), "lo": lo, "w": width,
                      "restricted": box["restricted"].astype(bool),
                      "text": [f"{a:.4g} to {b:.4g}" for a, b in zip(box["low"], box["high"], strict=True)]})  # fmt: skip
    d = d.sort_values("restricted").reset_index(drop=True)
    fig = go.Figure()
    for flag, name in ((False, "not restricted"), (True, "restricted by PRIM")):
        s = d[d.restricted == flag]
        if s.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=s["parameter"],
                x=s["w"],
                base=s["lo"],
                orientation="h",
                name=name,
                marker_color=colour(7 if not flag else 1),
                hovertext=s["text"],
                text=s["text"],
                textposition="inside",
            )
        )
    fig.update_xaxes(range=[0, 1], title_text="share of the sampled range")
    return _layout(fig, title, max(360, 28 * len(d) + 120))


def prim_trajectory_figure(traj: pd.DataFrame, chosen: int, title: str) -> go.Figure:
    """PRIM's peeling trajectory: coverage against density of every box, the chosen one marked."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=traj["coverage"], y=traj["density"], mode="lines+markers", name="boxes",
            line={"color": colour(0)}, text=[f"step {s}" for s in traj["step"]],
        )
    )  # fmt: skip
    c = traj.iloc[chosen]
    fig.add_trace(
        go.Scatter(
            x=[c["coverage"]], y=[c["density"]], mode="markers", name="chosen box",
            marker={"color": colour(1), "size": 14},
        )
    )  # fmt: skip
    fig.update_xaxes(title_text="coverage (share of all cases where it holds)", range=[0, 1.02])
    fig.update_yaxes(title_text="density (share of cases in the box where it holds)")
    return _layout(fig, title, 400)


# --- static export -----------------------------------------------------------------------------


def _axis_index(ref: str | None) -> int:
    ref = ref or "y"
    return int(ref[1:]) - 1 if len(ref) > 1 else 0


def _rgba(c: Any) -> Any:
    if isinstance(c, str) and c.startswith("rgba("):
        r, g, b, a = (float(v) for v in c[5:-1].split(","))
        return (r / 255, g / 255, b / 255, a)
    return c


def _values(v: Any) -> list[Any]:
    return [] if v is None else list(np.asarray(v, dtype=object).ravel())


def _dates(v: list[Any]) -> list[Any]:
    """ISO date strings as datetimes (so matplotlib draws a time axis); other values unchanged."""
    if v and all(isinstance(x, str) and len(x) == 10 and x[4] == "-" for x in v):
        return list(pd.to_datetime(v))
    return v


def _err(e: Any) -> list[list[Any]] | None:
    if e is None or e.array is None:
        return None
    return [_values(e.arrayminus), _values(e.array)]


def save_static(fig: go.Figure, path: Path, formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Draw ``fig`` with matplotlib and save it as ``path.<fmt>`` for each format; return the files.

    Translates scatter lines/markers with band fills, bars (grouped, floating, with error bars)
    and box plots (grouped by category), one matplotlib axis per plotly subplot.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_axes = 1 + max((_axis_index(getattr(t, "yaxis", None)) for t in fig.data), default=0)
    mfig, axes = plt.subplots(n_axes, 1, figsize=(8, 2.8 * n_axes + 0.8), squeeze=False)
    prev: dict[int, tuple[list[Any], list[Any]]] = {}
    grouped = fig.layout.barmode == "group" or fig.layout.boxmode == "group"
    n_group: dict[int, int] = {}
    for tr in fig.data:
        if tr.type in ("bar", "box"):
            k = _axis_index(getattr(tr, "yaxis", None))
            n_group[k] = n_group.get(k, 0) + 1
    seen: dict[int, int] = {}
    cats: dict[int, list[str]] = {}
    for tr in fig.data:
        ax = axes[_axis_index(getattr(tr, "yaxis", None)), 0]
        k = _axis_index(getattr(tr, "yaxis", None))
        label = tr.name if getattr(tr, "showlegend", None) is not False and tr.name else None
        if tr.type == "scatter":
            x, y = _dates(_values(tr.x)), _values(tr.y)
            if tr.fill == "tonexty" and k in prev:
                ax.fill_between(x, prev[k][1], y, color=_rgba(tr.fillcolor), linewidth=0)
            elif tr.error_x is not None and tr.error_x.array is not None:
                ax.errorbar(x, y, xerr=[_values(tr.error_x.arrayminus), _values(tr.error_x.array)], fmt="o", color=tr.marker.color, label=label)  # fmt: skip
            elif tr.line is not None and tr.line.width == 0:
                pass
            else:
                mode = tr.mode or "lines"
                marker = "o" if "markers" in mode else None
                dashed = tr.line is not None and tr.line.dash in ("dash", "dot")
                ls = ("--" if dashed else "-") if "lines" in mode else "none"
                col = tr.line.color if tr.line is not None and tr.line.color else None
                if col is None and tr.marker is not None:
                    col = tr.marker.color
                ax.plot(x, y, marker=marker, linestyle=ls, color=col, label=label)  # fmt: skip
            prev[k] = (x, y)
        elif tr.type in ("bar", "box"):
            j = seen.get(k, 0)
            seen[k] = j + 1
            n = n_group.get(k, 1) if grouped else 1
            width = 0.8 / n
            offset = (j - (n - 1) / 2) * width if grouped else 0.0
            horizontal = tr.orientation == "h"
            cat_vals = _values(tr.y if horizontal else tr.x)
            if tr.type == "box" and not cat_vals:
                cat_vals = [tr.name] * len(_values(tr.y))
            order = cats.setdefault(k, [])
            for c in cat_vals:
                if str(c) not in order:
                    order.append(str(c))
            if tr.type == "bar":
                vals = np.asarray(_values(tr.x if horizontal else tr.y), dtype=float)
                pos = np.array([order.index(str(c)) for c in cat_vals], dtype=float) + offset
                base = _values(tr.base) if tr.base is not None else None
                err = _err(tr.error_x if horizontal else tr.error_y)
                if horizontal:
                    ax.barh(pos, vals, height=width, left=base, color=tr.marker.color,
                            label=label, alpha=0.85, xerr=err)  # fmt: skip
                else:
                    ax.bar(pos, vals, width=width, color=tr.marker.color, label=label,
                           alpha=0.85, yerr=err)  # fmt: skip
            else:
                data = np.asarray(_values(tr.y), dtype=float)
                keys = [str(c) for c in cat_vals]
                groups = [
                    data[[i for i, c in enumerate(keys) if c == cat]] for cat in dict.fromkeys(keys)
                ]
                box_pos = [order.index(cat) + offset for cat in dict.fromkeys(keys)]
                groups = [g[np.isfinite(g)] for g in groups]
                bp = ax.boxplot(groups, positions=box_pos, widths=width * 0.9, showfliers=False,
                                manage_ticks=False, patch_artist=True)  # fmt: skip
                for patch in bp["boxes"]:
                    patch.set_facecolor(_rgba(band_rgba(tr.marker.color or "#0072B2", 0.5)))
                if label:
                    ax.plot([], [], color=tr.marker.color or "#0072B2", label=label, linewidth=6)
    for k, order in cats.items():
        ax = axes[k, 0]
        horizontal = any(
            t.orientation == "h" for t in fig.data if _axis_index(getattr(t, "yaxis", None)) == k
        )
        if horizontal:
            ax.set_yticks(range(len(order)), order, fontsize=7)
        else:
            ax.set_xticks(range(len(order)), order, fontsize=7, rotation=20, ha="right")
    titles = [a.text for a in fig.layout.annotations if getattr(a, "yref", None) == "paper"]
    for i, ax in enumerate(axes[:, 0]):
        if i < len(titles):
            ax.set_title(titles[i], fontsize=9)
        suffix = str(i + 1) if i else ""
        for axis, setter in (("xaxis", ax.set_xlabel), ("yaxis", ax.set_ylabel)):
            layout_axis = fig.layout[f"{axis}{suffix}"] if f"{axis}{suffix}" in fig.layout else None
            text = layout_axis.title.text if layout_axis is not None else None
            if text:
                setter(text, fontsize=8)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="best")
    title = fig.layout.title.text if fig.layout.title is not None else None
    if title:
        mfig.suptitle(title, fontsize=10)
    mfig.tight_layout()
    out = []
    for fmt in formats:
        target = path.with_suffix(f".{fmt}")
        mfig.savefig(target, dpi=130)
        out.append(target)
    plt.close(mfig)
    return out
