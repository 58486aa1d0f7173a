"""Contest functions: the probability that side A wins a battle, from the forces of both sides.

Tullock (1980), "Efficient rent seeking"; Hirshleifer (1989), "Conflict and rent-seeking success
functions: ratio vs. difference models of relative success", Public Choice 63(2). The ratio form is
``θ = F_A^m / (F_A^m + F_B^m)``; the logistic (difference-in-logs) form is
``θ = 1 / (1 + exp(−(m·(log F_A − log F_B) − φ)))`` where ``φ`` encodes the defender's advantage
(≈ log 3 for a break-through, war-model §5). Both are evaluated stably in log space and broadcast
over any leading run axis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
CONTEST_FORMS = ("ratio", "logistic")


def contest_probability(
    force_A: ArrayLike,
    force_B: ArrayLike,
    m: ArrayLike = 1.0,
    form: str = "ratio",
    phi: ArrayLike = 0.0,
) -> FloatArray:
    """θ = P(A wins a battle) (Tullock 1980 ratio form; Hirshleifer 1989 logistic form).

    Forces must be >= 0; a side with zero force loses every battle (both zero: θ = ½).
    """
    if form not in CONTEST_FORMS:
        raise ValueError(f"unknown contest form '{form}', expected one of {CONTEST_FORMS}")
    fa = np.asarray(force_A, dtype=float)
    fb = np.asarray(force_B, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.asarray(m, dtype=float) * (np.log(fa) - np.log(fb))
    z = np.where(np.isnan(z), 0.0, z)  # both forces zero (or 0·inf): an even contest
    if form == "logistic":
        z = z - np.asarray(phi, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def log_force_ratio(force_A: ArrayLike, force_B: ArrayLike, floor: float = 1e-12) -> FloatArray:
    """ρ = log F_A − log F_B, the driver of the front process (forces floored at ``floor``)."""
    fa = np.maximum(np.asarray(force_A, dtype=float), floor)
    fb = np.maximum(np.asarray(force_B, dtype=float), floor)
    return np.log(fa) - np.log(fb)
