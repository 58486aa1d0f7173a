"""The candidate exchanges of one round of Stokman's exchange model (§3).

The model is the one of Stokman & Van Oosten (1994) and Stokman & Thomson (2015) as computed by the
Decide reference implementation (foarsitter/decide-exchange-model); the section numbers (§) refer to
parley's specification of it (``docs/exchange.md``). :class:`Candidates` holds the arrays over a set
of candidate exchanges ``E``, each with two sides: side 0 is ``I`` (demands issue p, supplies q) and
side 1 is ``J`` (supplies p, demands q); :func:`build_candidates` lists them in the reference's loop
order. Positions are on the normalised 0–100 scale. The kernels that compute each exchange (equal
gain, caps, validity) are in :mod:`parley.negotiation.exchange_kernels`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

#: Tolerance of the side-of-the-outcome test, standing in for the reference's exact (28-digit
#: Decimal) comparison (§13; X6).
SIDE_TOL = 1e-9


@dataclass
class Candidates:
    """Candidate exchanges of one round (mutable working state of the selection loop).

    Arrays ``(E, 2)`` are per side (0 = I, 1 = J); ``upd`` is ``(E, 2, actors)``: positions of other
    actors on side s's supply issue recorded by the demand-side bookkeeping (§6.3), NaN if none.
    """

    actor: IntArray
    supply: IntArray
    demand: IntArray
    x: FloatArray
    x0: FloatArray
    target: FloatArray
    sal_sup: FloatArray
    sal_dem: FloatArray
    kap_sup: FloatArray
    kap_dem_partner: FloatArray
    move: FloatArray
    y: FloatArray
    base_sum: FloatArray
    base_min: FloatArray
    base_max: FloatArray
    gain: FloatArray
    gain_side: FloatArray
    valid: BoolArray
    upd: FloatArray

    @property
    def size(self) -> int:
        """Number of candidate exchanges."""
        return int(self.actor.shape[0])


def concat_candidates(parts: list[Candidates]) -> Candidates:
    """Stack the candidate sets of several negotiations (new arrays)."""
    names = [f.name for f in dataclasses.fields(Candidates)]
    return Candidates(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in names})


def slice_candidates(c: Candidates, lo: int, hi: int) -> Candidates:
    """The exchanges ``lo:hi`` of a candidate set (copies)."""
    names = [f.name for f in dataclasses.fields(Candidates)]
    return Candidates(**{k: getattr(c, k)[lo:hi].copy() for k in names})


PairFinder = Callable[
    [BoolArray, BoolArray, BoolArray, BoolArray], tuple[IntArray, IntArray, IntArray, IntArray]
]


def candidate_pairs(
    present: BoolArray, left: BoolArray, right: BoolArray, w_ok: BoolArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Actor pairs and issue pairs ``(a, b, p, q)`` of every candidate exchange, in loop order (§3):
    issue pairs p < q, then group A×D (right of the outcome on both issues × left on both), then
    B×C, actors in input order. ``present``, ``left``, ``right`` are ``(actors, issues)``."""
    n, m = present.shape
    idx = np.arange(n)
    ai: list[IntArray] = []
    bi: list[IntArray] = []
    pi: list[IntArray] = []
    qi: list[IntArray] = []
    for p in range(m - 1):
        if not w_ok[p]:
            continue
        for q in range(p + 1, m):
            if not w_ok[q]:
                continue
            both = present[:, p] & present[:, q]
            groups = (
                (idx[both & right[:, p] & right[:, q]], idx[both & left[:, p] & left[:, q]]),
                (idx[both & left[:, p] & right[:, q]], idx[both & right[:, p] & left[:, q]]),
            )
            for g1, g2 in groups:
                if g1.size == 0 or g2.size == 0:
                    continue
                ai.append(np.repeat(g1, g2.size))
                bi.append(np.tile(g2, g1.size))
                pi.append(np.full(g1.size * g2.size, p))
                qi.append(np.full(g1.size * g2.size, q))
    if not ai:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty, empty
    return np.concatenate(ai), np.concatenate(bi), np.concatenate(pi), np.concatenate(qi)


def build_candidates(
    x: FloatArray, salience: FloatArray, kappa: FloatArray, pairs: PairFinder = candidate_pairs
) -> Candidates:
    """All candidate exchanges of a round, in the reference's loop order (§3).

    ``x``, ``salience`` and ``kappa`` (leverage w/W) are ``(actors, issues)``; NaN positions mark
    absent actors. For every issue pair p < q, actors on opposite sides of the outcome on both issues
    are paired (groups A×D, then B×C; found by ``pairs``, :func:`candidate_pairs` or its compiled
    twin); the actor with the larger salience ratio s_p/s_q is I.
    """
    n = x.shape[0]
    present = ~np.isnan(x) & (kappa > 0)
    w_ok: BoolArray = np.asarray(present.any(axis=0))
    outcome = np.nansum(kappa * np.nan_to_num(x), axis=0)
    # x <= O counts as left (X6); the tolerance stands in for the reference's exact arithmetic,
    # in which an actor exactly at the outcome is left of it whatever the summation order.
    left = np.nan_to_num(x, nan=np.inf) <= outcome[None, :] + SIDE_TOL
    left &= present
    right = present & ~left
    a_all, b_all, p_all, q_all = pairs(present, left, right, w_ok)
    # Role rule as coded (§3): if s_ap/s_aq < s_bp/s_bq then I = b, else I = a.
    b_is_i = (
        salience[a_all, p_all] * salience[b_all, q_all]
        < salience[b_all, p_all] * (salience[a_all, q_all])
    )
    act_i = np.where(b_is_i, b_all, a_all)
    act_j = np.where(b_is_i, a_all, b_all)
    actor = np.stack([act_i, act_j], axis=1).astype(np.intp)
    supply = np.stack([q_all, p_all], axis=1).astype(np.intp)
    demand = supply[:, ::-1].copy()
    partner = actor[:, ::-1]
    x_sup = x[actor, supply]
    e = a_all.size
    return Candidates(
        actor=actor,
        supply=supply,
        demand=demand,
        x=x_sup.copy(),
        x0=x_sup.copy(),
        target=x[partner, supply],
        sal_sup=salience[actor, supply],
        sal_dem=salience[actor, demand],
        kap_sup=kappa[actor, supply],
        kap_dem_partner=kappa[partner, demand],
        move=np.zeros((e, 2)),
        y=x_sup.copy(),
        base_sum=np.zeros((e, 2)),
        base_min=np.full((e, 2), np.inf),
        base_max=np.full((e, 2), -np.inf),
        gain=np.zeros(e),
        gain_side=np.zeros((e, 2)),
        valid=np.zeros(e, dtype=bool),
        upd=np.full((e, 2, n), np.nan),
    )
