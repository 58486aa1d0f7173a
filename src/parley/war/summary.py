"""Summary statistics of a simulated war dataset with Monte Carlo confidence intervals.

Proportions get Wilson score intervals (Wilson 1927, JASA 22(158)), which stay inside [0, 1] and
behave for rare events such as catastrophe; means get normal-approximation intervals
``mean ± z·sd/√n``. All intervals are 95 % by default and describe Monte Carlo error only, not
parameter uncertainty (sample parameters per run for that; see :mod:`parley.war.params`).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from parley.war.politics import DAYS_PER_MONTH

Z95 = 1.959963984540054
QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (NaN, NaN if n = 0).

    Computed by :func:`scipy.stats.binomtest`'s ``proportion_ci(method="wilson")`` at the
    confidence level ``2 Φ(z) − 1`` (95 % for the default ``z``); the ends are exactly 0 with no
    successes and 1 with no failures.
    """
    if n == 0:
        return math.nan, math.nan
    level = 2.0 * float(stats.norm.cdf(z)) - 1.0
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(level, method="wilson")
    lo = 0.0 if successes == 0 else float(ci.low)
    hi = 1.0 if successes == n else float(ci.high)
    return lo, hi


def proportion(values: ArrayLike) -> dict[str, float | int]:
    """Share of true values (NaN entries dropped) with its 95 % Wilson interval and count."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n, k = int(v.size), int(np.sum(v > 0.5))
    lo, hi = wilson_interval(k, n)
    return {"p": k / n if n else math.nan, "lo": lo, "hi": hi, "n": n}


def mean_ci(values: ArrayLike) -> dict[str, float | int]:
    """Mean with a normal-approximation 95 % interval (NaN entries dropped)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = int(v.size)
    if n == 0:
        return {"mean": math.nan, "lo": math.nan, "hi": math.nan, "n": 0}
    m = float(v.mean())
    half = Z95 * float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    return {"mean": m, "lo": m - half, "hi": m + half, "n": n}


def summarise(ds: xr.Dataset) -> dict[str, Any]:
    """Probabilities and distributions of a simulation, each with a Monte Carlo 95 % CI.

    Keys: ``n_runs``; ``outcome`` (share of each termination path); ``settlement_by_months``
    (P(settled within 6/12/24 months of the start)); ``held`` (among settled runs: P(held 1/5/10
    years)); ``catastrophe``; ``months_to_settlement`` (quantiles among settled runs);
    ``casualties`` (mean with CI and quantiles per side); ``final_area_km2`` quantiles.
    """
    n = int(ds.sizes["run"])
    step_days = float(ds.attrs["step_days"])
    labels = str(ds.attrs.get("outcome_labels", ds["outcome"].attrs.get("labels"))).split(",")
    outcome = ds["outcome"].values
    settle_months = (ds["settle_step"].values + 1.0) * step_days / DAYS_PER_MONTH
    out: dict[str, Any] = {
        "n_runs": n,
        "scenario_id": ds.attrs.get("scenario_id", ""),
        "outcome": {lab: proportion(outcome == k) for k, lab in enumerate(labels)},
        "settlement_by_months": {
            str(m): proportion(np.nan_to_num(settle_months, nan=np.inf) <= m) for m in (6, 12, 24)
        },
        "held": {f"{y}y": proportion(ds[f"held_{y}y"].values) for y in (1, 5, 10)},
        "catastrophe": proportion(ds["catastrophe"].values),
        "renewal_triggered": proportion(
            np.where(ds["settled"].values, ds["renewal_triggered"].values, np.nan)
        ),
    }
    sm = settle_months[~np.isnan(settle_months)]
    out["months_to_settlement"] = _quantiles(sm)
    out["casualties"] = {
        str(side): {
            **mean_ci(ds["casualties"].sel(side=side).values),
            **_quantiles(ds["casualties"].sel(side=side).values),
        }
        for side in ds["side"].values
    }
    out["final_area_km2"] = _quantiles(ds["final_area_km2"].values)
    if "terms" in ds and bool(ds["settled"].any()):
        out["terms"] = {
            str(issue): _quantiles(ds["terms"].sel(issue=issue).values)
            for issue in ds["issue"].values
        }
    return out


def _quantiles(values: ArrayLike) -> dict[str, float]:
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return {f"q{round(q * 100):02d}": math.nan for q in QUANTILES}
    qs = np.quantile(v, QUANTILES)
    return {f"q{round(q * 100):02d}": float(x) for q, x in zip(QUANTILES, qs, strict=True)}


def _weeks(ds: xr.Dataset, start: date | str | None) -> tuple[list[str], NDArray[np.intp]]:
    """ISO dates of the end of each week after ``start`` and the last recorded step by then."""
    if start is None:
        start = ds.attrs.get("start_date") or None
    if start is None:
        raise ValueError("need a start date for weekly outputs")
    d0 = date.fromisoformat(start) if isinstance(start, str) else start
    day = ds["day"].values
    weeks = np.arange(7.0, float(day.max()) + 1e-9, 7.0)
    idx = np.searchsorted(day, weeks + 1e-9, side="right") - 1
    return [(d0 + timedelta(days=int(w))).isoformat() for w in weeks], idx


def front_quantiles(ds: xr.Dataset, start: date | str | None = None) -> pd.DataFrame:
    """Weekly quantiles of the occupied area: columns ``date,q05,q10,q25,q50,q75,q90,q95``.

    Row w is the end of week w+1 after ``start`` (default: the dataset's ``start_date``), using
    the last recorded step that ends on or before that day.
    """
    if "area_km2" not in ds:
        raise ValueError("dataset has no area paths (simulate with record_paths=True)")
    dates, idx = _weeks(ds, start)
    area = ds["area_km2"].values.astype(float)[:, idx]
    qs = np.quantile(area, QUANTILES, axis=0)
    frame = pd.DataFrame(qs.T, columns=[f"q{round(q * 100):02d}" for q in QUANTILES])
    frame.insert(0, "date", dates)
    return frame


#: Columns of status.csv after ``date`` (the outcome labels; ``ongoing`` first).
STATUS_COLUMNS = ("ongoing", "settled", "collapse_A", "collapse_B", "catastrophe")
BAND = (0.05, 0.25, 0.50, 0.75, 0.95)


def status_table(ds: xr.Dataset, start: date | str | None = None) -> pd.DataFrame:
    """Share of runs in each state at the end of each week: ``date,ongoing,settled,collapse_A,
    collapse_B,catastrophe`` (rows sum to 1). A run is in its final state from its end step on."""
    dates, idx = _weeks(ds, start)
    steps = ds["step"].values[idx]
    outcome = ds["outcome"].values.astype(np.int64)
    ended = ds["end_step"].values[:, None] <= steps[None, :]
    state = np.where(ended & (outcome[:, None] > 0), outcome[:, None], 0)
    shares = np.stack([(state == k).mean(axis=0) for k in range(len(STATUS_COLUMNS))], axis=1)
    frame = pd.DataFrame(shares, columns=list(STATUS_COLUMNS))
    frame.insert(0, "date", dates)
    return frame


def _band_long(
    values: NDArray[np.float64], dates: list[str], labels: list[str], key: str
) -> pd.DataFrame:
    """Quantiles over runs of ``values (runs, weeks, k)`` as rows ``date,<key>,q05..q95``."""
    qs = np.quantile(values, BAND, axis=0)  # (5, weeks, k)
    rows = []
    for w, d in enumerate(dates):
        for j, lab in enumerate(labels):
            rows.append([d, lab, *qs[:, w, j].tolist()])
    return pd.DataFrame(rows, columns=["date", key, *(f"q{round(q * 100):02d}" for q in BAND)])


def losses_quantiles(ds: xr.Dataset, start: date | str | None = None) -> pd.DataFrame:
    """Weekly quantiles of cumulative killed and wounded per belligerent:
    ``date,side,q05,q25,q50,q75,q95`` (side = the scenario's actor id)."""
    dates, idx = _weeks(ds, start)
    values = ds["casualties"].values.astype(float)[:, idx, :]
    return _band_long(values, dates, [str(s) for s in ds["side"].values], "side")


def aid_quantiles(ds: xr.Dataset, start: date | str | None = None) -> pd.DataFrame:
    """Weekly quantiles of cumulative aid delivered per supporter, EUR bn:
    ``date,supporter,q05,q25,q50,q75,q95`` (supporter = actor id)."""
    dates, idx = _weeks(ds, start)
    values = ds["aid_cumulative"].values.astype(float)[:, idx, :]
    return _band_long(values, dates, [str(s) for s in ds["supporter"].values], "supporter")


def aid_regime_shares(ds: xr.Dataset, days: ArrayLike) -> pd.DataFrame:
    """Share of runs with each supporter's aid in the high regime at the last recorded step that
    ends on or before each of ``days``, among the runs still going then (an ended run keeps its
    regime but gets no aid): ``day,supporter,p_high,runs`` (``runs``: how many were going)."""
    if "aid_high" not in ds:
        raise ValueError("dataset has no aid regime paths (simulate with record_paths=True)")
    day = ds["day"].values
    high = ds["aid_high"].values.astype(bool)
    active = ds["active"].values.astype(bool)
    rows = []
    for d in np.atleast_1d(np.asarray(days, dtype=float)):
        j = int(np.searchsorted(day, d + 1e-9, side="right")) - 1
        if j < 0:
            raise ValueError(f"no step ends by day {d:g}")
        live = active[:, j]
        for k, name in enumerate(ds["supporter"].values):
            n = int(live.sum())
            p = float(high[live, j, k].mean()) if n else math.nan
            rows.append([float(d), str(name), p, n])
    return pd.DataFrame(rows, columns=["day", "supporter", "p_high", "runs"])
