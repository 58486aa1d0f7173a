"""Array kernels of Stokman's exchange model: the outcome, equal-gain exchanges, caps, validity.

The model is the one of Stokman & Van Oosten (1994) and Stokman & Thomson (2015) as computed by the
Decide reference implementation (foarsitter/decide-exchange-model); the section numbers (§) refer to
parley's specification of it (``docs/exchange.md``). Every kernel works on arrays over a set of
candidate exchanges ``E``, each with two sides: side 0 is ``I`` (demands issue p, supplies q) and side 1
is ``J`` (supplies p, demands q). Positions are on the normalised 0–100 scale.

The candidate set itself (:class:`~parley.negotiation.exchange_candidates.Candidates` and its
construction, §3) is in :mod:`parley.negotiation.exchange_candidates`; its names are importable
from here too.
"""

from __future__ import annotations

import numpy as np

from parley.negotiation.exchange_candidates import SIDE_TOL as SIDE_TOL
from parley.negotiation.exchange_candidates import BoolArray as BoolArray
from parley.negotiation.exchange_candidates import Candidates as Candidates
from parley.negotiation.exchange_candidates import FloatArray as FloatArray
from parley.negotiation.exchange_candidates import IntArray as IntArray
from parley.negotiation.exchange_candidates import PairFinder as PairFinder
from parley.negotiation.exchange_candidates import build_candidates as build_candidates
from parley.negotiation.exchange_candidates import candidate_pairs as candidate_pairs
from parley.negotiation.exchange_candidates import concat_candidates as concat_candidates
from parley.negotiation.exchange_candidates import slice_candidates as slice_candidates

#: Tolerances that stand in for the reference's exact (28-digit Decimal) comparisons (§13).
MOVE_TOL = 1e-10
GAIN_TOL = 1e-10
BOUNDARY_TOL = 1e-9
BOUND_TOL = 1e-9
#: Gains closer than this count as a tie (X1).
TIE_TOL = 1e-12

#: Preference update weights of §7.2: x_new = x0 + (W_FIXED + W_SALIENCE (1 - s)) (y - x0).
W_FIXED = 0.1
W_SALIENCE = 0.4


def nbs_outcome(position: FloatArray, weight: FloatArray) -> FloatArray:
    """Decide's "Nash bargaining solution": the power×salience weighted mean per issue (§2).

    ``position`` and ``weight`` are ``(..., actors, issues)`` with NaN positions (and any weight)
    for absent actors; returns ``(..., issues)``, NaN where an issue has no weight.
    """
    present = ~np.isnan(position)
    w = np.where(present, weight, 0.0)
    total = w.sum(axis=-2)
    num = np.where(present, w * np.nan_to_num(position), 0.0).sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(total > 0, num / np.where(total > 0, total, 1.0), np.nan)
    return out


def _side_valid(c: Candidates, idx: IntArray, move: FloatArray) -> BoolArray:
    """Validity of signed moves ``(k, 2)`` given each side's history (§4.7)."""
    size = np.abs(move)
    end = c.x[idx] + move
    with np.errstate(invalid="ignore"):
        ok = (size > MOVE_TOL) & (size <= 100.0)
        ok &= (end >= -BOUND_TOL) & (end <= 100.0 + BOUND_TOL)
        ok &= c.base_sum[idx] + move <= 100.0 + BOUND_TOL
        ok &= ((move > 0) & (c.base_min[idx] > 0)) | ((move < 0) & (c.base_max[idx] < 0))
    result: BoolArray = ok
    return result


def _equal_gain_from_shift(
    c: Candidates, idx: IntArray, side: int, shift: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Given the outcome shift caused by ``side`` on its supply issue, the partner's shift (§4.2).

    Returns (shift on the side's supply issue, partner's shift on the side's demand issue).
    """
    other = 1 - side
    # δ_other = δ_k (σ_A,k + σ_B,k) / (σ_A,other + σ_B,other)
    ratio = (c.sal_sup[idx, side] + c.sal_dem[idx, other]) / (
        c.sal_dem[idx, side] + c.sal_sup[idx, other]
    )
    return shift, shift * ratio


def _gain(c: Candidates, idx: IntArray, d_p: FloatArray, d_q: FloatArray) -> FloatArray:
    # I gains σ_Ip δ_p (its demand issue p) and loses σ_Iq δ_q (§4.6).
    g: FloatArray = np.abs(c.sal_sup[idx, 0] * d_q - c.sal_dem[idx, 0] * d_p)
    return g


def seen_outcomes(
    c: Candidates,
    idx: IntArray,
    side: int,
    outcome: FloatArray,
    x_round: FloatArray,
    kappa: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """O⁰, O¹ and O_upd of §5 for the supplier on ``side``: the supply issue's outcome as the
    exchange sees it (round start + its recorded updates), with the supplier at x, at y, and at x
    with the updates applied after it. ``x_round`` are the round-start positions with absent
    actors set to 0 (no NaN)."""
    k = c.supply[idx, side]
    a = c.actor[idx, side]
    upd = c.upd[idx, side, :]
    start = x_round[:, k].T  # (k, actors); absent actors have no update and kappa 0
    kap = kappa[:, k].T
    has = ~np.isnan(upd)
    delta = np.where(has, kap * (np.where(has, upd, 0.0) - start), 0.0)
    rows = np.arange(idx.size)
    # Summed actor by actor in input order, the order of the compiled kernel
    # (:mod:`parley.negotiation.exchange_numba`), so that both give the same bits.
    others = np.zeros(idx.size)
    for b in range(delta.shape[1]):
        others += delta[:, b]
    others -= delta[rows, a]
    base = outcome[k] + others
    ka = kappa[a, k]
    x_a0 = x_round[a, k]
    o0 = base + ka * (c.x[idx, side] - x_a0)
    o1 = base + ka * (c.y[idx, side] - x_a0)
    own_upd = upd[rows, a]
    o_upd = base + ka * (np.where(np.isnan(own_upd), c.x[idx, side], own_upd) - x_a0)
    return o0, o1, o_upd


def compute_equal_gain(
    c: Candidates,
    idx: IntArray,
    outcome: FloatArray,
    x_round: FloatArray,
    kappa: FloatArray,
    boundary: str,
) -> None:
    """(Re)compute the equal-gain exchanges ``idx`` in place (§4 and §5).

    Sets each side's signed move, voting position, the equal gain and validity. ``boundary`` is
    ``"nocap"`` or ``"void"`` (ambiguity X2: the supply issue's outcome already on the partner's
    position).
    """
    if idx.size == 0:
        return
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.abs(c.target[idx] - c.x[idx])
        direction = np.sign(c.target[idx] - c.x[idx])
        kap_i, kap_j = c.kap_sup[idx, 0], c.kap_sup[idx, 1]
        # 1-3: J moves all the way; I's move follows from equal gain.
        d_p, d_q = _equal_gain_from_shift(c, idx, 1, kap_j * dist[:, 1])
        m_i, m_j = d_q / kap_i, dist[:, 1].copy()
        # 4: I would overshoot J's position: I moves all the way instead.
        over = m_i > dist[:, 0]
        if over.any():
            dq2, dp2 = _equal_gain_from_shift(c, idx[over], 0, kap_i[over] * dist[over, 0])
            d_q[over], d_p[over] = dq2, dp2
            m_i[over] = dist[over, 0]
            m_j[over] = dp2 / kap_j[over]
        move = np.stack([m_i, m_j], axis=1) * direction
        c.move[idx] = move
        c.y[idx] = c.x[idx] + move
        gain = _gain(c, idx, d_p, d_q)
        valid = _side_valid(c, idx, move).all(axis=1) & (gain >= GAIN_TOL)
        # 8: outcome-crossing cap, first for I (supplies q) then for J (supplies p).
        for side in (0, 1):
            loc = np.nonzero(valid)[0]
            sub = idx[loc]
            if sub.size == 0:
                break
            o0, o1, o_upd = seen_outcomes(c, sub, side, outcome, x_round, kappa)
            t = c.target[sub, side]
            near = np.abs(t - o0) <= BOUNDARY_TOL
            # A move that lands the outcome exactly on t (within the tolerance) is no crossing:
            # the weak-sign test of exact arithmetic, whatever the rounding of O1.
            cross = ((t - o0) * (t - o1) < 0) & ~near & (np.abs(t - o1) > BOUNDARY_TOL)
            if boundary == "void":
                cross |= near
            if not cross.any():
                continue
            pos = loc[cross]
            cap = idx[pos]
            kap_a = c.kap_sup[cap, side]
            m_a = np.abs(t[cross] - o_upd[cross]) / kap_a
            d_k, d_o = _equal_gain_from_shift(c, cap, side, kap_a * m_a)
            m_b = d_o / c.kap_sup[cap, 1 - side]
            sizes = np.empty((cap.size, 2))
            sizes[:, side], sizes[:, 1 - side] = m_a, m_b
            new_move = sizes * np.sign(c.target[cap] - c.x[cap])
            c.move[cap] = new_move
            c.y[cap] = c.x[cap] + new_move
            dp_c, dq_c = (d_o, d_k) if side == 0 else (d_k, d_o)
            gain[pos] = _gain(c, cap, dp_c, dq_c)
            valid[pos] = _side_valid(c, cap, new_move).all(axis=1) & (gain[pos] >= GAIN_TOL)
    gain = np.where(np.isfinite(gain), gain, 0.0)
    c.gain[idx] = gain
    c.gain_side[idx] = gain[:, None]
    c.valid[idx] = valid & np.isfinite(c.move[idx]).all(axis=1)


def maximum_utility(sal_sup: FloatArray, sal_dem: FloatArray, full_shift: FloatArray) -> FloatArray:
    """Each side's maximum utility in the randomised equal-gain model (§9.1, reference
    ``calculate_maximum_utility``).

    Arguments are ``(k, 2)`` per side (0 = I, 1 = J): saliences on the supply and demand issue and
    the outcome shift Δ if that side moved fully to its target. Returns ``(k, 2)``.
    """
    d_i, d_j = full_shift[:, 0], full_shift[:, 1]
    g1 = sal_dem[:, 1] * d_i  # J gains when I moves fully
    l1 = sal_sup[:, 1] * d_j  # J loses when it moves fully
    g2 = sal_dem[:, 0] * d_j  # I gains when J moves fully
    l2 = sal_sup[:, 0] * d_i  # I loses when it moves fully
    j_acts = g2 > g1
    acting = np.where(j_acts, 1, 0)
    g = np.where(j_acts, g1, g2)
    loss = np.where(j_acts, l2, l1)
    rows = np.arange(acting.size)
    s_act_sup = sal_sup[rows, acting]
    s_oth_dem = sal_dem[rows, 1 - acting]
    m_acting = g - loss * s_act_sup / s_oth_dem
    m_other = g * s_oth_dem / s_act_sup - loss
    out = np.empty((acting.size, 2))
    out[rows, acting] = m_acting
    out[rows, 1 - acting] = m_other
    return out


def randomise_gain(c: Candidates, idx: IntArray, p: float, rng: np.random.Generator) -> None:
    """Randomised equal gain ("REX", §9.1), main path, applied in place to valid exchanges ``idx``.

    For each exchange draws u, v, z ~ U(0, 1): side A = I if u < 0.5 else J gets gain
    G + p z (M_A − G) if v < 0.5 else G − p z G; A moves fully to its target and the partner's shift
    follows from A's gain (or, if the partner would overshoot, the partner moves fully and A's shift
    is re-solved). The partner's gain is what results. No outcome-crossing cap is applied here.
    """
    idx = idx[c.valid[idx]]
    if idx.size == 0:
        return
    draws = rng.random((idx.size, 3))
    u, v, z = draws[:, 0], draws[:, 1], draws[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.abs(c.target[idx] - c.x[idx])
        full = c.kap_sup[idx] * dist
        best = maximum_utility(c.sal_sup[idx], c.sal_dem[idx], full)
        rows = np.arange(idx.size)
        a = np.where(u < 0.5, 0, 1)
        b = 1 - a
        g = c.gain[idx]
        g_a = np.where(v < 0.5, g + p * z * (best[rows, a] - g), g - p * z * g)
        s_a_sup, s_a_dem = c.sal_sup[idx, a], c.sal_dem[idx, a]
        r_a = full[rows, a]
        r_b = (g_a + s_a_sup * r_a) / s_a_dem
        kap_b = c.kap_sup[idx, b]
        m_b = r_b / kap_b
        over = m_b > dist[rows, b]
        r_b = np.where(over, full[rows, b], r_b)
        m_b = np.where(over, dist[rows, b], m_b)
        r_a = np.where(over, (s_a_dem * r_b - g_a) / s_a_sup, r_a)
        m_a = r_a / c.kap_sup[idx, a]
        sizes = np.empty((idx.size, 2))
        sizes[rows, a], sizes[rows, b] = m_a, m_b
        move = sizes * np.sign(c.target[idx] - c.x[idx])
        gains = np.empty((idx.size, 2))
        gains[rows, a] = g_a
        gains[rows, b] = c.sal_dem[idx, b] * r_a - c.sal_sup[idx, b] * r_b
    c.move[idx] = move
    c.y[idx] = c.x[idx] + move
    c.gain_side[idx] = gains
    c.valid[idx] = _side_valid(c, idx, move).all(axis=1) & np.isfinite(move).all(axis=1)
