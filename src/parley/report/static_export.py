"""Static copies of the report's figures: each plotly figure drawn again with matplotlib and saved
as PNG/SVG (no browser or kaleido needed), with plain-number axes and one legend below the panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parley.report.plots import band_rgba


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


def plain_number(v: float) -> str:
    """A tick label in plain digits: thousands separators, no SI prefix or exponent
    (``1200000`` -> ``1,200,000``; ``0.00004`` -> ``0.00004``)."""
    if not np.isfinite(v):
        return ""
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return str(np.format_float_positional(round(float(v), 12), trim="-"))


def _plain_numbers(ax: Any) -> None:
    """Plain-number tick labels on the numeric axes of a matplotlib axis (dates and categories
    keep their own labels)."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for axis in (ax.xaxis, ax.yaxis):
        if isinstance(axis.get_major_formatter(), ScalarFormatter):
            axis.set_major_formatter(FuncFormatter(lambda v, _pos: plain_number(v)))


def _figure_legend(mfig: Any, axes: Any) -> float:
    """One legend for the whole figure, below the panels (never over the data); returns the
    fraction of the figure's height it takes."""
    handles: dict[str, Any] = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    if not handles:
        return 0.0
    ncol = 2 if max(len(k) for k in handles) > 30 else 4
    rows = -(-len(handles) // ncol)
    frac = min(0.3, (0.3 * rows + 0.2) / mfig.get_figheight())
    mfig.legend(list(handles.values()), list(handles), loc="lower center", ncol=ncol, fontsize=7,
                frameon=False)  # fmt: skip
    return frac


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
            elif tr.error_y is not None and tr.error_y.array is not None:
                ax.errorbar(x, y, yerr=_err(tr.error_y), fmt="D", markersize=4, color=tr.marker.color, label=label)  # fmt: skip
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
    for ax in axes[:, 0]:
        _plain_numbers(ax)
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
    legend = _figure_legend(mfig, axes[:, 0])
    title = fig.layout.title.text if fig.layout.title is not None else None
    if title:
        mfig.suptitle(title, fontsize=10)
    mfig.tight_layout(rect=(0.0, legend, 1.0, 1.0))
    out = []
    for fmt in formats:
        target = path.with_suffix(f".{fmt}")
        mfig.savefig(target, dpi=130)
        out.append(target)
    plt.close(mfig)
    return out
