"""Shared helpers for the batched stakeholder models: actor weights and masks."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from parley.scenario.arrays import StakeholderBatch

Weighting = Literal["capability_salience", "salience", "capability", "none"]
WEIGHTINGS: tuple[str, ...] = ("capability_salience", "salience", "capability", "none")


def present(batch: StakeholderBatch) -> NDArray[np.bool_]:
    """``(batch, actors, issues)`` mask of actors with both a position and a salience."""
    return ~np.isnan(batch.position) & ~np.isnan(batch.salience)


def actor_weights(
    batch: StakeholderBatch, weighting: str = "capability_salience"
) -> NDArray[np.float64]:
    """``(batch, actors, issues)`` weight of each actor on each issue; 0 where absent.

    ``capability_salience`` is the compromise model's weight (Achen 2006; Thomson 2011): an actor's
    influence is its capability times the salience it attaches to the issue.
    """
    mask = present(batch)
    cap = batch.capability[:, :, None]
    sal = np.where(mask, batch.salience, 0.0)
    if weighting == "capability_salience":
        w = cap * sal
    elif weighting == "salience":
        w = sal
    elif weighting == "capability":
        w = np.broadcast_to(cap, sal.shape).copy()
    elif weighting == "none":
        w = np.ones_like(sal)
    else:
        raise ValueError(
            f"unknown weighting '{weighting}', expected one of {', '.join(WEIGHTINGS)}"
        )
    return np.where(mask, w, 0.0)
