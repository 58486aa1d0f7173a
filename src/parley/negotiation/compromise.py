"""The compromise model: the weighted mean of actors' positions.

Achen (2006), "Institutional realism and bargaining models", in Thomson et al. (eds.), *The European
Union Decides*, ch. 4: with quadratic losses and a remote disagreement point, the Nash bargaining
solution is the mean of the positions weighted by capability times salience. Thomson (2011),
*Resolving Controversy in the European Union*, finds it the most accurate of the models compared on
the DEU data. Variants weight by salience only, by capability only, or not at all.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.negotiation._weights import actor_weights
from parley.negotiation.registry import ModelResult
from parley.scenario.arrays import StakeholderBatch


def weighted_mean(
    batch: StakeholderBatch, weighting: str = "capability_salience"
) -> NDArray[np.float64]:
    """``(batch, issues)`` weighted mean position; NaN where no actor has positive weight.

    Parameters
    ----------
    batch:
        Positions ``(batch, actors, issues)`` with NaN for missing, saliences, capabilities.
    weighting:
        ``capability_salience`` (the compromise model), ``salience``, ``capability`` or ``none``.
    """
    w = actor_weights(batch, weighting)
    x = np.where(w > 0, batch.position, 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (w * x).sum(axis=1) / total
    return np.where(total > 0, out, np.nan)


def compromise_model(
    batch: StakeholderBatch, weighting: str = "capability_salience"
) -> ModelResult:
    """Compromise model (capability x salience weighted mean; Achen 2006)."""
    return ModelResult(outcome=weighted_mean(batch, weighting))


def salience_weighted_model(batch: StakeholderBatch) -> ModelResult:
    """Salience-weighted mean of positions (compromise model without capabilities)."""
    return ModelResult(outcome=weighted_mean(batch, "salience"))


def capability_weighted_model(batch: StakeholderBatch) -> ModelResult:
    """Capability-weighted mean of positions (compromise model without saliences)."""
    return ModelResult(outcome=weighted_mean(batch, "capability"))


def unweighted_mean_model(batch: StakeholderBatch) -> ModelResult:
    """Unweighted mean of the positions of actors that state a position and a salience."""
    return ModelResult(outcome=weighted_mean(batch, "none"))
