"""Learning while fighting: Beta beliefs over θ and the gambler's-ruin war values.

Smith & Stam (2004), "Bargaining and the nature of war", Journal of Conflict Resolution 48(6): the
front is a random walk on forts 0..N, θ = P(A wins a battle), ``r = (1−θ)/θ``,

    P_win(k|θ) = (1 − r^k)/(1 − r^N)                     (k/N at θ = ½),
    D(k|θ)     = k/(1−2θ) − N/(1−2θ)·(1 − r^k)/(1 − r^N)  (k(N−k) at θ = ½),

(Feller 1968, *An Introduction to Probability Theory*, XIV.2–3). Each side holds a Beta(α, β)
belief over θ (non-common priors) and values the war at ``W_A = E_A[P_win] − c_A·E_A[D]`` and
``W_B = 1 − E_B[P_win] − c_B·E_B[D]``; a battle won by A adds 1 to α, one lost adds 1 to β.
Expectations use quadrature adapted to each run's Beta posterior (:func:`beta_quadrature`),
accurate for posteriors that sharpen as battles accumulate, and
vectorised over runs and sides.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
_HALF_TOL = 1e-6


def _log_r(theta: FloatArray) -> FloatArray:
    t = np.clip(theta, 1e-12, 1 - 1e-12)
    return np.asarray(np.log1p(-t) - np.log(t))


def win_probability(k: ArrayLike, n: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Gambler's ruin: P(A takes all N forts before losing all) from k forts (Smith & Stam 2004)."""
    k_a = np.asarray(k, dtype=float)
    n_a = np.asarray(n, dtype=float)
    lr = _log_r(np.asarray(theta, dtype=float))
    near = np.abs(lr) < _HALF_TOL
    lr_s = np.where(near, 1.0, lr)
    with np.errstate(over="ignore", invalid="ignore"):
        # lr < 0 (θ > ½): ratio of expm1s is stable; lr > 0: factor out r^N to avoid overflow.
        neg = np.expm1(k_a * lr_s) / np.expm1(n_a * lr_s)
        pos = np.exp((k_a - n_a) * lr_s) * np.expm1(-k_a * lr_s) / np.expm1(-n_a * lr_s)
    p = np.where(lr_s < 0, neg, pos)
    p = np.where(near, k_a / n_a, p)
    return np.asarray(np.clip(p, 0.0, 1.0))


def expected_battles(k: ArrayLike, n: ArrayLike, theta: ArrayLike) -> FloatArray:
    """Expected number of battles until one side holds all forts (Smith & Stam 2004, eq. for D)."""
    k_a = np.asarray(k, dtype=float)
    n_a = np.asarray(n, dtype=float)
    th = np.asarray(theta, dtype=float)
    denom = 1.0 - 2.0 * th
    near = np.abs(denom) < 1e-4
    d = (k_a - n_a * win_probability(k_a, n_a, th)) / np.where(near, 1.0, denom)
    return np.asarray(np.where(near, k_a * (n_a - k_a), np.maximum(d, 0.0)))


@lru_cache(maxsize=32)
def _legendre(nodes: int) -> tuple[FloatArray, FloatArray]:
    x, w = np.polynomial.legendre.leggauss(nodes)
    return x, w


@lru_cache(maxsize=32)
def _hermite(nodes: int) -> tuple[FloatArray, FloatArray]:
    x, w = np.polynomial.hermite.hermgauss(nodes)
    return x, w * np.exp(x * x)


#: Beliefs with α+β below this use Gauss–Legendre in θ, above it Gauss–Hermite in logit space.
SHARP_STRENGTH = 40.0


def beta_quadrature(
    alpha: ArrayLike, beta: ArrayLike, nodes: int = 16
) -> tuple[FloatArray, FloatArray]:
    """Nodes ``θ (..., Q)`` and normalised weights ``(..., Q)`` for expectations under Beta(α, β).

    Two rules, chosen per element. Vague beliefs (α+β < ``SHARP_STRENGTH``): Gauss–Legendre on
    ``mean ± 7 sd`` clipped to (0, 1), weighted by the Beta density. Sharp beliefs: Gauss–Hermite
    in logit space, where the density (times the Jacobian) is ``∝ θ^α (1−θ)^β`` — log-concave and
    close to normal with mode ``logit(α/(α+β))`` and sd ``1/√((α+β)·m(1−m))``. Weights are exact
    density ratios normalised to sum to 1. Accuracy against adaptive integration is recorded in
    ``tests/war/test_beliefs.py`` (about 1e-4 or better for α, β ≥ 1 with 16 nodes).
    """
    a = np.asarray(alpha, dtype=float)[..., None]
    b = np.asarray(beta, dtype=float)[..., None]
    m = a / (a + b)
    # vague: Legendre in θ
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0)))
    lo = np.clip(m - 7.0 * sd, 1e-9, 1 - 1e-9)
    hi = np.clip(m + 7.0 * sd, 1e-9, 1 - 1e-9)
    xl, wl = _legendre(nodes)
    theta_l = lo + (hi - lo) * 0.5 * (xl + 1.0)
    logd_l = (a - 1.0) * np.log(theta_l) + (b - 1.0) * np.log1p(-theta_l)
    # sharp: Hermite in logit space
    mu = np.log(m) - np.log1p(-m)
    sd_phi = 1.0 / np.sqrt((a + b) * m * (1.0 - m))
    xh, wh = _hermite(nodes)
    phi = mu + np.sqrt(2.0) * sd_phi * xh
    logd_h = -a * np.logaddexp(0.0, -phi) - b * np.logaddexp(0.0, phi)
    sharp = (a + b) >= SHARP_STRENGTH
    theta = np.where(sharp, 0.5 * (1.0 + np.tanh(0.5 * phi)), theta_l)
    logd = np.where(sharp, logd_h, logd_l)
    logd = logd - logd.max(axis=-1, keepdims=True)
    wt = np.where(sharp, wh, wl) * np.exp(logd)
    wt = wt / wt.sum(axis=-1, keepdims=True)
    return theta, wt


class SharedNodes(NamedTuple):
    """Everything of the war values that depends only on a distinct belief ``(α, β, N)``.

    Arrays ``(U, Q)`` over distinct beliefs and quadrature nodes; ``inv`` maps each (run, side)
    element to its distinct belief.
    """

    inv: NDArray[np.intp]
    fav: NDArray[np.bool_]  # θ > ½: A favoured
    near: NDArray[np.bool_]  # θ ≈ ½ in the win probability
    ell: FloatArray  # −|log r|
    den_n: FloatArray  # expm1(N·ℓ)
    inv_denom: FloatArray  # 1/(1 − 2θ), 0 where θ ≈ ½
    near_d: NDArray[np.bool_]  # θ ≈ ½ in the expected duration
    weight: FloatArray


def shared_nodes(a2: FloatArray, b2: FloatArray, n2: FloatArray, nodes: int) -> SharedNodes:
    """Quadrature and gambler's-ruin terms once per distinct ``(α, β, N)`` of flat inputs."""
    if np.all(n2 == n2[0]):  # one N: a 1-d sort on complex keys (lexicographic in re, im)
        ukey, inv = np.unique(a2 + 1j * b2, return_inverse=True)
        uniq = np.stack([ukey.real, ukey.imag, np.full(ukey.shape, n2[0])], axis=1)
    else:
        uniq, inv = np.unique(np.stack([a2, b2, n2], axis=1), axis=0, return_inverse=True)
    theta, wt = beta_quadrature(uniq[:, 0], uniq[:, 1], nodes)  # (U, Q)
    lr = _log_r(theta)
    near = np.abs(lr) < _HALF_TOL
    ell = -np.abs(np.where(near, 1.0, lr))
    denom = 1.0 - 2.0 * theta
    near_d = np.abs(denom) < 1e-4
    return SharedNodes(
        inv=inv.reshape(-1),
        fav=lr < 0,
        near=near,
        ell=ell,
        den_n=np.expm1(uniq[:, 2][:, None] * ell),
        inv_denom=np.where(near_d, 0.0, 1.0 / np.where(near_d, 1.0, denom)),
        near_d=near_d,
        weight=wt,
    )


def gather_expectations(
    k2: FloatArray, n2: FloatArray, sn: SharedNodes
) -> tuple[FloatArray, FloatArray]:
    """``(E[P_win], E[D])`` per flat (run, side) element from the shared terms (NumPy)."""
    inv = sn.inv
    kk = k2[:, None]
    nn = n2[:, None]
    fav_g = sn.fav[inv]
    j = np.where(fav_g, kk, nn - kk)
    j *= sn.ell[inv]
    q = np.expm1(j, out=j)
    q /= sn.den_n[inv]
    p = np.where(fav_g, q, 1.0 - q)
    if sn.near.any():
        p = np.where(sn.near[inv], kk / nn, p)
    np.clip(p, 0.0, 1.0, out=p)
    d = nn * p
    np.subtract(kk, d, out=d)
    d *= sn.inv_denom[inv]
    if sn.near_d.any():
        d = np.where(sn.near_d[inv], kk * (nn - kk), np.maximum(d, 0.0))
    else:
        np.maximum(d, 0.0, out=d)
    w_g = sn.weight[inv]
    return np.einsum("ij,ij->i", w_g, p), np.einsum("ij,ij->i", w_g, d)


Gather = Callable[[FloatArray, FloatArray, SharedNodes], tuple[FloatArray, FloatArray]]


def war_values(
    k: ArrayLike,
    n: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    cost_per_battle: ArrayLike,
    nodes: int = 16,
    gather: Gather = gather_expectations,
) -> FloatArray:
    """``(..., 2)`` war values ``(W_A, W_B)`` under each side's own Beta belief (Smith & Stam 2004).

    ``alpha``, ``beta`` and ``cost_per_battle`` have a trailing side axis of length 2; ``k`` (A's
    forts, may be fractional in the continuous form) and ``n`` broadcast against the leading axes.

    Implementation: beliefs in a simulation move by whole battles from a common prior, so many runs
    share the same ``(α, β)``; quadrature nodes, weights and everything that depends only on θ and
    N are computed once per distinct ``(α, β, N)`` (:func:`shared_nodes`) and gathered
    (``gather``: :func:`gather_expectations`, or the compiled one of :mod:`parley.war.kernels`).
    Per run and node only ``expm1(j·ℓ)`` remains, with ``ℓ = −|log r|`` and ``j = k`` (θ > ½) or
    ``N − k`` (θ < ½), using the symmetry ``P_win(k|θ) = 1 − P_win(N−k|1−θ)``;
    ``D = (k − N·P_win)/(1 − 2θ)``.
    """
    a = np.asarray(alpha, dtype=float)
    b = np.asarray(beta, dtype=float)
    c = np.asarray(cost_per_battle, dtype=float)
    lead = np.broadcast_shapes(a.shape, b.shape, c.shape)[:-1]
    k_a = np.broadcast_to(np.asarray(k, dtype=float), lead)
    n_a = np.broadcast_to(np.asarray(n, dtype=float), lead)
    a2 = np.broadcast_to(a, (*lead, 2)).reshape(-1)
    b2 = np.broadcast_to(b, (*lead, 2)).reshape(-1)
    n2 = np.ascontiguousarray(np.broadcast_to(n_a[..., None], (*lead, 2)).reshape(-1))
    k2 = np.ascontiguousarray(np.broadcast_to(k_a[..., None], (*lead, 2)).reshape(-1))
    if a2.size == 0:
        return np.zeros((*lead, 2))
    e_p, e_d = gather(k2, n2, shared_nodes(a2, b2, n2, nodes))
    e_p, e_d = e_p.reshape(*lead, 2), e_d.reshape(*lead, 2)
    c_b = np.broadcast_to(c, (*lead, 2))
    w_a = e_p[..., 0] - c_b[..., 0] * e_d[..., 0]
    w_b = 1.0 - e_p[..., 1] - c_b[..., 1] * e_d[..., 1]
    return np.stack([w_a, w_b], axis=-1)


def war_values_reference(
    k: ArrayLike,
    n: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    cost_per_battle: ArrayLike,
    nodes: int = 16,
) -> FloatArray:
    """Direct evaluation of :func:`war_values` (every run and node, no sharing); for tests."""
    theta, wt = beta_quadrature(alpha, beta, nodes)
    k_a = np.asarray(k, dtype=float)[..., None, None]
    n_a = np.asarray(n, dtype=float)[..., None, None]
    p = win_probability(k_a, n_a, theta)
    d = expected_battles(k_a, n_a, theta)
    e_p = (wt * p).sum(axis=-1)
    e_d = (wt * d).sum(axis=-1)
    c = np.asarray(cost_per_battle, dtype=float)
    w_a = e_p[..., 0] - c[..., 0] * e_d[..., 0]
    w_b = 1.0 - e_p[..., 1] - c[..., 1] * e_d[..., 1]
    return np.stack([w_a, w_b], axis=-1)


def update_beliefs(
    alpha: FloatArray, beta: FloatArray, a_won: ArrayLike, active: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Bayesian update of both sides' Beta beliefs with one battle outcome (α+1 if A won, else β+1).

    ``a_won`` and ``active`` have the run shape; runs that are not active keep their beliefs.
    """
    won = np.asarray(a_won, dtype=bool)[..., None]
    act = np.asarray(active, dtype=bool)[..., None]
    return alpha + (act & won), beta + (act & ~won)


def belief_mean(alpha: ArrayLike, beta: ArrayLike) -> FloatArray:
    """Mean α/(α+β) of a Beta belief."""
    a = np.asarray(alpha, dtype=float)
    return np.asarray(a / (a + np.asarray(beta, dtype=float)))
