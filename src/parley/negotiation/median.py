"""The weighted median: the position a weighted majority prefers to any other.

With single-peaked preferences on one dimension, the position of the weighted median actor beats
every other position in a pairwise weighted vote (Black 1948, "On the rationale of group
decision-making", JPE 56(1)). Weights are capability x salience by default; the *median actor*
variant uses equal weights (the unweighted median of the positions).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.negotiation._weights import actor_weights
from parley.negotiation.registry import ModelResult
from parley.scenario.arrays import StakeholderBatch


def weighted_median(
    position: NDArray[np.float64], weight: NDArray[np.float64], axis: int = 1
) -> NDArray[np.float64]:
    """Weighted median of ``position`` along ``axis`` with non-negative ``weight``.

    The median is the smallest position whose cumulative weight reaches half the total; if the
    cumulative weight equals exactly half at a position, the midpoint between it and the next
    position is returned (so that equal weights give the ordinary median). Entries with zero weight
    or NaN position are ignored; the result is NaN where the total weight is zero.
    """
    pos = np.moveaxis(position, axis, -1)
    w = np.moveaxis(weight, axis, -1)
    valid = (w > 0) & ~np.isnan(pos)
    w = np.where(valid, w, 0.0)
    key = np.where(valid, pos, np.inf)
    order = np.argsort(key, axis=-1, kind="stable")
    ps = np.take_along_axis(key, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cum = np.cumsum(ws, axis=-1)
    total = cum[..., -1:]
    half = total / 2.0
    tol = 1e-12 * np.maximum(total, 1.0)
    k = np.argmax(cum >= half - tol, axis=-1)[..., None]
    at_k = np.take_along_axis(ps, k, axis=-1)
    exact = np.abs(np.take_along_axis(cum, k, axis=-1) - half) <= tol
    # next position with positive weight after k
    n = ps.shape[-1]
    idx = np.arange(n)
    later = (idx > k) & (ws > 0)
    nxt_idx = np.where(later.any(axis=-1, keepdims=True), np.argmax(later, axis=-1)[..., None], k)
    nxt = np.take_along_axis(ps, nxt_idx, axis=-1)
    med = np.where(exact, (at_k + nxt) / 2.0, at_k)[..., 0]
    return np.where(total[..., 0] > 0, med, np.nan)


def weighted_median_model(
    batch: StakeholderBatch, weighting: str = "capability_salience"
) -> ModelResult:
    """Position of the capability x salience weighted median actor (Black 1948)."""
    w = actor_weights(batch, weighting)
    return ModelResult(outcome=weighted_median(batch.position, w, axis=1))


def median_actor_model(batch: StakeholderBatch) -> ModelResult:
    """Unweighted median of the positions (the median actor)."""
    w = actor_weights(batch, "none")
    return ModelResult(outcome=weighted_median(batch.position, w, axis=1))
