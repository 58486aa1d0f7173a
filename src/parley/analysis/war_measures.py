"""The measures of a war policy comparison, per assumption set x policy, with 95 % intervals.

For each cell of runs (:func:`cell_measures`): P(settlement within 6/12/24 months), P(a settlement
holds 5 years), territory under side A after the war, population under occupation, escalation,
P(war still on at the horizon), casualties per side and in total, and the expected terms per
issue among settled runs. Shares carry the Wilson (1927) score interval and means the normal
approximation (:func:`parley.war.summary.proportion`, :func:`parley.war.summary.mean_ci`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.war.politics import DAYS_PER_MONTH
from parley.war.summary import mean_ci, proportion

FloatArray = NDArray[np.float64]

#: Months for P(settlement within t) and years for P(a settlement holds t years).
SETTLE_MONTHS = (6, 12, 24)
HELD_YEARS = (1, 5, 10)

#: Measures of the comparison table: key, label, unit, kind (``share`` or ``mean``).
MEASURES: tuple[tuple[str, str, str, str], ...] = (
    *(
        (f"p_settle_{m}m", f"P(settlement within {m} months)", "share", "share")
        for m in SETTLE_MONTHS
    ),
    ("p_held_5y", "P(a settlement holds 5 years)", "share", "share"),
    ("territory_after_km2", "Territory under A after the war", "km2", "mean"),
    ("population_under_occupation", "Population under occupation", "people", "mean"),
    ("p_catastrophe", "P(catastrophic escalation)", "share", "share"),
    ("max_escalation_hazard", "Peak escalation hazard", "per month", "mean"),
    ("p_ongoing", "P(war still on at the horizon)", "share", "share"),
)


def settle_months(frame: pd.DataFrame, step_days: float) -> FloatArray:
    """Months from the start to the settlement, ``(settle_step + 1) * step_days / month`` (NaN if
    none), the convention of :func:`parley.war.summary.summarise`."""
    step = frame["settle_step"].to_numpy(dtype=float)
    return (step + 1.0) * step_days / DAYS_PER_MONTH


def _row(
    aset: str, pol: str, key: str, label: str, unit: str, stat: Mapping[str, float | int]
) -> dict[str, Any]:
    est = stat["p"] if "p" in stat else stat["mean"]
    return {
        "assumptions": aset,
        "policy": pol,
        "measure": key,
        "label": label,
        "unit": unit,
        "estimate": float(est),
        "lo": float(stat["lo"]),
        "hi": float(stat["hi"]),
        "n": int(stat["n"]),
    }


def _main_stats(d: pd.DataFrame, step_days: float) -> dict[str, Mapping[str, float | int]]:
    """The estimates of :data:`MEASURES` for one cell's runs."""
    months = np.nan_to_num(settle_months(d, step_days), nan=np.inf)
    settled = d["settled"].to_numpy(dtype=bool)
    stats: dict[str, Mapping[str, float | int]] = {}
    for m in SETTLE_MONTHS:
        stats[f"p_settle_{m}m"] = proportion(months <= m)
    held = d["held_5y"].to_numpy(dtype=float)
    stats["p_held_5y"] = proportion(np.where(settled, held, np.nan))
    stats["territory_after_km2"] = mean_ci(d["territory_after_km2"])
    stats["population_under_occupation"] = mean_ci(d["population_under_occupation"])
    stats["p_catastrophe"] = proportion(d["catastrophe"].to_numpy(dtype=float))
    stats["max_escalation_hazard"] = mean_ci(d["max_escalation_hazard"])
    stats["p_ongoing"] = proportion((d["outcome"].to_numpy() == 0).astype(float))
    return stats


def cell_measures(
    runs: pd.DataFrame, step_days: float, issues: Sequence[str], sides: Sequence[str],
    units: Mapping[str, str] | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Every measure of every (assumptions, policy) cell with its 95 % Monte Carlo interval.

    Parameters
    ----------
    runs : pandas.DataFrame
        One row per run with ``assumptions``, ``policy`` and the war outcomes (``settle_step``,
        ``settled``, ``held_5y``, ``territory_after_km2``, ``casualties.<side>``, ``terms.<issue>``
        ...).
    step_days : float
        Days per simulation step.
    issues, sides : sequence of str
        Issue ids (terms among settled runs) and the two sides (casualties).
    units : mapping, optional
        Issue id -> unit of its terms.

    Returns
    -------
    pandas.DataFrame
        One row per cell and measure: ``assumptions, policy, measure, label, unit, estimate, lo,
        hi, n``.
    """
    units = dict(units or {})
    out: list[dict[str, Any]] = []
    for (aset, pol), d in runs.groupby(["assumptions", "policy"], sort=False):
        a, p = str(aset), str(pol)
        settled = d["settled"].to_numpy(dtype=bool)
        stats = _main_stats(d, step_days)
        for key, label, unit, _ in MEASURES:
            out.append(_row(a, p, key, label, unit, stats[key]))
        total = sum(d[f"casualties.{side}"].to_numpy(dtype=float) for side in sides)
        out.append(
            _row(a, p, "casualties_total", "Casualties, both sides", "people", mean_ci(total))
        )
        for side in sides:
            out.append(
                _row(a, p, f"casualties.{side}", f"Casualties, {side}", "people",
                     mean_ci(d[f"casualties.{side}"]))
            )  # fmt: skip
        for issue in issues:
            vals = np.where(settled, d[f"terms.{issue}"].to_numpy(dtype=float), np.nan)
            out.append(
                _row(a, p, f"terms.{issue}", f"Terms: {issue} (if settled)",
                     units.get(issue, ""), mean_ci(vals))
            )  # fmt: skip
    return pd.DataFrame(out)
