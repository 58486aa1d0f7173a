"""Compiled kernel (numba) of the war values, the engine's hottest loop.

:func:`war_values_compiled` evaluates exactly what :func:`parley.war.beliefs.war_values` does —
the Smith & Stam (2004) war values ``W_A = E_A[P_win] − c_A·E_A[D]`` and
``W_B = 1 − E_B[P_win] − c_B·E_B[D]`` under each side's Beta belief, sharing the same per-belief
terms (:func:`parley.war.beliefs.shared_nodes`) — but gathers the per-run expectations in one
compiled pass without the ``(runs, nodes)`` temporaries of the NumPy version. The NumPy function stays the
reference; ``tests/war/test_kernels.py`` checks that both agree to 1e-9.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

from parley.war.beliefs import SharedNodes, war_values

FloatArray = NDArray[np.float64]


#: Below this many distinct (k, n) pairs the serial kernel is used: starting the thread pool costs
#: more than it saves on the report's small batches (``bench/bench_war_kernel.py``,
#: ``docs/performance.md``).
PARALLEL_MIN = 20_000


@njit(cache=True, inline="always")
def _expect_one(i, k2, n2, inv, fav, near, ell, den_n, inv_denom, near_d, weight):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, PLR0913
    u = inv[i]
    k = k2[i]
    n = n2[i]
    sp = 0.0
    sd = 0.0
    for j in range(weight.shape[1]):
        if near[u, j]:
            p = k / n
        else:
            x = math.expm1((k if fav[u, j] else n - k) * ell[u, j]) / den_n[u, j]
            p = x if fav[u, j] else 1.0 - x
        p = min(max(p, 0.0), 1.0)
        if near_d[u, j]:
            d = k * (n - k)
        else:
            d = max((k - n * p) * inv_denom[u, j], 0.0)
        sp += weight[u, j] * p
        sd += weight[u, j] * d
    return sp, sd


@njit(cache=True, parallel=True)
def _gather(k2, n2, inv, fav, near, ell, den_n, inv_denom, near_d, weight):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    m = k2.size
    e_p = np.empty(m)
    e_d = np.empty(m)
    for i in prange(m):
        e_p[i], e_d[i] = _expect_one(i, k2, n2, inv, fav, near, ell, den_n, inv_denom, near_d,
                                     weight)  # fmt: skip
    return e_p, e_d


@njit(cache=True)
def _gather_serial(k2, n2, inv, fav, near, ell, den_n, inv_denom, near_d, weight):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    m = k2.size
    e_p = np.empty(m)
    e_d = np.empty(m)
    for i in range(m):
        e_p[i], e_d[i] = _expect_one(i, k2, n2, inv, fav, near, ell, den_n, inv_denom, near_d,
                                     weight)  # fmt: skip
    return e_p, e_d


def gather_compiled(
    k2: FloatArray, n2: FloatArray, sn: SharedNodes
) -> tuple[FloatArray, FloatArray]:
    """Compiled twin of :func:`parley.war.beliefs.gather_expectations` (one pass, no temporaries;
    threaded from :data:`PARALLEL_MIN` pairs on, serial below)."""
    kernel = _gather if k2.size >= PARALLEL_MIN else _gather_serial
    e_p, e_d = kernel(k2, n2, sn.inv, sn.fav, sn.near, sn.ell, sn.den_n, sn.inv_denom,
                      sn.near_d, sn.weight)  # fmt: skip
    return np.asarray(e_p), np.asarray(e_d)


def war_values_compiled(
    k: ArrayLike, n: ArrayLike, alpha: ArrayLike, beta: ArrayLike, cost: ArrayLike, nodes: int = 16
) -> FloatArray:
    """:func:`parley.war.beliefs.war_values` with the compiled gather; same contract."""
    return war_values(k, n, alpha, beta, cost, nodes, gather=gather_compiled)
