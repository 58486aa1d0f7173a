"""Compiled kernel (numba) of the war values, the engine's hottest loop.

:func:`war_values_compiled` evaluates exactly what :func:`parley.war.beliefs.war_values` does —
the Smith & Stam (2004) war values ``W_A = E_A[P_win] − c_A·E_A[D]`` and
``W_B = 1 − E_B[P_win] − c_B·E_B[D]`` under each side's Beta belief, with the same quadrature
rules (:func:`parley.war.beliefs.beta_quadrature`) and the same numerically stable gambler's-ruin
forms — but in one pass per (run, side) without temporary arrays. The NumPy function stays the
reference; ``tests/war/test_kernels.py`` checks that both agree to 1e-9.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from parley.war.beliefs import _HALF_TOL, SHARP_STRENGTH, _hermite, _legendre

FloatArray = NDArray[np.float64]


@njit(cache=True)
def _one(a, b, k, n, xl, wl, xh, wh, theta, logd):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """(E[P_win], E[D]) for one Beta(a, b) belief, k of n forts."""
    q = xl.size
    m = a / (a + b)
    sharp = (a + b) >= SHARP_STRENGTH
    if sharp:
        mu = math.log(m) - math.log1p(-m)
        sd_phi = 1.0 / math.sqrt((a + b) * m * (1.0 - m))
        for i in range(q):
            phi = mu + math.sqrt(2.0) * sd_phi * xh[i]
            theta[i] = 0.5 * (1.0 + math.tanh(0.5 * phi))
            lae_neg = max(0.0, -phi) + math.log1p(math.exp(-abs(phi)))
            lae_pos = max(0.0, phi) + math.log1p(math.exp(-abs(phi)))
            logd[i] = -a * lae_neg - b * lae_pos
    else:
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0)))
        lo = min(max(m - 7.0 * sd, 1e-9), 1 - 1e-9)
        hi = min(max(m + 7.0 * sd, 1e-9), 1 - 1e-9)
        for i in range(q):
            t = lo + (hi - lo) * 0.5 * (xl[i] + 1.0)
            theta[i] = t
            logd[i] = (a - 1.0) * math.log(t) + (b - 1.0) * math.log1p(-t)
    top = logd.max()
    e_p = 0.0
    e_d = 0.0
    total = 0.0
    for i in range(q):
        w = (wh[i] if sharp else wl[i]) * math.exp(logd[i] - top)
        t = min(max(theta[i], 1e-12), 1 - 1e-12)
        lr = math.log1p(-t) - math.log(t)
        if abs(lr) < _HALF_TOL:
            p = k / n
        else:
            ell = -abs(lr)
            j = k if lr < 0 else n - k
            qq = math.expm1(j * ell) / math.expm1(n * ell)
            p = qq if lr < 0 else 1.0 - qq
        p = min(max(p, 0.0), 1.0)
        denom = 1.0 - 2.0 * theta[i]
        if abs(denom) < 1e-4:
            d = k * (n - k)
        else:
            d = max((k - n * p) / denom, 0.0)
        e_p += w * p
        e_d += w * d
        total += w
    return e_p / total, e_d / total


@njit(cache=True)
def _batch(k, n, alpha, beta, cost, xl, wl, xh, wh):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    runs = k.size
    out = np.empty((runs, 2))
    theta = np.empty(xl.size)
    logd = np.empty(xl.size)
    for r in range(runs):
        for s in range(2):
            e_p, e_d = _one(alpha[r, s], beta[r, s], k[r], n[r], xl, wl, xh, wh, theta, logd)
            if s == 0:
                out[r, 0] = e_p - cost[r, 0] * e_d
            else:
                out[r, 1] = 1.0 - e_p - cost[r, 1] * e_d
    return out


def war_values_compiled(
    k: ArrayLike, n: ArrayLike, alpha: ArrayLike, beta: ArrayLike, cost: ArrayLike, nodes: int = 16
) -> FloatArray:
    """``(runs, 2)`` war values for runs ``(runs,)``; same contract as ``beliefs.war_values``."""
    a = np.asarray(alpha, dtype=float)
    runs = a.shape[0]
    k_a = np.ascontiguousarray(np.broadcast_to(np.asarray(k, dtype=float), (runs,)))
    n_a = np.ascontiguousarray(np.broadcast_to(np.asarray(n, dtype=float), (runs,)))
    shape = (runs, 2)
    a2 = np.ascontiguousarray(np.broadcast_to(a, shape))
    b2 = np.ascontiguousarray(np.broadcast_to(np.asarray(beta, dtype=float), shape))
    c2 = np.ascontiguousarray(np.broadcast_to(np.asarray(cost, dtype=float), shape))
    xl, wl = _legendre(nodes)
    xh, wh = _hermite(nodes)
    return np.asarray(_batch(k_a, n_a, a2, b2, c2, xl, wl, xh, wh))
