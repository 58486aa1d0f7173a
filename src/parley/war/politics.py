"""Public support, the rising cost of war, and leader replacement.

Mueller (1973), *War, Presidents and Public Opinion*; Gartner & Segura (1998), "War, casualties, and
public opinion", JCR 42(3): support falls with the logarithm of cumulative casualties,
``S = S0 − b·log10(1 + casualties)``. The cost of war rises as support falls
(``c_eff = c·(1 + gain·(S0 − S)/S0)``), and below a threshold a leader-replacement hazard switches
on; a new leader's reference point resets, so it no longer fears punishment for a moderate
settlement (Goemans 2000, *War and Punishment*; Croco 2011, APSR 105(3)).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
DAYS_PER_MONTH = 365.25 / 12.0


def public_support(initial: ArrayLike, slope: ArrayLike, casualties: ArrayLike) -> FloatArray:
    """``S = S0 − b·log10(1 + casualties)`` clipped to [0, 1] (Gartner & Segura 1998)."""
    s = np.asarray(initial, dtype=float) - np.asarray(slope, dtype=float) * np.log10(
        1.0 + np.asarray(casualties, dtype=float)
    )
    return np.asarray(np.clip(s, 0.0, 1.0))


def cost_multiplier(support: ArrayLike, initial: ArrayLike, gain: ArrayLike) -> FloatArray:
    """Relative war cost ``1 + gain·(S0 − S)/S0`` (≥ 1; 1 while support holds)."""
    s0 = np.asarray(initial, dtype=float)
    drop = np.clip((s0 - np.asarray(support, dtype=float)) / np.where(s0 > 0, s0, 1.0), 0.0, 1.0)
    return np.asarray(1.0 + np.asarray(gain, dtype=float) * drop)


def replacement_probability(
    support: ArrayLike, threshold: ArrayLike, hazard_per_month: ArrayLike, dt_days: float
) -> FloatArray:
    """Probability that the leader is replaced during a step: ``1 − exp(−h·months)`` below S_min."""
    h = np.asarray(hazard_per_month, dtype=float) * (dt_days / DAYS_PER_MONTH)
    below = np.asarray(support, dtype=float) < np.asarray(threshold, dtype=float)
    return np.asarray(np.where(below, -np.expm1(-h), 0.0))
