"""The bargaining range, settlement and its terms.

- Fearon (1995), "Rationalist explanations for war", International Organization 49(3): with a pie
  of size 1, A's share x, p = P(A wins) and costs c_A, c_B, both sides prefer every
  ``x ∈ [p − c_A, p + c_B]`` to war. With B's cost private and uniform on ``[0, c̄]`` and A making
  a take-it-or-leave-it demand, A's optimal demand is ``p + (c̄ − c_A)/2`` and
  ``P(war) = (c̄ − c_A)/(2c̄)`` when ``c_A < c̄``. :func:`screening_demand` finds the demand
  numerically (grid search on A's expected utility), so the closed form is a test, not an input.
- Powell (2006), "War as a commitment problem", International Organization 60(1): a declining A
  fights at t iff ``δ·p_{t+1} − p_t > c_A + δ·c_B`` (p = the rising side's win probability).
- Smith & Stam (2004): a settlement exists iff ``W_A + W_B ≤ 1``; terms split the surplus,
  ``x = W_A + λ(1 − W_A − W_B)``.
- Guarantees (Fortna 2003, "Scraps of paper?", IO 57(2)): a guarantee g with credibility q adds
  ``q·g`` to the protected side's end of the range: ``[W_A − q_B·g_B, 1 − W_B + q_A·g_A]``.
- Leader punishment (Goemans 2000, *War and Punishment*; Croco 2011): a leader punished by π for
  terms below its reference point accepts them only if they beat the war value by π.

Multi-issue terms (:func:`issue_terms`): the stakeholder model ``terms_model`` of
:mod:`parley.negotiation` (default: the compromise model, Achen 2006) is run over all actors of the
scenario, with the two belligerents' capabilities re-weighted by their settlement shares x and
1 − x, so the disagreement point — each side's war value — fixes each side's leverage.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parley.negotiation.registry import run_model
from parley.scenario.arrays import StakeholderBatch

FloatArray = NDArray[np.float64]


def fearon_range(
    p: ArrayLike, c_A: ArrayLike, c_B: ArrayLike, g_A: ArrayLike = 0.0, g_B: ArrayLike = 0.0
) -> tuple[FloatArray, FloatArray]:
    """Fearon's bargaining range for A's share, widened by guarantees: ``[p−c_A−g_A, p+c_B+g_B]``."""
    pa = np.asarray(p, dtype=float)
    lo = pa - np.asarray(c_A, dtype=float) - np.asarray(g_A, dtype=float)
    hi = pa + np.asarray(c_B, dtype=float) + np.asarray(g_B, dtype=float)
    return lo, hi


def screening_demand(
    p: ArrayLike, c_A: ArrayLike, c_bar: ArrayLike, grid: int = 4001
) -> FloatArray:
    """A's take-it-or-leave-it demand maximising its expected utility when B's cost ~ U[0, c̄].

    B accepts x iff ``1 − x ≥ 1 − p − c_B``, i.e. with probability ``clip(1 − (x−p)/c̄, 0, 1)``; A
    gets x on acceptance and ``p − c_A`` on war. Solved by a grid search over ``[p, p + c̄]``
    (Fearon 1995 gives the closed form ``p + (c̄ − c_A)/2`` for the interior case).
    """
    pa = np.asarray(p, dtype=float)[..., None]
    ca = np.asarray(c_A, dtype=float)[..., None]
    cb = np.asarray(c_bar, dtype=float)[..., None]
    x = pa + cb * np.linspace(0.0, 1.0, grid)
    accept = np.clip(1.0 - (x - pa) / cb, 0.0, 1.0)
    utility = accept * x + (1.0 - accept) * (pa - ca)
    best = np.argmax(utility, axis=-1)
    return np.asarray(np.take_along_axis(x, best[..., None], axis=-1)[..., 0])


def powell_war_rational(
    p_now: ArrayLike, p_next: ArrayLike, c_A: ArrayLike, c_B: ArrayLike, delta: ArrayLike
) -> NDArray[np.bool_]:
    """Powell (2006): a declining A fights now iff ``δ·p_{t+1} − p_t > c_A + δ·c_B``.

    ``p`` is the rising side B's probability of winning; costs are per period.
    """
    d = np.asarray(delta, dtype=float)
    lhs = d * np.asarray(p_next, dtype=float) - np.asarray(p_now, dtype=float)
    return np.asarray(lhs > np.asarray(c_A, dtype=float) + d * np.asarray(c_B, dtype=float))


def minimum_share(
    war_value: ArrayLike, reference: ArrayLike = 0.0, punishment: ArrayLike = 0.0
) -> FloatArray:
    """The least own share a leader accepts: its war value, or more if punished below reference.

    A leader accepts share y iff ``y ≥ W`` and (``y ≥ ref`` or ``y − π ≥ W``) (Goemans 2000).
    """
    w = np.asarray(war_value, dtype=float)
    ref = np.asarray(reference, dtype=float)
    pun = np.asarray(punishment, dtype=float)
    return np.asarray(np.where(w >= ref, w, np.minimum(ref, w + pun)))


def settlement_bounds(
    min_share: FloatArray, guarantee: ArrayLike, credibility: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Range ``[lo, hi]`` of A's share acceptable to both; ``min_share`` is ``(..., 2)``.

    A guarantee protecting side i (extra cost ``g_i`` to the other of renewing war, honoured with
    probability ``q_i``) lets the other side accept ``q_i·g_i`` less (Fortna 2003; war-model §3/§7).
    """
    qg = np.asarray(guarantee, dtype=float) * np.asarray(credibility, dtype=float)
    qg = np.broadcast_to(qg, np.broadcast_shapes(qg.shape, (2,)))
    lo = min_share[..., 0] - qg[..., 1]
    hi = 1.0 - min_share[..., 1] + qg[..., 0]
    return lo, hi


def split_terms(lo: ArrayLike, hi: ArrayLike, power_A: ArrayLike) -> FloatArray:
    """Smith & Stam's split ``x = lo + λ·(hi − lo)`` of the surplus, clipped to [0, 1]."""
    lo_a = np.asarray(lo, dtype=float)
    x = lo_a + np.asarray(power_A, dtype=float) * (np.asarray(hi, dtype=float) - lo_a)
    return np.asarray(np.clip(x, 0.0, 1.0))


def issue_terms(
    share_A: FloatArray,
    position: FloatArray,
    salience: FloatArray,
    capability: FloatArray,
    scale_min: FloatArray,
    scale_max: FloatArray,
    index_A: int,
    index_B: int,
    model: str = "compromise",
) -> FloatArray:
    """``(runs, issues)`` settlement terms on each issue's own scale for A's shares ``(runs,)``.

    ``model = "share"`` puts each issue at ``pos_B + x·(pos_A − pos_B)``; any other value names a
    stakeholder model of :mod:`parley.negotiation` run over all actors with the belligerents'
    capabilities set to ``x·C`` and ``(1−x)·C``, ``C`` their joint capability.
    """
    x = np.asarray(share_A, dtype=float)
    n = x.shape[0]
    if n == 0:
        return np.zeros((0, position.shape[1]))
    if model == "share":
        pa, pb = position[index_A], position[index_B]
        return np.asarray(pb + x[:, None] * (pa - pb))
    total = capability[index_A] + capability[index_B]
    cap = np.broadcast_to(capability, (n, capability.shape[0])).copy()
    cap[:, index_A] = x * total
    cap[:, index_B] = (1.0 - x) * total
    n_i = position.shape[1]
    batch = StakeholderBatch(
        position=np.broadcast_to(position, (n, *position.shape)),
        salience=np.broadcast_to(salience, (n, *salience.shape)),
        capability=cap,
        scale_min=np.broadcast_to(scale_min, (n, n_i)),
        scale_max=np.broadcast_to(scale_max, (n, n_i)),
        reference=np.full((n, n_i), np.nan),
        outcome=np.full((n, n_i), np.nan),
        scenario_ids=("war",) * n,
        actor_ids=(),
        issue_ids=(),
    )
    return np.asarray(run_model(model, batch).outcome, dtype=float)


def renege_minimum(
    min_share: ArrayLike, renege_probability: ArrayLike, penalty: ArrayLike
) -> FloatArray:
    """The least share a side accepts when it fears the adversary will break the deal.

    A side values a deal giving it share y at ``(1 − r)·y + r·(W − d)``: with probability r the
    adversary reneges within the horizon and the side is back at war, worse off by the position
    d it gave up (the "Budapest" and "Minsk" readings; Reiter 2009, *How Wars End*, ch. 2: fear
    that the enemy will not keep a deal is a reason to fight on). The deal beats war iff
    ``y ≥ W + r·d/(1 − r)``.
    """
    r = np.asarray(renege_probability, dtype=float)
    return np.asarray(
        np.asarray(min_share, dtype=float) + r * np.asarray(penalty, dtype=float) / (1.0 - r)
    )


def answered_demand(
    min_share: ArrayLike, concession: ArrayLike, response: ArrayLike, cap: ArrayLike
) -> FloatArray:
    """The opponent's least acceptable share after the initiator pre-concedes ``concession``.

    A pre-concession moves the opponent's reference point: its demand rises in proportion,
    ``m' = m + k·c``, but never beyond ``cap`` (and never below ``m``). Linear form: an assumption,
    after the anchoring of first offers (Galinsky & Mussweiler 2001, JPSP 81(4)) and the
    reference-dependent demands of prospect theory (Kahneman & Tversky 1979); k = 0 reproduces
    a neutral start.
    """
    m = np.asarray(min_share, dtype=float)
    raised = m + np.asarray(response, dtype=float) * np.asarray(concession, dtype=float)
    return np.asarray(np.maximum(m, np.minimum(raised, np.asarray(cap, dtype=float))))
