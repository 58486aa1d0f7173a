"""Donors' aid regimes and their common factor, fitted to the Kiel tracker (a fit to print).

The shipped Kiel Ukraine Support Tracker file (Trebesch et al., Kiel Working Paper 2218) holds
monthly allocations in EUR bn per donor, February to October 2022 — nine months. What that can
and cannot identify decides the model:

- **Regimes.** A donor-month is *high* when the allocation is at least ``threshold`` (default
  one half) of the donor's mean monthly allocation over the window, else *low*. The monthly
  switching probabilities high → low and low → high are pooled over donors (transition counts)
  with a uniform Beta(1, 1) prior; posterior mean and sd are reported (the Markov-switching aid of
  war-model §6, monthly).
- **Common factor.** Monthly log allocations ``log(a + 0.01)`` are standardised per donor; the
  common factor of a month is the mean of the donors' standardised values, and the mean pairwise
  correlation between donors ``ρ̄`` is the squared loading of a one-factor model with equal
  loadings (Lawley & Maxwell 1971). ``ρ̄ > 0``: donors move together (a political common shock).
- **Substitution.** The correlation between each donor's log allocation and the summed allocation
  of all other donors in the same month; a negative value means the others give more when this
  donor gives less.

Intervals are from a bootstrap over months (nine months: wide, by design). The engine helper owns
the aid mechanism that would consume these numbers (``docs/calibration.md``, "Aid").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.scenario.errors import ScenarioError

FloatArray = NDArray[np.float64]
MAIN_DONORS = ("USA", "EU", "GBR", "DEU")
OFFSET_BN = 0.01


@dataclass(frozen=True)
class AidFit:
    """Fitted aid-regime parameters with their uncertainty."""

    months: tuple[str, ...]
    donors: tuple[str, ...]
    p_high_to_low: tuple[float, float]  # posterior mean, sd (per month)
    p_low_to_high: tuple[float, float]
    mean_correlation: tuple[float, float, float]  # estimate, bootstrap 5 %, 95 %
    substitution: dict[str, tuple[float, float, float]]  # donor -> corr with the others' sum
    mean_bn_per_month: dict[str, float]

    def lines(self) -> list[str]:
        """Human-readable lines of the fit."""
        out = [f"aid {self.months[0]} .. {self.months[-1]}, donors {', '.join(self.donors)}"]
        for name, (m, s) in (("p_high_to_low", self.p_high_to_low),
                             ("p_low_to_high", self.p_low_to_high)):  # fmt: skip
            out.append(f"{name:<26} {m:8.3f} (sd {s:.3f}) per month")
        r, lo, hi = self.mean_correlation
        out.append(f"{'common factor: mean corr':<26} {r:8.3f} (90 % {lo:.2f} .. {hi:.2f})")
        for d, (c, lo, hi) in self.substitution.items():
            out.append(f"substitution {d:<13} {c:8.3f} (90 % {lo:.2f} .. {hi:.2f})")
        for d, v in self.mean_bn_per_month.items():
            out.append(f"mean allocation {d:<10} {v:8.3f} EUR bn/month")
        return out


def monthly_matrix(
    kiel: pd.DataFrame,
    donors: Sequence[str] = MAIN_DONORS,
    until: str | None = None,
    since: str | None = "2022-02",
) -> pd.DataFrame:
    """Months × donors of ``total`` allocations (EUR bn); absent donor-months are 0; every other
    donor is summed into ``others``. ``since``/``until`` are ``YYYY-MM`` (inclusive; the default
    start is the month of the invasion)."""
    need = {"iso", "year", "month", "total"}
    if not need <= set(kiel.columns):
        raise ScenarioError(f"needs columns {', '.join(sorted(need))}", field="columns")
    k = kiel.assign(
        key=[f"{int(y):04d}-{int(m):02d}" for y, m in zip(kiel.year, kiel.month, strict=True)]
    )
    if until is not None:
        k = k[k["key"] <= until]
    if since is not None:
        k = k[k["key"] >= since]
    k = k.assign(donor=k["iso"].where(k["iso"].isin(list(donors)), "others"))
    mat = k.pivot_table(index="key", columns="donor", values="total", aggfunc="sum", fill_value=0)
    cols = [d for d in (*donors, "others") if d in mat.columns]
    if len(mat) < 4 or len(cols) < 2:
        raise ScenarioError(f"need at least 4 months and 2 donors, got {len(mat)} and {len(cols)}")
    return mat[cols].astype(float)


def _transitions(mat: FloatArray, threshold: float) -> tuple[int, int, int, int]:
    high = mat >= threshold * mat.mean(axis=0, keepdims=True)
    prev, nxt = high[:-1], high[1:]
    return (
        int(np.sum(prev & ~nxt)),
        int(np.sum(prev)),
        int(np.sum(~prev & nxt)),
        int(np.sum(~prev)),
    )


def _beta(k: int, n: int) -> tuple[float, float]:
    a, b = 1 + k, 1 + n - k
    return a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))


def _correlations(logs: FloatArray) -> tuple[float, FloatArray]:
    c = np.atleast_2d(np.asarray(np.corrcoef(logs.T), dtype=float))
    iu = np.triu_indices_from(c, 1)
    return float(np.nanmean(c[iu])), c


def _substitution(mat: FloatArray) -> FloatArray:
    out = np.empty(mat.shape[1])
    for j in range(mat.shape[1]):
        others = mat.sum(axis=1) - mat[:, j]
        out[j] = np.corrcoef(np.log(mat[:, j] + OFFSET_BN), np.log(others + OFFSET_BN))[0, 1]
    return out


def fit_aid(
    mat: pd.DataFrame, *, threshold: float = 0.5, boot: int = 2000, seed: int = 0
) -> AidFit:
    """Fit the regimes, the common factor and substitution to :func:`monthly_matrix` output."""
    x = mat.to_numpy(dtype=float)
    hl, n_high, lh, n_low = _transitions(x, threshold)
    logs = np.log(x + OFFSET_BN)
    rbar, _ = _correlations(logs)
    subs = _substitution(x)
    rng = np.random.default_rng(seed)
    r_boot, s_boot = [], []
    for _ in range(boot):
        rows = rng.integers(0, x.shape[0], x.shape[0])
        if np.any(np.std(logs[rows], axis=0) == 0):
            continue  # a resample without variation in some donor has no correlation
        r_boot.append(_correlations(logs[rows])[0])
        s_boot.append(_substitution(x[rows]))
    if r_boot:
        rq = np.quantile(r_boot, [0.05, 0.95])
        sq = np.quantile(np.array(s_boot), [0.05, 0.95], axis=0)
    else:  # some donor never varies: no interval
        rq, sq = np.full(2, np.nan), np.full((2, x.shape[1]), np.nan)
    donors = tuple(str(c) for c in mat.columns)
    return AidFit(
        months=tuple(str(i) for i in mat.index),
        donors=donors,
        p_high_to_low=_beta(hl, n_high),
        p_low_to_high=_beta(lh, n_low),
        mean_correlation=(rbar, float(rq[0]), float(rq[1])),
        substitution={
            d: (float(subs[j]), float(sq[0, j]), float(sq[1, j])) for j, d in enumerate(donors)
        },  # fmt: skip
        mean_bn_per_month={d: float(v) for d, v in zip(donors, x.mean(axis=0), strict=True)},
    )
