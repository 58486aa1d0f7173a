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


def save_static(fig: go.Figure, path: Path, formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Draw ``fig`` with matplotlib and save it as ``path.<fmt>`` for each format; return the files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_axes = 1 + max((_axis_index(getattr(t, "yaxis", None)) for t in fig.data), default=0)
    mfig, axes = plt.subplots(n_axes, 1, figsize=(8, 2.8 * n_axes + 0.8), squeeze=False)
    prev: dict[int, tuple[list[Any], list[Any]]] = {}
    for tr in fig.data:
        ax = axes[_axis_index(getattr(tr, "yaxis", None)), 0]
        k = _axis_index(getattr(tr, "yaxis", None))
        label = tr.name if getattr(tr, "showlegend", None) is not False and tr.name else None
        if tr.type == "scatter":
            x, y = _values(tr.x), _values(tr.y)
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
                ax.plot(x, y, marker=marker, linestyle=ls, color=tr.line.color if tr.line is not None else None, label=label)  # fmt: skip
            prev[k] = (x, y)
        elif tr.type == "bar":
            x, y = _values(tr.x), _values(tr.y)
            if tr.orientation == "h":
                ax.barh([str(v) for v in y], x, color=tr.marker.color, label=label, alpha=0.85)
            else:
                ax.bar([str(v) for v in x], y, color=tr.marker.color, label=label, alpha=0.85)
                ax.tick_params(axis="x", labelrotation=30)
        elif tr.type == "box":
            data = np.asarray(_values(tr.y), dtype=float)
            pos = len(ax.get_xticks()) if ax.has_data() else 0
            ax.boxplot(
                data[np.isfinite(data)], positions=[pos], tick_labels=[tr.name], showfliers=False
            )
    titles = [a.text for a in fig.layout.annotations if getattr(a, "yref", None) == "paper"]
    for i, ax in enumerate(axes[:, 0]):
        if i < len(titles):
            ax.set_title(titles[i], fontsize=9)
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
