"""Global and local sensitivity: Sobol' indices, Morris screening and one-at-a-time swings.

- Sobol' first-order and total indices (Sobol' 2001; estimators of Saltelli et al. 2010, *Comput.
  Phys. Commun.* 181, 259-270) with bootstrap confidence intervals, computed by SALib.
- Morris elementary effects μ, μ* and σ (Morris 1991; μ* of Campolongo, Cariboni & Saltelli 2007),
  computed by SALib. Effects are measured per move across a parameter's range in the unit cube
  (from its ``tail`` to its ``1 - tail`` quantile), so μ* is in output units.
- One-at-a-time swings for a tornado chart: every parameter at its median, then one at a time at
  its ``low`` and ``high`` quantiles (defaults 5 % and 95 %).

Guards: estimates of Sobol' indices can come out negative or wander when the base sample is small,
when the output has heavy tails, or when Monte Carlo noise of a stochastic simulator inflates the
output variance. Every index carries a ``note`` that says so in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: A Sobol' CI wider than this (absolute) marks the index as unstable.
UNSTABLE_WIDTH = 0.2


@dataclass(frozen=True)
class SensitivityResult:
    """A tidy table of indices plus notes that explain anything suspicious."""

    method: str
    table: pd.DataFrame
    notes: tuple[str, ...] = field(default=())


def _problem(names: Sequence[str]) -> dict[str, object]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _note(s: float, conf: float, what: str) -> str:
    if not np.isfinite(s):
        return f"{what} undefined"
    if s < 0 and s + conf < 0:
        return (
            f"{what} significantly negative: the estimator failed (too few base samples, heavy "
            f"tails or simulation noise); increase N"
        )
    if s < 0:
        return f"{what} negative but within its CI of 0: read it as about 0 (sampling noise)"
    if 2 * conf > UNSTABLE_WIDTH and 2 * conf > abs(s):
        return f"{what} unstable: its CI is wider than the index; increase N"
    return ""


def sobol(
    y: FloatArray,
    names: Sequence[str],
    *,
    calc_second_order: bool = False,
    conf_level: float = 0.95,
    num_resamples: int = 200,
    seed: int = 0,
    noise_share: float | None = None,
) -> SensitivityResult:
    """Sobol' S1 and ST with bootstrap CIs from outputs ``y`` on a Saltelli design.

    ``noise_share`` is the fraction of the output variance due to Monte Carlo noise within a design
    point (estimated by the caller from replicates); above 10 % a note warns that the indices are
    diluted.
    """
    from SALib.analyze import sobol as salib_sobol

    y = np.asarray(y, dtype=float)
    notes: list[str] = []
    if not np.all(np.isfinite(y)):
        bad = int((~np.isfinite(y)).sum())
        raise ValueError(f"{bad} outputs are NaN or infinite; pick an outcome defined in every run")
    if np.var(y) == 0:
        notes.append("the output does not vary over the design: every index is 0 by definition")
        table = pd.DataFrame(
            {"parameter": list(names), "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
        )
        table["note"] = ""
        return SensitivityResult("sobol", table, tuple(notes))
    res = salib_sobol.analyze(
        _problem(names),
        y,
        calc_second_order=calc_second_order,
        conf_level=conf_level,
        num_resamples=num_resamples,
        seed=seed,
    )
    table = pd.DataFrame(
        {
            "parameter": list(names),
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )
    table["note"] = [
        "; ".join(n for n in (_note(s1, c1, "S1"), _note(st, ct, "ST")) if n)
        for s1, c1, st, ct in zip(
            table.S1.astype(float),
            table.S1_conf.astype(float),
            table.ST.astype(float),
            table.ST_conf.astype(float),
            strict=True,
        )
    ]
    if (table.S1 > table.ST + table.ST_conf + table.S1_conf).any():
        notes.append("some S1 exceed ST beyond their CIs: estimation error; increase N")
    if table.S1.sum() > 1.05:
        notes.append(f"S1 sum to {table.S1.sum():.2f} > 1: estimation error; increase N")
    if noise_share is not None and noise_share > 0.1:
        notes.append(
            f"Monte Carlo noise is {100 * noise_share:.0f}% of the output variance: indices are "
            f"diluted toward 0 (S1) and ST are inflated; add runs per point"
        )
    return SensitivityResult("sobol", table, tuple(notes))


def morris(
    unit: FloatArray,
    y: FloatArray,
    names: Sequence[str],
    *,
    num_levels: int = 4,
    conf_level: float = 0.95,
    seed: int = 0,
) -> SensitivityResult:
    """Morris μ, μ*, σ (and μ*'s bootstrap CI) from outputs ``y`` on the trajectories ``unit``."""
    from SALib.analyze import morris as salib_morris

    res = salib_morris.analyze(
        _problem(names),
        np.asarray(unit, dtype=float),
        np.asarray(y, dtype=float),
        num_levels=num_levels,
        conf_level=conf_level,
        seed=seed,
    )
    table = pd.DataFrame(
        {
            "parameter": list(names),
            "mu": np.asarray(res["mu"], dtype=float),
            "mu_star": np.asarray(res["mu_star"], dtype=float),
            "sigma": np.asarray(res["sigma"], dtype=float),
            "mu_star_conf": np.asarray(res["mu_star_conf"], dtype=float),
        }
    )
    return SensitivityResult("morris", table.sort_values("mu_star", ascending=False), ())


def oat_unit(d: int, low: float = 0.05, high: float = 0.95) -> FloatArray:
    """Unit points of a one-at-a-time design: the medians, then each parameter at low and high."""
    u = np.full((1 + 2 * d, d), 0.5)
    for j in range(d):
        u[1 + 2 * j, j] = low
        u[2 + 2 * j, j] = high
    return u


def oat(values: FloatArray, y: FloatArray, names: Sequence[str]) -> SensitivityResult:
    """Tornado table from outputs ``y`` on :func:`oat_unit` points with parameter ``values``."""
    y = np.asarray(y, dtype=float)
    d = len(names)
    rows = []
    for j, name in enumerate(names):
        lo, hi = 1 + 2 * j, 2 + 2 * j
        rows.append(
            {
                "parameter": name,
                "low_value": float(values[lo, j]),
                "high_value": float(values[hi, j]),
                "base_value": float(values[0, j]),
                "y_low": float(y[lo]),
                "y_base": float(y[0]),
                "y_high": float(y[hi]),
                "swing": float(abs(y[hi] - y[lo])),
            }
        )
    table = pd.DataFrame(rows, columns=None if d else ["parameter", "swing"])
    if d:
        table = table.sort_values("swing", ascending=False, ignore_index=True)
    return SensitivityResult("oat", table, ())
