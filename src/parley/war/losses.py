"""Stochastic, over-dispersed weekly losses (issue 10, B8).

The attrition law gives the expected force destroyed in a step; the people killed or wounded in
it are drawn from a negative binomial with that mean μ and size k,
``Var = μ + μ²/k`` (a Poisson–gamma mixture: Greenwood & Yule 1920; the standard model for
over-dispersed counts, Hilbe 2011 *Negative Binomial Regression*). k → ∞ gives Poisson losses,
small k bursts of heavy losses (offensives) between quiet weeks. The force lost is the drawn
casualties over ``casualties_per_force_unit``, so forces become a random walk around the
Lanchester path rather than its deterministic end.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def negative_binomial_losses(
    mean: ArrayLike, size: ArrayLike, rng: np.random.Generator
) -> FloatArray:
    """One draw per element with mean ``mean`` and ``Var = mean + mean²/size``.

    Elements with ``size`` NaN (no dispersion set) return the mean itself. Draws are made for
    every element (fixed shape) so common random numbers stay aligned.
    """
    mu = np.maximum(np.asarray(mean, dtype=float), 0.0)
    k = np.asarray(size, dtype=float)
    k_safe = np.where(np.isnan(k), 1.0, k)
    prob = k_safe / (k_safe + mu)
    draws = rng.negative_binomial(np.broadcast_to(k_safe, mu.shape), np.clip(prob, 1e-300, 1.0))
    return np.asarray(np.where(np.isnan(k), mu, draws.astype(float)))
