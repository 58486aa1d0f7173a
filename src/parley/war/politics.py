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


#: Casualty sensitivity of public support by regime type, relative to a democracy. Direction from
#: Weeks (2012), "Strongmen and straw men", APSR 106(2) and Chiozza & Goemans (2011), *Leaders
#: and International Conflict*: leaders answer to a narrower audience outside democracies, least so
#: in personalist regimes. The values are illustrative assumptions; "unspecified" = 1 (no effect).
REGIME_SENSITIVITY: dict[str, float] = {
    "unspecified": 1.0,
    "democracy": 1.0,
    "single_party": 0.6,
    "military": 0.6,
    "personalist": 0.4,
}


def regime_sensitivity(regimes: tuple[str, ...] | str) -> FloatArray:
    """Casualty-sensitivity multipliers for a regime name or a tuple of names (one per side)."""
    names = (regimes,) if isinstance(regimes, str) else regimes
    return np.array([REGIME_SENSITIVITY[r] for r in names], dtype=float)


def unrest_probability(
    support: ArrayLike, threshold: ArrayLike, hazard_per_month: ArrayLike, dt_days: float
) -> FloatArray:
    """Probability of mutiny, coup or revolution in a step (the home front's breaking point).

    The monthly hazard rises linearly from 0 at the replacement threshold to ``hazard_per_month``
    at zero support, ``h = h1·clip((S_min − S)/S_min, 0, 1)``; over Δ months the probability is
    ``1 − exp(−h·Δ)``. Motivated by 1905 and 1917 (defeats and casualties turning into revolt;
    Goemans 2000 ch. 4 on Germany and Russia in 1917–18); the linear form is an assumption.
    """
    thr = np.asarray(threshold, dtype=float)
    deficit = np.clip((thr - np.asarray(support, dtype=float)) / np.where(thr > 0, thr, 1.0), 0, 1)
    h = np.asarray(hazard_per_month, dtype=float) * deficit * (dt_days / DAYS_PER_MONTH)
    return np.asarray(-np.expm1(-h))
