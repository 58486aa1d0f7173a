"""The drift rule: a prior on the positional drift and a local-level drift, from the data before the origin.

Both numbers are set by one stated rule from the fitted window alone (the data on or before the
forecast origin), never by a choice made after looking at forecast scores:

1. The window's changes are cut into 28-day blocks counting back from the last observation and
   winsorised at the block's median rate ``± 4·s`` per day (break-through days belong to the jump
   component of the regime model, not to the drift); ``s`` is the robust daily scale,
   ``1.4826·MAD/√2`` of the differences of consecutive daily rates. The block mean ``m_b`` (winsorised change over the block / days covered) estimates
   that month's drift with noise variance ``v_b = s²/L_b`` (``L_b`` days covered; blocks covering
   fewer than 14 days are dropped).
2. **Prior on the positional drift** (parametric empirical Bayes, Efron & Morris 1975, JASA 70:311;
   Morris 1983, JASA 78:47): ``drift_positional ~ N(0, τ²)`` with ``τ² = mean_b(m_b²)``, the
   method-of-moments estimate of the spread of monthly drifts around a static front with the
   block noise left in — so ``τ`` is never below the data's own resolution ``s/√28``. The centre
   0 is the judgement that fronts barely move between offensives; the spread is the data's.
3. **Local-level drift** (Durbin & Koopman 2012, *Time Series Analysis by State Space Methods*,
   2nd ed., ch. 2): within a forecast run the drift moves as a random walk with daily innovation
   sd ``q``. For a Brownian drift the means of two adjacent ``L``-day blocks differ with variance
   ``(2/3)·q²·L`` plus their noise, so ``q² = max(0, mean_b((m_{b+1} − m_b)² − v_b − v_{b+1})) /
   ((2/3)·L)`` (0 with fewer than two blocks). The spread of the drift term then grows like
   ``q·h^{3/2}/√3`` with the horizon ``h`` on top of the parameter uncertainty.
4. **Mean reversion of the drift** (:func:`reversion_rate`): the prior of step 2 says monthly
   drifts scatter around a static front with sd ``τ``; a random walk would carry the drift ever
   farther from it. The drift is therefore an Ornstein–Uhlenbeck process towards 0 (Uhlenbeck &
   Ornstein 1930) with the innovation sd ``q`` of step 3 and the reversion rate
   ``θ = q²/(2τ²)`` whose stationary sd ``q/√(2θ)`` is ``τ``: it wanders month to month as the
   window's drifts did, and no farther from 0 in the long run than they did. ``θ = 0`` when
   ``q = 0`` (a drift that did not move is held).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Block length (days) of the rule, the winsorisation bound (robust sds) and the least coverage.
BLOCK_DAYS = 28
CLIP_SDS = 4.0
MIN_BLOCK_DAYS = 14


@dataclass(frozen=True)
class DriftRule:
    """What the rule derived from one fitting window (see the module docstring)."""

    prior_sd: float  # τ, km²/day: sd of the normal prior on drift_positional (centre 0)
    innovation_sd: float  # q, km²/day per √day: daily sd of the local-level drift
    noise_sd: float  # s, km²/√day: robust daily scale
    block_means: tuple[float, ...]  # m_b, oldest first, km²/day


def robust_noise_sd(dy: FloatArray, gap: FloatArray) -> float:
    """Robust daily scale ``s`` of the changes around a slowly moving drift:
    ``1.4826·MAD`` of the differences of consecutive daily rates, over ``√2`` (differencing
    removes the drift; the MAD ignores break-through days)."""
    rate = dy / gap
    if rate.size < 3:
        return 1e-9
    d = np.diff(rate)
    return max(1.4826 * float(np.median(np.abs(d - np.median(d)))) / math.sqrt(2.0), 1e-9)


def block_means(dy: FloatArray, gap: FloatArray) -> tuple[FloatArray, FloatArray, float]:
    """Winsorised block-mean drifts ``m_b`` (oldest first), their noise variances ``v_b`` and the
    robust daily scale ``s`` of intervals ``dy`` over ``gap`` days (rule step 1; each interval's
    change is winsorised at its block's median rate ``± 4·s·√gap``)."""
    s = robust_noise_sd(dy, gap)
    end = np.cumsum(gap)  # day of each observation after the first
    block = ((end[-1] - end) // BLOCK_DAYS).astype(np.int64)  # 0 = the newest block
    means, variances = [], []
    for b in range(int(block.max()), -1, -1):
        inside = block == b
        days = float(gap[inside].sum())
        if days < MIN_BLOCK_DAYS:
            continue
        g = gap[inside]
        centre = float(np.median(dy[inside] / g)) * g
        bound = CLIP_SDS * s * np.sqrt(g)
        clipped = np.clip(dy[inside], centre - bound, centre + bound)
        means.append(float(clipped.sum()) / days)
        variances.append(s**2 / days)
    return np.array(means), np.array(variances), s


def reversion_rate(innovation_sd: float, prior_sd: float) -> float:
    """Daily reversion ``θ = q²/(2τ²)`` of the Ornstein–Uhlenbeck drift whose stationary sd is the
    prior sd ``τ`` and whose innovation sd is ``q`` (module docstring, step 4); capped at 1/day."""
    if not (prior_sd > 0 and innovation_sd > 0):
        return 0.0
    return min(1.0, innovation_sd**2 / (2.0 * prior_sd**2))


def drift_rule(dy: FloatArray, gap: FloatArray) -> DriftRule:
    """The prior sd ``τ`` of the positional drift and the local-level innovation sd ``q`` of the
    window's intervals ``dy`` (km²) over ``gap`` days (module docstring, steps 1–3)."""
    m, v, s = block_means(np.asarray(dy, dtype=float), np.asarray(gap, dtype=float))
    if m.size == 0:  # a window shorter than MIN_BLOCK_DAYS: the noise of one 28-day block
        return DriftRule(s / math.sqrt(BLOCK_DAYS), 0.0, s, ())
    tau = math.sqrt(float(np.mean(m**2)))
    q = 0.0
    if m.size >= 2:
        excess = float(np.mean(np.diff(m) ** 2 - v[1:] - v[:-1]))
        q = math.sqrt(max(0.0, excess) / (2.0 / 3.0 * BLOCK_DAYS))
    return DriftRule(tau, q, s, tuple(float(x) for x in m))
