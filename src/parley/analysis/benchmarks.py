"""Naive benchmark forecasts of a daily series, fitted on the same window as the model.

Any forecast of the front has to beat these to be worth its complexity (Hyndman & Athanasopoulos,
*Forecasting: Principles and Practice*, 3rd ed., §5.2 on simple benchmark methods; Gneiting &
Katzfuss 2014, "Probabilistic forecasting", Annu. Rev. Stat. Appl. 1:125–151, on climatological
reference forecasts):

- ``rw``: zero-drift random walk, ``y_{t+h} ~ N(y_t, s²h)`` with ``s²`` the maximum-likelihood
  variance per day of the window's increments (``mean(Δy²/g)`` over intervals of ``g`` days);
- ``rw_robust``: the same with a jump-free scale, ``s = 1.4826·MAD(Δy/√g)`` (the median absolute
  deviation is unmoved by a few break-through days; Hampel 1974);
- ``climatology``: the empirical distribution of the window's past ``h``-day changes added to
  ``y_t``. When the window holds fewer than :data:`MIN_CHANGES` such changes, the longest span
  ``k`` that does is used and its changes are scaled by ``h/k`` (changes per day, held for ``h``
  days); this is recorded as ``climatology_span``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

MIN_CHANGES = 10
BENCHMARKS = ("rw", "rw_robust", "climatology")


def increments(window: pd.Series) -> tuple[FloatArray, FloatArray]:
    """Increments and gaps (days) between the observed (non-NaN) days of ``window``."""
    obs = window.dropna()
    days = (pd.DatetimeIndex(obs.index) - pd.Timestamp(obs.index[0])).days.to_numpy(dtype=float)
    return np.diff(obs.to_numpy(dtype=float)), np.diff(days)


def rw_scale(window: pd.Series) -> float:
    """Daily sd of the zero-drift random walk (maximum likelihood)."""
    dy, gap = increments(window)
    return math.sqrt(float(np.mean(dy**2 / gap)))


def rw_robust_scale(window: pd.Series) -> float:
    """Daily sd from the median absolute deviation of the standardised increments."""
    dy, gap = increments(window)
    r = dy / np.sqrt(gap)
    return 1.4826 * float(np.median(np.abs(r - np.median(r))))


def climatology_changes(window: pd.Series, h: int) -> tuple[FloatArray, int]:
    """Past ``h``-day changes of the (carried-forward) daily window, and the span used."""
    daily = window.asfreq("D").ffill().dropna().to_numpy(dtype=float)
    span = min(h, daily.size - MIN_CHANGES)
    if span < 1:
        raise ValueError("window too short for a climatology")
    changes = daily[span:] - daily[:-span]
    return changes * (h / span), span
