"""Settlement and durability curves per assumption set x policy, with Wilson intervals.

:func:`settlement_curve`: P(settled by month t) for every whole month of the horizon;
:func:`durability_curve`: P(a settlement still holds after t years) among settled runs. Shares and
intervals come from :func:`parley.war.summary.proportion` (Wilson 1927).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from parley.analysis.war_measures import HELD_YEARS, settle_months
from parley.war.summary import proportion


def settlement_curve(runs: pd.DataFrame, step_days: float, horizon_months: float) -> pd.DataFrame:
    """P(settled by month t) with Wilson intervals, t = 0, 1, ..., horizon, per cell.

    Returns one row per cell and month: ``assumptions, policy, month, p, lo, hi``.
    """
    grid = np.arange(0, int(math.floor(horizon_months)) + 1)
    rows = []
    for (aset, pol), d in runs.groupby(["assumptions", "policy"], sort=False):
        months = np.nan_to_num(settle_months(d, step_days), nan=np.inf)
        for t in grid:
            s = proportion(months <= t)
            rows.append(
                {"assumptions": aset, "policy": pol, "month": int(t), "p": s["p"],
                 "lo": s["lo"], "hi": s["hi"]}
            )  # fmt: skip
    return pd.DataFrame(rows)


def durability_curve(runs: pd.DataFrame) -> pd.DataFrame:
    """P(a settlement still holds after t years), t = 0, 1, 5, 10, among settled runs, per cell.

    Returns one row per cell and year: ``assumptions, policy, years, p, lo, hi, n``.
    """
    rows = []
    for (aset, pol), d in runs.groupby(["assumptions", "policy"], sort=False):
        settled = d["settled"].to_numpy(dtype=bool)
        rows.append(
            {"assumptions": aset, "policy": pol, "years": 0, "p": 1.0, "lo": 1.0, "hi": 1.0}
        )
        for y in HELD_YEARS:
            s = proportion(np.where(settled, d[f"held_{y}y"].to_numpy(dtype=float), np.nan))
            rows.append(
                {"assumptions": aset, "policy": pol, "years": y, "p": s["p"], "lo": s["lo"],
                 "hi": s["hi"], "n": s["n"]}
            )  # fmt: skip
    return pd.DataFrame(rows)
