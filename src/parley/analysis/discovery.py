"""Scenario discovery with PRIM, the Patient Rule Induction Method.

Friedman & Fisher (1999), "Bump hunting in high-dimensional data", *Statistics and Computing*
9(2), 123-143; used for scenario discovery by Bryant & Lempert (2010), *Technological Forecasting &
Social Change* 77(1), 34-49. Starting from the box that holds every point, PRIM repeatedly peels
off the ``alpha`` fraction of the remaining points at the low or high end of one parameter, choosing
the peel that leaves the highest mean outcome, until fewer than ``min_mass`` of the points remain.
Every box on the way is a trade-off between

- coverage: the share of all cases of interest that fall in the box, ``Σ_box y / Σ y``;
- density: the share of cases of interest among the points in the box, ``mean_box y``;
- mass: the share of all points in the box.

The chosen box is the one of highest coverage among boxes with density at least ``threshold``
(Bryant & Lempert's rule); if none reaches it, the densest box. An optional pasting pass
(Friedman & Fisher §4) re-extends the chosen box where that raises its density.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class PrimResult:
    """The peeling trajectory, every box on it, and the chosen one."""

    trajectory: pd.DataFrame
    lows: FloatArray
    highs: FloatArray
    chosen: int
    names: tuple[str, ...]
    x_min: FloatArray
    x_max: FloatArray
    note: str = ""

    def box(self, index: int | None = None) -> pd.DataFrame:
        """A box's limits per parameter, and whether PRIM restricted it."""
        k = self.chosen if index is None else index
        lo, hi = self.lows[k], self.highs[k]
        return pd.DataFrame(
            {
                "parameter": list(self.names),
                "low": lo,
                "high": hi,
                "restricted": (lo > self.x_min) | (hi < self.x_max),
            }
        )


def _stats(y: FloatArray, inside: NDArray[np.bool_], total: float) -> tuple[float, float, float]:
    n_in = int(inside.sum())
    if n_in == 0:
        return 0.0, 0.0, 0.0
    yin = y[inside]
    coverage = float(yin.sum() / total) if total > 0 else 0.0
    return coverage, float(yin.mean()), n_in / y.size


def prim(
    x: FloatArray,
    y: FloatArray,
    names: Sequence[str],
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    threshold: float = 0.8,
    paste: bool = True,
) -> PrimResult:
    """Run PRIM on points ``x`` (n, d) with outcomes ``y`` in [0, 1] (1 = case of interest)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = x.shape
    if n == 0 or y.shape != (n,):
        raise ValueError("x must be (n, d) and y (n,) with n > 0")
    if not 0 < alpha < 0.5:
        raise ValueError("alpha must lie in (0, 0.5)")
    total = float(y.sum())
    x_min, x_max = x.min(axis=0), x.max(axis=0)
    lo, hi = x_min.copy(), x_max.copy()
    inside = np.ones(n, dtype=bool)
    lows, highs = [lo.copy()], [hi.copy()]
    rows = [(0, *_stats(y, inside, total), n, 0)]
    step = 0
    while inside.mean() > min_mass:
        best: tuple[float, int, str, float, NDArray[np.bool_]] | None = None
        xin = x[inside]
        for j in range(d):
            for side in ("low", "high"):
                q = np.quantile(xin[:, j], alpha if side == "low" else 1 - alpha)
                keep = x[:, j] >= q if side == "low" else x[:, j] <= q
                if side == "low" and q <= lo[j] and not np.any(xin[:, j] < q):
                    keep = x[:, j] > q  # ties at the edge: peel the tied points
                if side == "high" and q >= hi[j] and not np.any(xin[:, j] > q):
                    keep = x[:, j] < q
                new = inside & keep
                k = int(new.sum())
                if k == 0 or k == int(inside.sum()) or k / n < min_mass:
                    continue
                mean = float(y[new].mean())
                if best is None or mean > best[0]:
                    best = (mean, j, side, float(q), new)
        if best is None:
            break
        _, j, side, _, new = best
        inside = new
        lo[j] = x[inside, j].min() if side == "low" else lo[j]
        hi[j] = x[inside, j].max() if side == "high" else hi[j]
        step += 1
        lows.append(lo.copy())
        highs.append(hi.copy())
        n_restricted = int(np.sum((lo > x_min) | (hi < x_max)))
        rows.append((step, *_stats(y, inside, total), int(inside.sum()), n_restricted))
    traj = pd.DataFrame(rows, columns=["step", "coverage", "density", "mass", "n", "n_restricted"])
    ok = np.flatnonzero(traj.density.to_numpy() >= threshold)
    note = ""
    if len(ok):
        chosen = int(ok[traj.coverage.to_numpy()[ok].argmax()])
    else:
        chosen = int(traj.density.to_numpy().argmax())
        note = (
            f"no box reaches density {threshold:.2f}; the densest box "
            f"({traj.density.max():.2f}) was chosen"
        )
    lows_a, highs_a = np.array(lows), np.array(highs)
    if paste:
        before = len(traj)
        lows_a, highs_a, traj = _paste(x, y, lows_a, highs_a, chosen, x_min, x_max, traj, total)
        if len(traj) > before:
            chosen = len(traj) - 1
    return PrimResult(traj, lows_a, highs_a, chosen, tuple(names), x_min, x_max, note)


def _paste(
    x: FloatArray,
    y: FloatArray,
    lows: FloatArray,
    highs: FloatArray,
    k: int,
    x_min: FloatArray,
    x_max: FloatArray,
    traj: pd.DataFrame,
    total: float,
) -> tuple[FloatArray, FloatArray, pd.DataFrame]:
    """Friedman & Fisher's pasting: widen the chosen box along one side while density rises."""
    lo, hi = lows[k].copy(), highs[k].copy()

    def members(a: FloatArray, b: FloatArray) -> NDArray[np.bool_]:
        return np.all((x >= a) & (x <= b), axis=1)

    inside = members(lo, hi)
    dens = float(y[inside].mean()) if inside.any() else 0.0
    improved = True
    while improved:
        improved = False
        for j in range(x.shape[1]):
            for side in ("low", "high"):
                cand_lo, cand_hi = lo.copy(), hi.copy()
                other = members(
                    np.where(np.arange(x.shape[1]) == j, -np.inf, lo),
                    np.where(np.arange(x.shape[1]) == j, np.inf, hi),
                )
                if side == "low":
                    below = x[other & (x[:, j] < lo[j]), j]
                    if below.size == 0:
                        continue
                    cand_lo[j] = np.sort(below)[::-1][: max(1, inside.sum() // 20)].min()
                else:
                    above = x[other & (x[:, j] > hi[j]), j]
                    if above.size == 0:
                        continue
                    cand_hi[j] = np.sort(above)[: max(1, inside.sum() // 20)].max()
                m = members(cand_lo, cand_hi)
                dn = float(y[m].mean())
                if dn > dens:
                    lo, hi, inside, dens, improved = cand_lo, cand_hi, m, dn, True
    if np.array_equal(lo, lows[k]) and np.array_equal(hi, highs[k]):
        return lows, highs, traj
    cov, den, mass = _stats(y, inside, total)
    n_restricted = int(np.sum((lo > x_min) | (hi < x_max)))
    row = pd.DataFrame(
        [(int(traj.step.max()) + 1, cov, den, mass, int(inside.sum()), n_restricted)],
        columns=traj.columns,
    )
    row["pasted_from"] = k
    traj = pd.concat([traj, row], ignore_index=True)
    return np.vstack([lows, lo]), np.vstack([highs, hi]), traj
