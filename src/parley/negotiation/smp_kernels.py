"""Array kernels of KTAB's Spatial Model of Politics: votes, coalitions, victory odds, PCE, risk.

These are the building blocks of ``kmodel.cpp`` in KTAB (Wise, Lester & Efird; github
lsyaseen/KTAB, MIT licence), written as batched NumPy functions. Every array has a leading batch
axis ``b``. Sums over voters run in ascending voter order (the reduction axis is the *first* axis of
the summed array, which NumPy reduces sequentially), so that results match KTAB's loops to the last
bit wherever possible. The model, its options and the evidence of parity with KTAB are described in
``docs/smp.md``; each function names the KTAB routine it ports.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

VotingRule = Literal["Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"]
VictoryProbModel = Literal["Linear", "Square", "Quartic", "Octic", "Binary"]
PCEModel = Literal["Conditional", "MarkovIncentive", "MarkovUniform"]
BigRRange = Literal["Min", "Mid", "Max"]
BigRAdjust = Literal["None", "OneThird", "Half", "TwoThirds", "Full"]

#: Floors KTAB adds to coalition strengths (``kmodel.cpp`` coalitions / probEduChlg).
COALITION_FLOOR = 1e-8
LITTLE_FLOOR = 1e-10
#: Elements of a (voter, batch, option, option) block processed at once (fits a 1-2 MiB cache).
BLOCK_ELEMENTS = 40_000


def seq_sum(a: FloatArray, axis: int) -> FloatArray:
    """Sum along ``axis`` strictly in index order, as a C loop would (no pairwise summation)."""
    out: FloatArray = np.ascontiguousarray(np.moveaxis(a, axis, 0)).sum(axis=0)
    return out


def seq_prod(a: FloatArray, axis: int) -> FloatArray:
    """Product along ``axis`` strictly in index order."""
    out: FloatArray = np.ascontiguousarray(np.moveaxis(a, axis, 0)).prod(axis=0)
    return out


def salience_distance(ideal: FloatArray, salience: FloatArray, position: FloatArray) -> FloatArray:
    """Salience-weighted RMS distance ``D[b, i, j]`` from actor i's ideal to j's position.

    ``D_ij = sqrt(sum_k (s_ik (y_ik - x_jk))^2 / sum_k s_ik^2)`` (KTAB ``bvDiff``, smp.cpp).
    ``ideal`` and ``salience`` are ``(b, n, d)``; ``position`` is ``(b, m, d)``.
    """
    diff = ideal[:, :, None, :] - position[:, None, :, :]  # (b, n, m, d)
    weighted = salience[:, :, None, :] * diff
    num = seq_sum(weighted * weighted, -1)  # sequential over dimensions
    den = seq_sum(salience * salience, -1)  # (b, n)
    out: FloatArray = np.sqrt(num / den[:, :, None])
    return out


def utility(distance: FloatArray, risk: FloatArray) -> FloatArray:
    """KTAB's risk-adjusted utility of a distance (``bsUtil``).

    ``u(D, R) = (1 - D)(1 + D R)`` for ``D <= 1`` and ``(1 - D)(1 + R)`` beyond; ``R > 0`` is
    risk-averse. ``risk`` broadcasts against ``distance``.
    """
    near = 1.0 + distance * risk
    near *= 1.0 - distance
    if not (distance <= 1.0).all():
        near = np.where(distance <= 1.0, near, (1.0 - distance) * (1.0 + risk))
    out: FloatArray = near
    return out


def vote(rule: VotingRule, weight: FloatArray, u_a: FloatArray, u_b: FloatArray) -> FloatArray:
    """A voter's signed vote for option a over option b (KTAB ``vote``, kmodel.cpp).

    Positive values support a. ``Prop`` (KTAB's default) is ``w (u_a - u_b)``.
    """
    delta = u_a - u_b
    if rule == "Prop":
        out: FloatArray = weight * delta
        return out
    if rule == "Binary" or rule == "PropBin":
        binary = np.clip(delta / 1e-8, -1.0, 1.0)
        if rule == "Binary":
            return np.asarray(weight * binary)
        return np.asarray(weight * (0.8 * delta + 0.2 * binary))
    if rule == "PropCbc":
        return np.asarray(weight * (0.5 * delta + 0.5 * delta * delta * delta))
    if rule == "Cubic":
        return np.asarray(weight * (delta * delta * delta))
    if rule == "ASymProsp":
        return np.asarray(
            np.where(
                delta < 0, weight * delta, np.where(delta > 0, (2.0 / 3.0) * weight * delta, 0.0)
            )
        )
    raise ValueError(f"unknown voting rule '{rule}'")


def coalitions(rule: VotingRule, weight: FloatArray, value: FloatArray) -> FloatArray:
    """Coalition strengths ``C[b, i, j]`` for option i against option j (KTAB ``coalitions``).

    ``weight`` is ``(b, voters)`` and ``value[b, k, i]`` voter k's utility of option i. KTAB scans
    the lower triangle: for i > j it takes k's vote ``v_k(i:j)``, ``C_ij = 1e-8 + sum_k max(v, 0)``
    and ``C_ji = 1e-8 + sum_k max(-v, 0)``; ``C_ii = 1e-8``.
    """
    vals = np.moveaxis(value, 1, 0)  # (k, b, m)
    w = np.moveaxis(weight, 1, 0)[:, :, None, None]
    m = value.shape[2]
    if rule == "ASymProsp":
        votes = vote(rule, w, vals[:, :, :, None], vals[:, :, None, :])  # (k, b, i, j): v_k(i:j)
        pos = seq_sum(np.maximum(votes, 0.0), 0)  # sequential over voters
        neg = seq_sum(np.maximum(-votes, 0.0), 0)
        lower = np.tri(m, m, -1, dtype=bool)  # i > j
        strength = np.where(lower, pos, np.swapaxes(neg, 1, 2)) + COALITION_FLOOR
    else:
        # every other rule is exactly antisymmetric, v(j:i) = -v(i:j), so the lower-triangle scan
        # gives C_ij = 1e-8 + sum_k max(v_k(i:j), 0) for every ordered pair; voters are taken in
        # cache-sized blocks and added in ascending order
        b = value.shape[0]
        acc = np.zeros((b, m, m))
        step = max(1, BLOCK_ELEMENTS // max(1, b * m * m))
        for k0 in range(0, vals.shape[0], step):
            sl = slice(k0, k0 + step)
            votes = vote(rule, w[sl], vals[sl, :, :, None], vals[sl, :, None, :])
            np.maximum(votes, 0.0, out=votes)
            for row in votes:
                acc += row
        strength = acc + COALITION_FLOOR
    idx = np.arange(m)
    strength[:, idx, idx] = COALITION_FLOOR
    out: FloatArray = strength
    return out


def victory_prob(model: VictoryProbModel, strength: FloatArray) -> FloatArray:
    """Pairwise victory probabilities ``pv[b, i, j]`` from coalition strengths (KTAB ``vProb``).

    ``pv_ij = x_ij / (x_ij + x_ji)`` with ``x = C^e`` (e = 1, 2, 4, 8); Binary uses KTAB's 10 %
    margin rule. The diagonal is 0.5.
    """
    s1 = strength
    s2 = np.swapaxes(strength, 1, 2)
    if model == "Binary":
        r = s1 / (s1 + s2)
        p = (2.1 * r - 1.0) / 0.1
        x1 = np.where(s1 >= 1.1 * s2, 1.0, np.where(s2 >= 1.1 * s1, 1e-6, p))
        x2 = np.where(s1 >= 1.1 * s2, 1e-6, np.where(s2 >= 1.1 * s1, 1.0, 1.0 - p))
    else:
        e = {"Linear": 1, "Square": 2, "Quartic": 4, "Octic": 8}[model]
        x1, x2 = s1, s2
        for _ in range({1: 0, 2: 1, 4: 2, 8: 3}[e]):
            x1, x2 = x1 * x1, x2 * x2
    pv = x1 / (x1 + x2)
    idx = np.arange(strength.shape[1])
    pv[:, idx, idx] = 0.5
    out: FloatArray = pv
    return out


def _normalise(p: FloatArray) -> FloatArray:
    total = seq_sum(p, -1)
    out: FloatArray = p / total[..., None]
    return out


def pce(model: PCEModel, pv: FloatArray, mask: BoolArray, strength: FloatArray) -> FloatArray:
    """Probability that each option wins, restricted to the options in ``mask`` (KTAB ``probCE2``).

    ``pv`` and ``strength`` are ``(b, m, m)``; ``mask`` is ``(b, r, m)``: r option subsets sharing
    the same pairwise odds (coalitions depend only on the two options compared). Returns
    ``(b, r, m)``, zero outside the mask.

    * Conditional: ``p_i ~ prod_j pv_ij`` over the subset (``condPCE``).
    * MarkovUniform: iterate ``q_i = (1/n) sum_j pv_ij (p_i + p_j)``, ``p <- (p + q)/2`` until
      ``max |q - p| <= 1e-6`` (measured before averaging).
    * MarkovIncentive: ``Q`` = column-normalised ``C * pv`` (+1e-10 on the diagonal); iterate
      ``q_i = sum_j pv_ij (p_i Q_ji + p_j Q_ij)``, ``p <- (p + q)/2`` until ``max |q - p| <= 1e-8``.
    """
    pvr = pv[:, None, :, :]  # (b, 1, i, j)
    mf = mask.astype(np.float64)
    if model == "Conditional":
        # factors[j, b, r, i]: pv_ij where option j is in the subset, else 1 (built with j first so
        # that the product runs over j in ascending order without a copy)
        pv_t = np.transpose(pv, (2, 0, 1))[:, :, None, :]
        mask_t = np.transpose(mask, (2, 0, 1))[..., None]
        factors = np.where(mask_t, pv_t, 1.0)
        raw = factors.prod(axis=0) * mf
        return _normalise(raw)
    count = mf.sum(axis=-1, keepdims=True)
    p = mf / count
    pvm = pvr * mf[:, :, None, :] * mf[:, :, :, None]
    if model == "MarkovUniform":
        tol = 1e-6
        active = np.ones(p.shape[:2], dtype=bool)
        while active.any():
            q = seq_sum(pvm * (p[..., :, None] + p[..., None, :]), -1) / count
            change = np.abs(q - p).max(axis=-1)
            p = np.where(active[..., None], (p + q) / 2.0, p)
            active &= change > tol
        return p
    if model == "MarkovIncentive":
        idx = np.arange(pv.shape[1])
        inc = strength[:, None, :, :] * pvm
        inc[:, :, idx, idx] += LITTLE_FLOOR * mf
        col = seq_sum(inc, -2)  # (b, r, j)
        quo = inc / np.where(col > 0, col, 1.0)[..., None, :]
        tol = 1e-8
        active = np.ones(p.shape[:2], dtype=bool)
        while active.any():
            ct = p[..., :, None] * np.swapaxes(quo, -1, -2)  # ct_ij = p_i Q_ji
            q = seq_sum(pvm * (ct + np.swapaxes(ct, -1, -2)), -1)
            change = np.abs(q - p).max(axis=-1)
            p = np.where(active[..., None], (p + q) / 2.0, p)
            active &= change > tol
        return p
    raise ValueError(f"unknown PCE model '{model}'")


def scalar_pce(
    rule: VotingRule,
    prob_model: VictoryProbModel,
    pce_model: PCEModel,
    weight: FloatArray,
    value: FloatArray,
    mask: BoolArray,
) -> FloatArray:
    """KTAB ``scalarPCE``: PCE over options from voters' utilities ``value[b, voter, option]``."""
    strength = coalitions(rule, weight, value)
    pv = victory_prob(prob_model, strength)
    return pce(pce_model, pv, mask, strength)


def big_r(prob: FloatArray, rng: BigRRange) -> FloatArray:
    """Risk attitudes from a risk-neutral election (KTAB ``bigR``, kmodel.cpp).

    The most likely winner becomes the most risk-averse actor. ``Mid`` (default) maps into
    [-1/2, 1].
    """
    pmax = prob.max(axis=-1, keepdims=True)
    pmin = prob.min(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        if rng == "Mid":
            out: FloatArray = (3.0 * prob - (pmax + 2.0 * pmin)) / (2.0 * (pmax - pmin))
        elif rng == "Min":
            out = (prob - pmin) / (pmax - pmin)
        elif rng == "Max":
            out = (2.0 * prob - pmax - pmin) / (pmax - pmin)
        else:
            raise ValueError(f"unknown BigRRange '{rng}'")
    return out


def estimated_risk(risk: FloatArray, adjust: BigRAdjust) -> FloatArray:
    """``Rhat[b, h, i]``: h's estimate of i's risk attitude (KTAB ``estNRA``); ``Rhat_ii = R_i``."""
    rh = risk[:, :, None]
    ri = risk[:, None, :]
    if adjust == "None":
        est = np.broadcast_to(rh, rh.shape[:2] + (risk.shape[1],)).copy()
    elif adjust == "OneThird":
        est = (2.0 * rh + ri) / 3.0
    elif adjust == "Half":
        est = (rh + ri) / 2.0
    elif adjust == "TwoThirds":
        est = (rh + 2.0 * ri) / 3.0
    elif adjust == "Full":
        est = np.broadcast_to(ri, ri.shape[:1] + (risk.shape[1], risk.shape[1])).copy()
    else:
        raise ValueError(f"unknown BigRAdjust '{adjust}'")
    idx = np.arange(risk.shape[1])
    est[:, idx, idx] = risk
    out: FloatArray = est
    return out
