"""Figures of a front backtest: fans against what happened, and PIT histograms (matplotlib, PNG).

A calibrated forecast has a flat PIT histogram (Dawid 1984; Gneiting, Balabdaoui & Raftery 2007,
"Probabilistic forecasts, calibration and sharpness", JRSS B 69(2):243–268): a U shape means
intervals too narrow, a hump too wide, a slope a biased median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from parley.analysis.backtest import MODEL, MODELS

if TYPE_CHECKING:
    from parley.analysis.backtest import OriginForecast


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    return plt


def fan_figure(results: Sequence[OriginForecast], series: pd.Series, path: Path) -> Path:
    """One panel per origin: the front model's 50 and 90 % bands and median, the random walk's
    90 % band (dashed), and the observed series (black) from 60 days before the origin."""
    plt = _pyplot()
    import matplotlib.dates as mdates  # noqa: PLC0415

    n = len(results)
    cols = min(4, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.8 * rows), squeeze=False)
    obs = series.ffill()
    for ax, res in zip(axes.flat, results, strict=False):
        fan = res.fan
        f, rw = fan[fan["model"] == MODEL], fan[fan["model"] == "rw"]
        d = pd.to_datetime(f["date"])
        ax.fill_between(d, f["q05"], f["q95"], color="tab:blue", alpha=0.2, lw=0)
        ax.fill_between(d, f["q25"], f["q75"], color="tab:blue", alpha=0.35, lw=0)
        ax.plot(d, f["q50"], color="tab:blue", lw=1)
        for q in ("q05", "q95"):
            ax.plot(pd.to_datetime(rw["date"]), rw[q], color="tab:orange", ls="--", lw=0.8)
        lo = pd.Timestamp(res.origin) - pd.Timedelta(days=60)
        seen = obs[(obs.index >= lo) & (obs.index <= d.max())]
        ax.plot(seen.index, seen.to_numpy(), color="black", lw=1)
        ax.axvline(pd.Timestamp(res.origin), color="grey", lw=0.6)
        ax.set_title(f"origin {res.origin}", fontsize=9)
        ax.tick_params(labelsize=7)
        locator = mdates.AutoDateLocator(maxticks=4)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle("Front forecasts (blue: 50/90 %; orange dashed: random walk 90 %) vs observed")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def pit_figure(scores: pd.DataFrame, path: Path, bins: int = 10) -> Path:
    """PIT histogram (density) of every model over all origins and horizons."""
    plt = _pyplot()
    models = [m for m in MODELS if m in set(scores["model"])]
    fig, axes = plt.subplots(1, len(models), figsize=(3.2 * len(models), 2.8), squeeze=False)
    for ax, m in zip(axes[0], models, strict=True):
        pit = scores.loc[scores["model"] == m, "pit"].to_numpy(dtype=float)
        ax.hist(pit, bins=np.linspace(0, 1, bins + 1), density=True, color="tab:blue")
        ax.axhline(1.0, color="black", lw=0.8, ls="--")
        ax.set_title(f"{m} (n={pit.size})", fontsize=9)
        ax.set_xlim(0, 1)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
