"""Challenges and bargains of KTAB's Spatial Model of Politics, vectorised over all actor pairs.

``prob_edu_challenge`` is KTAB's ``probEduChlg`` (smpbcn.cpp): h's estimate of the probability that
i beats j and of the expected utility change for i if i challenges j, with third parties joining
under KTAB's ``thirdPartyVoteSU``. KTAB evaluates it pair by pair and third party by third party,
an O(n^3) loop per turn; here the whole ``(third party, batch, i, j)`` block is one set of array
operations, summed over third parties in ascending order so that the totals match KTAB's loop
exactly. ``interpolate_bargain`` is KTAB's ``interpolateBrgn`` (smp.cpp). Source: KTAB, github
lsyaseen/KTAB (MIT), described in ``docs/smp.md``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from parley.negotiation.smp_kernels import LITTLE_FLOOR, FloatArray, VotingRule, vote

ThirdPartyCommit = Literal["NoCommit", "SemiCommit", "FullCommit"]
InterVecBrgn = Literal["S1P1", "S2P2", "S2PMax"]

#: Elements of a (third party, batch, i, j) block processed at once (sized for a 1-2 MiB cache).
BLOCK_ELEMENTS = 40_000


def prob_edu_challenge(
    perceived: FloatArray,
    weight: FloatArray,
    total_salience: FloatArray,
    rule: VotingRule,
    commit: ThirdPartyCommit,
) -> tuple[FloatArray, FloatArray]:
    """Victory probability ``P[b, i, j]`` and expected utility change ``EDU[b, i, j]``.

    Row i of the result is evaluated with the utility matrix ``perceived[b, i]`` (``W[a, q]``: the
    perceiver's estimate of actor a's utility for actor q's position) and for the challenger
    ``k = i``. For target choice the perceiver is i itself (``perceived = U^i``); the receiver's
    estimate in InitRcvrInterp passes ``U^j`` in row i.

    Steps (KTAB probEduChlg): the principals vote with weights ``w = S c``; each third party m
    joins with ``vProbLittle`` odds computed from the principals' strengths only, and with
    SemiCommit values ``V_i = pi (2 U_mi + U_mm) + (1 - pi) 3 U_mj`` (``V_j`` likewise);
    ``P = K_ij / (K_ij + K_ji)`` (always the linear ratio);
    ``EDU = (1 - S_j) 2 U_ii + S_j (P 2 U_ii + (1 - P) 2 U_ij) - (U_ii + U_ij)``.
    """
    b, n = weight.shape
    w_mat = perceived  # (b, i, a, q)
    u_self = np.einsum("biii->bi", w_mat)[:, :, None]  # W[i, i] of row i  (b, i, 1)
    u_ij = np.einsum("biiq->biq", w_mat)  # W[i, j] of row i                  (b, i, j)
    u_ji = np.einsum("biji->bij", w_mat)  # W[j, i] of row i                  (b, i, j)
    diag = np.einsum("bhaa->bha", w_mat)  # W[a, a] of row h                  (b, i, a)
    u_jj = diag  # W[j, j] of row i                                           (b, i, j)
    wi = weight[:, :, None]
    wj = weight[:, None, :]
    a_i = vote(rule, wi, u_self, u_ij)
    a_j = vote(rule, wj, u_ji, u_jj)
    k0_ij = LITTLE_FLOOR + np.maximum(a_i, 0.0) + np.maximum(a_j, 0.0)
    k0_ji = LITTLE_FLOOR + np.maximum(-a_i, 0.0) + np.maximum(-a_j, 0.0)
    if commit == "SemiCommit":
        # third-party arrays with the third party m first: (m, b, i, j)
        u_mi = np.transpose(u_ji, (2, 0, 1))[..., None]  # W[m, i] of row i: (m, b, i, 1)
        u_mj_all = np.transpose(w_mat, (2, 0, 1, 3))  # (m, b, i, j) view
        u_mm = np.transpose(diag, (2, 0, 1))[..., None]  # (m, b, i, 1)
        w_m = np.transpose(weight)[:, :, None, None]  # (m, b, 1, 1)
        k_ij = k0_ij.copy()
        k_ji = k0_ji.copy()
        # third parties in blocks that fit in cache; within a block, accumulate in ascending m,
        # starting from the principals' strengths (KTAB's loop order, so sums match exactly)
        step = max(1, BLOCK_ELEMENTS // max(1, b * n * n))
        for m0 in range(0, n, step):
            m1 = min(n, m0 + step)
            sl = slice(m0, m1)
            u_mj = np.ascontiguousarray(u_mj_all[sl])
            vm = _third_party_votes(rule, w_m[sl], u_mi[sl], u_mj, u_mm[sl], k0_ij, k0_ji)
            ms = np.arange(m0, m1)
            vm[ms - m0, :, ms, :] = 0.0  # only third parties m not in {i, j} vote
            vm[ms - m0, :, :, ms] = 0.0
            pos = np.maximum(vm, 0.0)
            neg = np.minimum(vm, 0.0, out=vm)
            for m in range(m1 - m0):
                k_ij += pos[m]
                k_ji -= neg[m]
    elif commit in ("NoCommit", "FullCommit"):
        # V_i and V_j are algebraically equal under these rules: third parties add nothing.
        k_ij, k_ji = k0_ij, k0_ji
    else:
        raise ValueError(f"unknown ThirdPartyCommit '{commit}'")
    prob = k_ij / (k_ij + k_ji)
    s_j = total_salience[:, None, :]
    eu_sq = u_self + u_ij
    eu_vict = 2.0 * u_self
    eu_contest = prob * (2.0 * u_self) + (1.0 - prob) * (2.0 * u_ij)
    eu_chlg = (1.0 - s_j) * eu_vict + s_j * eu_contest
    return prob, eu_chlg - eu_sq


def _third_party_votes(
    rule: VotingRule,
    w_m: FloatArray,
    u_mi: FloatArray,
    u_mj: FloatArray,
    u_mm: FloatArray,
    k0_ij: FloatArray,
    k0_ji: FloatArray,
) -> FloatArray:
    """Third parties' votes under SemiCommit (KTAB ``thirdPartyVoteSU``), arrays ``(m, b, i, j)``.

    m's odds of i winning come from the principals' strengths plus m's own vote
    (``vProbLittle``); m then votes between ``V_i = pi (2 U_mi + U_mm) + (1 - pi) 3 U_mj`` and
    ``V_j = pi 3 U_mi + (1 - pi)(2 U_mj + U_mm)``. The in-place arithmetic below performs the
    same floating-point operations as the plain formulas, with fewer temporaries.
    """
    if rule != "Prop":
        bv = vote(rule, w_m, u_mi, u_mj)
        num = k0_ij + np.maximum(bv, 0.0)
        pi = num / (num + (k0_ji + np.maximum(-bv, 0.0)))
        v_i = pi * (2.0 * u_mi + u_mm) + (1.0 - pi) * (3.0 * u_mj)
        v_j = pi * (3.0 * u_mi) + (1.0 - pi) * (2.0 * u_mj + u_mm)
        return vote(rule, w_m, v_i, v_j)
    t = np.subtract(u_mi, u_mj)
    t *= w_m  # m's own vote b
    num = np.maximum(t, 0.0)
    num += k0_ij
    den = np.minimum(t, 0.0)
    np.negative(den, out=den)
    den += k0_ji
    den += num
    pi = np.divide(num, den, out=num)
    q = np.subtract(1.0, pi, out=t)  # 1 - pi
    v_i = np.multiply(u_mj, 3.0, out=den)
    v_i *= q
    v_i += pi * (2.0 * u_mi + u_mm)
    v_j = np.multiply(u_mj, 2.0)
    v_j += u_mm
    v_j *= q
    v_j += pi * (3.0 * u_mi)
    v_i -= v_j
    v_i *= w_m
    return v_i


def _r4(z: FloatArray) -> FloatArray:
    """KTAB's rounding to 1e-4: ``(int)(z * 1e4 + 0.5) / 1e4`` (truncation toward zero)."""
    out: FloatArray = np.trunc(z * 1e4 + 0.5) / 1e4
    return out


def interpolate_bargain(
    method: InterVecBrgn,
    p_init: FloatArray,
    sal_i: FloatArray,
    sal_j: FloatArray,
    pos_i: FloatArray,
    pos_j: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Compromise positions for initiator and receiver (KTAB ``interpolateBrgn``, smp.cpp).

    ``p_init`` is ``(...)``, the other arrays ``(..., d)``. S2P2 (default) weighs each side by
    ``(salience * probability)^2`` and rounds to 1e-4; S1P1 uses the first powers; S2PMax moves the
    weaker side towards the stronger one without rounding.
    """
    p_i = p_init[..., None]
    p_j = 1.0 - p_i
    if method in ("S2P2", "S1P1"):
        if method == "S2P2":
            w_i = (sal_i * sal_i) * (p_i * p_i)
            w_j = (sal_j * sal_j) * (p_j * p_j)
        else:
            w_i = sal_i * p_i
            w_j = sal_j * p_j
        den = w_i + 1e-6 + w_j
        b_i = _r4(((w_i + 1e-6) * pos_i + w_j * pos_j) / den)
        b_j = _r4((w_i * pos_i + (1e-6 + w_j) * pos_j) / den)
        return b_i, b_j
    if method == "S2PMax":
        d_i = np.maximum(0.0, p_j - p_i)
        d_j = np.maximum(0.0, p_i - p_j)
        si2 = sal_i * sal_i
        sj2 = sal_j * sal_j
        f_i = d_i * sj2 / (d_i * sj2 + 1e-6 + (1.0 - d_i) * si2)
        f_j = d_j * si2 / (d_j * si2 + 1e-6 + (1.0 - d_j) * sj2)
        return pos_i + f_i * (pos_j - pos_i), pos_j + f_j * (pos_i - pos_j)
    raise ValueError(f"unknown InterVecBrgn '{method}'")
