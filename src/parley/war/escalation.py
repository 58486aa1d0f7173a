"""Escalation hazard, brinkmanship resolve and threat credibility.

- Limited war (Powell 2015, "Nuclear brinkmanship, limited war, and military power", IO 69(3)):
  the catastrophe hazard per month is ``ρ_t = ρ0·exp(γ1·intensity_t + γ2·1{red line lost} +
  γ3·threat_t)``; over a step of Δ months a catastrophe happens with probability
  ``1 − exp(−ρ_t·Δ)``.
- Brinkmanship (Schelling 1960, 1966; Powell 1987, 1990): with payoffs prevail w > submit s >
  disaster d, side i's resolve ``r_i = (w_i − s_i)/(w_i − d_i)`` is the largest cumulative risk of
  disaster it runs rather than submit; it keeps threatening while the cumulative risk stays below
  ``r_i``. Under complete information the less resolute side quits at once.
- Threat credibility: the target holds a Beta(a, b) belief that a threat is carried out; a threat
  made and not carried out adds 1 to b, lowering credibility ``a/(a+b)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def escalation_hazard(
    rho0: ArrayLike,
    gamma_intensity: ArrayLike,
    intensity: ArrayLike,
    gamma_red_line: ArrayLike,
    red_line_lost: ArrayLike,
    gamma_threat: ArrayLike,
    threat: ArrayLike,
) -> FloatArray:
    """Monthly catastrophe hazard ``ρ0·exp(γ1·I + γ2·1{red line} + γ3·threat)`` (Powell 2015)."""
    z = (
        np.asarray(gamma_intensity, dtype=float) * np.asarray(intensity, dtype=float)
        + np.asarray(gamma_red_line, dtype=float) * np.asarray(red_line_lost, dtype=float)
        + np.asarray(gamma_threat, dtype=float) * np.asarray(threat, dtype=float)
    )
    return np.asarray(np.asarray(rho0, dtype=float) * np.exp(z))


def step_probability(hazard_per_month: ArrayLike, months: float) -> FloatArray:
    """Probability of at least one event in ``months`` at a constant monthly hazard."""
    return np.asarray(-np.expm1(-np.asarray(hazard_per_month, dtype=float) * months))


def resolve(prevail: ArrayLike, submit: ArrayLike, disaster: ArrayLike) -> FloatArray:
    """Brinkmanship resolve ``r = (w − s)/(w − d)`` (Powell 1987)."""
    w = np.asarray(prevail, dtype=float)
    return np.asarray(
        (w - np.asarray(submit, dtype=float)) / (w - np.asarray(disaster, dtype=float))
    )


def brinkmanship_quitter(resolve_A: ArrayLike, resolve_B: ArrayLike) -> NDArray[np.int64]:
    """Under complete information the less resolute side quits at once: 0 = A quits, 1 = B."""
    return np.where(np.asarray(resolve_A) < np.asarray(resolve_B), 0, 1).astype(np.int64)


def keeps_threatening(cumulative_risk: ArrayLike, resolve_i: ArrayLike) -> NDArray[np.bool_]:
    """Myopic brinkmanship: escalate while the cumulative risk run so far is at most ``r_i``."""
    return np.asarray(np.asarray(cumulative_risk) <= np.asarray(resolve_i))


def update_credibility(
    a: FloatArray, b: FloatArray, threat_made: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """A threat made and not carried out (the run survived) adds one failure to Beta(a, b)."""
    return a, b + np.asarray(threat_made, dtype=float)
