"""One state and one turn of KTAB's Spatial Model of Politics, for a batch of same-sized scenarios.

``state_utilities`` is KTAB's ``SMPState::setAllAUtil`` (risk attitudes from a risk-neutral
election, then every actor's perceived utilities); ``state_probabilities`` is ``showVPHistory`` /
``pDist`` (the "prob" lines of smpc); ``turn`` is ``stepBCN``: every actor picks its best target,
bargains are interpolated, and every actor picks the bargain its PCE favours. Source: KTAB (github
lsyaseen/KTAB, MIT), as specified in ``docs/smp.md``. Positions are on [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from parley.negotiation.smp_challenge import (
    InterVecBrgn,
    ThirdPartyCommit,
    interpolate_bargain,
    prob_edu_challenge,
)
from parley.negotiation.smp_kernels import (
    BigRAdjust,
    BigRRange,
    BoolArray,
    FloatArray,
    PCEModel,
    VictoryProbModel,
    VotingRule,
    big_r,
    estimated_risk,
    salience_distance,
    scalar_pce,
    seq_sum,
    utility,
)

StateTransitions = Literal["Deterministic", "Stochastic"]
BargnModel = Literal["InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"]
IntArray = NDArray[np.int64]
ReceiverWeight = Literal["edu", "probability"]
PWCompWeight = Literal["initiator", "receiver"]

#: Smallest expected utility gain that makes a challenge worth making (KTAB ``bestChallenge``).
MIN_EDU = 1e-5
#: Two positions closer than this (Euclidean, [0, 1] scale) count as one (KTAB ``posTol``).
POS_TOL = 1e-3


@dataclass(frozen=True)
class SMPParams:
    """The nine KTAB model parameters (KTAB's defaults) and parley's named fixes of KTAB bugs.

    ``receiver_weight``: InitRcvrInterp / PWCompInterp weigh the receiver's bargain by J's estimate
    of i's *EDU* in KTAB (smpbcn.cpp:423, ``"edu"``); ``"probability"`` uses J's estimate of the
    probability that i wins. ``pwcomp_weight``: KTAB weighs the receiver's bargain with the
    *initiator's* capability (smpbcn.cpp:430, ``"initiator"``); ``"receiver"`` uses the receiver's.
    ``ktab_checks``: raise where smpc throws (near-identical utility matrices, e.g. BigRAdjust=Full).
    """

    victory_prob_model: VictoryProbModel = "Linear"
    pce_model: PCEModel = "Conditional"
    state_transitions: StateTransitions = "Deterministic"
    voting_rule: VotingRule = "Prop"
    big_r_adjust: BigRAdjust = "OneThird"
    big_r_range: BigRRange = "Mid"
    third_party_commit: ThirdPartyCommit = "SemiCommit"
    inter_vec_brgn: InterVecBrgn = "S2P2"
    bargn_model: BargnModel = "InitOnlyInterp"
    receiver_weight: ReceiverWeight = "edu"
    pwcomp_weight: PWCompWeight = "initiator"
    ktab_checks: bool = True


@dataclass(frozen=True)
class StateUtilities:
    """Per-state quantities: risk attitudes ``risk (b, n)``, perceived utilities ``perceived``
    ``(b, h, i, j)`` (h's estimate of i's utility for j's position) and own utilities ``own``
    ``(b, i, j)``."""

    risk: FloatArray
    perceived: FloatArray
    own: FloatArray


class KTABThrow(ValueError):
    """Raised where KTAB's smpc throws, with KTAB's reason."""


def all_options(b: int, n: int) -> BoolArray:
    """A mask selecting every option once: ``(b, 1, n)``."""
    return np.ones((b, 1, n), dtype=bool)


def state_utilities(
    x: FloatArray, sal: FloatArray, cap: FloatArray, prm: SMPParams
) -> StateUtilities:
    """Risk attitudes and perceived utilities of a state (KTAB ``setAllAUtil``, smp.cpp:435-546).

    Risk attitudes come from a risk-neutral election over all positions with capability weights:
    ``R = bigR(PCE(1 - D))``. Then ``U^h_ij = u(D_ij, Rhat^h_i)``.
    """
    b, n, _ = x.shape
    dist = salience_distance(x, sal, x)
    u0 = 1.0 - dist
    p0 = scalar_pce(
        prm.voting_rule, prm.victory_prob_model, prm.pce_model, cap, u0, all_options(b, n)
    )[:, 0]
    risk = big_r(p0, prm.big_r_range)
    if not np.isfinite(risk).all():
        raise KTABThrow(
            "all positions are equally likely to win, so risk attitudes are undefined "
            "(KTAB bigR divides by zero)"
        )
    rhat = estimated_risk(risk, prm.big_r_adjust)  # (b, h, i)
    perceived = utility(dist[:, None, :, :], rhat[:, :, :, None])
    own = utility(dist, risk[:, :, None])
    if prm.ktab_checks:
        if (np.sqrt(((u0 - own) ** 2).sum(axis=(1, 2))) <= 1e-6).any():
            raise KTABThrow("risk-neutral and risk-adjusted utilities coincide (smp.cpp:492)")
        gap = np.sqrt(((perceived - own[:, None]) ** 2).sum(axis=(2, 3)))
        if (gap <= 1e-6).any():
            raise KTABThrow(
                "an actor's perceived utilities equal the actual ones (smp.cpp:541); "
                "BigRAdjust=Full always does this; pass ktab_checks=False to run anyway"
            )
    return StateUtilities(risk=risk, perceived=perceived, own=own)


def close_pairs(x: FloatArray) -> BoolArray:
    """``close[b, i, j]``: positions i and j are within ``POS_TOL`` (Euclidean, KTAB ``posTol``)."""
    diff = x[:, :, None, :] - x[:, None, :, :]
    out: BoolArray = np.sqrt(seq_sum(diff * diff, -1)) < POS_TOL
    return out


def unique_representatives(
    x: FloatArray, close: BoolArray | None = None
) -> tuple[IntArray, BoolArray]:
    """Greedy equivalence classes of positions (KTAB ``ueIndices``): ``rep[b, j]`` is the index of
    the first representative within ``POS_TOL`` of j, ``is_rep[b, j]`` marks representatives."""
    b, n, _ = x.shape
    if close is None:
        close = close_pairs(x)
    rep = np.zeros((b, n), dtype=np.int64)
    is_rep = np.zeros((b, n), dtype=bool)
    is_rep[:, 0] = True
    for j in range(1, n):
        cand = is_rep[:, :j] & close[:, :j, j]
        found = cand.any(axis=-1)
        rep[:, j] = np.where(found, cand.argmax(axis=-1), j)
        is_rep[:, j] = ~found
    return rep, is_rep


def state_probabilities(
    x: FloatArray, cap: FloatArray, st: StateUtilities, prm: SMPParams
) -> tuple[FloatArray, FloatArray]:
    """Each actor's position's probability of prevailing (smpc's "prob" lines, ``pDist``) and the
    probability of every unique position ``(b, n)`` (zero for non-representatives)."""
    close = close_pairs(x)
    _, is_rep = unique_representatives(x, close)
    p = scalar_pce(
        prm.voting_rule, prm.victory_prob_model, prm.pce_model, cap, st.own, is_rep[:, None, :]
    )[:, 0]
    # smpc prints, for each actor, the probability of the LAST representative within POS_TOL
    # (later classes overwrite earlier ones), which can differ from the greedy class.
    near = close & is_rep[:, None, :]
    n = x.shape[1]
    last = n - 1 - near[:, :, ::-1].argmax(axis=-1)
    actor_p = np.take_along_axis(p, last, axis=1)
    return actor_p, p


def _bargains(
    x: FloatArray, sal: FloatArray, cap: FloatArray, st: StateUtilities, prm: SMPParams
) -> tuple[FloatArray, FloatArray, IntArray, IntArray, BoolArray]:
    """Every actor's best challenge and the resulting bargains (KTAB ``doBCN``).

    Returns ``(pos_init (b, g, d), pos_rcvr (b, g, d), init (b, g), rcvr (b, g), valid (b, g))``.
    """
    b, n, _ = x.shape
    tot = seq_sum(sal, -1)
    w = tot * cap
    prob, edu = prob_edu_challenge(st.perceived, w, tot, prm.voting_rule, prm.third_party_commit)
    ar = np.arange(n)
    edu = np.where(ar[:, None] == ar[None, :], -np.inf, edu)
    target = edu.argmax(axis=-1)  # first maximum, in ascending j
    valid = np.take_along_axis(edu, target[..., None], axis=-1)[..., 0] > MIN_EDU
    bi = np.arange(b)[:, None]
    p_i = np.take_along_axis(prob, target[..., None], axis=-1)[..., 0]
    sal_j = sal[bi, target]
    x_j = x[bi, target]
    init = np.broadcast_to(ar, (b, n))
    b_i, b_j = interpolate_bargain(prm.inter_vec_brgn, p_i, sal, sal_j, x, x_j)
    if prm.bargn_model == "InitOnlyInterp":
        return b_i, b_j, init, target, valid
    # J's view of the challenge i -> j: row i evaluated with U^j.
    p2, edu2 = prob_edu_challenge(
        st.perceived[bi, target], w, tot, prm.voting_rule, prm.third_party_commit
    )
    src = edu2 if prm.receiver_weight == "edu" else p2
    p_rcv = np.take_along_axis(src, target[..., None], axis=-1)[..., 0]
    c_i, c_j = interpolate_bargain(prm.inter_vec_brgn, p_rcv, sal, sal_j, x, x_j)
    if prm.bargn_model == "InitRcvrInterp":
        stack = np.stack
        return (
            stack([b_i, c_i], axis=2).reshape(b, 2 * n, -1),
            stack([b_j, c_j], axis=2).reshape(b, 2 * n, -1),
            np.repeat(init, 2, axis=1),
            np.repeat(target, 2, axis=1),
            np.repeat(valid, 2, axis=1),
        )
    if prm.bargn_model == "PWCompInterp":
        w_i = (cap * tot)[..., None]
        cap_j = cap if prm.pwcomp_weight == "initiator" else cap[bi, target]
        w_j = (cap_j * tot[bi, target])[..., None]
        return (
            (w_i * b_i + w_j * c_i) / (w_i + w_j),
            (w_i * b_j + w_j * c_j) / (w_i + w_j),
            init,
            target,
            valid,
        )
    raise ValueError(f"unknown BargnModel '{prm.bargn_model}'")


def turn(
    x: FloatArray,
    sal: FloatArray,
    cap: FloatArray,
    st: StateUtilities,
    prm: SMPParams,
    rng: np.random.Generator | None,
) -> FloatArray:
    """Advance every scenario in the batch by one turn (KTAB ``stepBCN``); returns new positions.

    Each actor k weighs its own status quo against every bargain it is party to: actor a values a
    bargain by its mean utility over all positions with the two principals moved
    (``updateBestBrgnPositions``), a capability-weighted PCE ranks the bargains, and k takes the
    most likely one (or draws one, Stochastic).
    """
    b, n, d = x.shape
    pos_i, pos_j, init, rcvr, valid = _bargains(x, sal, cap, st, prm)
    g = pos_i.shape[1]
    risk = st.risk[:, :, None]
    u_init = utility(salience_distance(x, sal, pos_i), risk)  # (b, a, g)
    u_rcvr = utility(salience_distance(x, sal, pos_j), risk)
    # terms[q, b, a, g]: a's utility for q's position once bargain g moved its two principals
    terms = np.empty((n, b, n, g))
    terms[...] = np.transpose(st.own, (2, 0, 1))[..., None]
    bi = np.arange(b)[:, None]
    gi = np.arange(g)[None, :]
    terms[init, bi, :, gi] = np.swapaxes(u_init, 1, 2)
    terms[rcvr, bi, :, gi] = np.swapaxes(u_rcvr, 1, 2)
    v_brg = seq_sum(terms, 0) / n
    v_sq = seq_sum(st.own, -1) / n
    value = np.concatenate([v_sq[..., None], v_brg], axis=-1)  # (b, a, 1 + g)
    k = np.arange(n)[None, :, None]
    party = valid[:, None, :] & ((init[:, None, :] == k) | (rcvr[:, None, :] == k))
    mask = np.concatenate([np.ones((b, n, 1), dtype=bool), party], axis=-1)  # (b, k, 1 + g)
    p = scalar_pce(prm.voting_rule, prm.victory_prob_model, prm.pce_model, cap, value, mask)
    if prm.state_transitions == "Deterministic":
        choice = p.argmax(axis=-1)
    else:
        if rng is None:
            raise ValueError("Stochastic state transitions need a numpy.random.Generator (rng=)")
        draw = rng.random((b, n))
        choice = (np.cumsum(p, axis=-1) < draw[..., None]).sum(axis=-1)
        choice = np.minimum(choice, g)
    brg = np.maximum(choice - 1, 0)
    is_init = init[bi, brg] == np.arange(n)
    new_pos = np.where(is_init[..., None], pos_i[bi, brg], pos_j[bi, brg])
    out: FloatArray = np.where((choice == 0)[..., None], x, new_pos)
    return out
