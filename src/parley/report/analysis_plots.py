"""Figures of the sensitivity and scenario-discovery sections: tornado chart, PRIM box limits and
the PRIM peeling trajectory (Friedman & Fisher 1999; Bryant & Lempert 2010), as plotly figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parley.report.plots import base_layout, colour


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
    return base_layout(fig, title, max(360, 30 * len(d) + 120))


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
    return base_layout(fig, title, max(360, 28 * len(d) + 120))


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
    return base_layout(fig, title, 400)
