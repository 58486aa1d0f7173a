"""Lanchester attrition with a fitted exponent, integrated by fourth-order Runge–Kutta.

Lanchester (1916), *Aircraft in Warfare*; general form from war-model §5 and Lucas & Turkes (2004),
"Fitting Lanchester equations to the battles of Kursk and Ardennes", Naval Research Logistics 51(1):

    dF_A/dt = −k_B · F_B^β · F_A^(1−β) + r_A,      dF_B/dt = −k_A · F_A^β · F_B^(1−β) + r_B,

with ``k_i`` the kill rate of side i per day, ``β = 1`` the square law (aimed fire; invariant
``k_A·F_A² − k_B·F_B²``), ``β = 0`` exponential self-attrition, empirical fits in between; ``r_i``
replenishment per day (mobilisation and aid). Arrays have shape ``(..., 2)`` (last axis = side).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def attrition_rate(force: FloatArray, kill_rate: ArrayLike, beta: ArrayLike) -> FloatArray:
    """Losses per day ``(..., 2)``: side A loses ``k_B·F_B^β·F_A^(1−β)`` and vice versa."""
    f = np.maximum(force, 0.0)
    k = np.asarray(kill_rate, dtype=float)
    b = np.asarray(beta, dtype=float)[..., None]
    own = f ** (1.0 - b)
    enemy = f[..., ::-1] ** b
    return k[..., ::-1] * enemy * own


def attrition_step(
    force: ArrayLike,
    kill_rate: ArrayLike,
    beta: ArrayLike,
    replenishment: ArrayLike,
    dt_days: float,
    substeps: int = 7,
) -> tuple[FloatArray, FloatArray]:
    """Advance forces by ``dt_days`` with ``substeps`` RK4 steps; return ``(new_force, losses)``.

    Forces never go below zero; ``losses`` is the force destroyed in the step, ``(..., 2)``.
    The rates are evaluated as ``k_B·F_A·e^{β(log F_B − log F_A)}`` (one exponential per side
    pair instead of four powers; forces floored at 1e-300 inside the logarithm), which equals
    :func:`attrition_rate` for positive forces.
    """
    f = np.asarray(force, dtype=float)
    k = np.asarray(kill_rate, dtype=float)
    repl = np.asarray(replenishment, dtype=float)
    shape = np.broadcast_shapes(f.shape, k.shape, repl.shape, (2,))
    lead = shape[:-1]
    f, k, repl = (np.broadcast_to(x, shape) for x in (f, k, repl))
    fa = np.array(np.broadcast_to(f[..., 0], lead), dtype=float)
    fb = np.array(np.broadcast_to(f[..., 1], lead), dtype=float)
    ka = np.broadcast_to(k[..., 0], lead)
    kb = np.broadcast_to(k[..., 1], lead)
    ra = np.broadcast_to(repl[..., 0], lead)
    rb = np.broadcast_to(repl[..., 1], lead)
    b = np.asarray(beta, dtype=float)
    h = dt_days / substeps
    lost_a = np.zeros(lead)
    lost_b = np.zeros(lead)
    tiny = 1e-300

    def rates(xa: FloatArray, xb: FloatArray) -> tuple[FloatArray, FloatArray]:
        xa = np.maximum(xa, 0.0)
        xb = np.maximum(xb, 0.0)
        t = np.exp(b * (np.log(np.maximum(xb, tiny)) - np.log(np.maximum(xa, tiny))))
        return kb * xa * t, ka * xb / t

    for _ in range(substeps):
        a1, b1 = rates(fa, fb)
        a2, b2 = rates(fa + 0.5 * h * (ra - a1), fb + 0.5 * h * (rb - b1))
        a3, b3 = rates(fa + 0.5 * h * (ra - a2), fb + 0.5 * h * (rb - b2))
        a4, b4 = rates(fa + h * (ra - a3), fb + h * (rb - b3))
        grow_a = fa + h * ra
        grow_b = fb + h * rb
        new_a = np.maximum(grow_a - h * (a1 + 2 * a2 + 2 * a3 + a4) / 6.0, 0.0)
        new_b = np.maximum(grow_b - h * (b1 + 2 * b2 + 2 * b3 + b4) / 6.0, 0.0)
        lost_a += grow_a - new_a
        lost_b += grow_b - new_b
        fa, fb = new_a, new_b
    return np.stack([fa, fb], axis=-1), np.stack([lost_a, lost_b], axis=-1)


def attrition_step_reference(
    force: ArrayLike,
    kill_rate: ArrayLike,
    beta: ArrayLike,
    replenishment: ArrayLike,
    dt_days: float,
    substeps: int = 7,
) -> tuple[FloatArray, FloatArray]:
    """RK4 with :func:`attrition_rate` written out directly (the definition; for tests)."""
    f = np.asarray(force, dtype=float).copy()
    repl = np.asarray(replenishment, dtype=float)
    h = dt_days / substeps
    lost = np.zeros(np.broadcast_shapes(f.shape, repl.shape))
    for _ in range(substeps):
        k1 = attrition_rate(f, kill_rate, beta)
        k2 = attrition_rate(f + 0.5 * h * (repl - k1), kill_rate, beta)
        k3 = attrition_rate(f + 0.5 * h * (repl - k2), kill_rate, beta)
        k4 = attrition_rate(f + h * (repl - k3), kill_rate, beta)
        loss = h * (k1 + 2 * k2 + 2 * k3 + k4) / 6.0
        new = np.maximum(f + h * repl - loss, 0.0)
        lost = lost + (f + h * repl - new)
        f = new
    return f, lost


def square_law_invariant(force: ArrayLike, kill_rate: ArrayLike) -> FloatArray:
    """``k_A·F_A² − k_B·F_B²``, conserved under the square law without replenishment."""
    f = np.asarray(force, dtype=float)
    k = np.asarray(kill_rate, dtype=float)
    return np.asarray(k[..., 0] * f[..., 0] ** 2 - k[..., 1] * f[..., 1] ** 2)


def square_law_winner(force: ArrayLike, kill_rate: ArrayLike) -> NDArray[np.int64]:
    """0 if A annihilates B under the square law (invariant > 0), 1 if B wins, -1 on a draw."""
    inv = square_law_invariant(force, kill_rate)
    return np.where(inv > 0, 0, np.where(inv < 0, 1, -1)).astype(np.int64)
