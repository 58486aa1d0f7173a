"""Options of Stokman's exchange model and the steps of its selection loop on the NumPy path.

The NumPy path is the reference implementation of the selection loop (spec §6, summarised in
``docs/exchange.md``): :func:`pick` applies the exact tie rule (X1), :func:`recalculate` the
supply- and demand-side bookkeeping of the exchanges a realised one affects (§6.2–6.3) followed by
one recomputation of each (:func:`compute`, §4–5 and the REX variant of §9.1). The compiled loop
(:mod:`parley.negotiation.exchange_numba`) mirrors these steps; the round driver is
:func:`parley.negotiation.exchange.run_round_batch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from parley.negotiation.exchange_candidates import BoolArray, Candidates, FloatArray, IntArray
from parley.negotiation.exchange_kernels import TIE_TOL, compute_equal_gain, randomise_gain

VARIANTS = ("equal_gain", "randomised_equal_gain")
ENGINES = ("numba", "numpy")
BOUNDARY_RULES = ("nocap", "void")
TIE_RULES = ("random", "first")


@dataclass(frozen=True)
class ExchangeOptions:
    """Named options of the exchange model (see the module docstring)."""

    variant: str = "equal_gain"
    boundary: str = "nocap"
    tie_rule: str = "random"
    rex_p: float = 0.5
    duplicates: bool = True
    engine: str = "numba"

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("variant", self.variant, VARIANTS),
            ("engine", self.engine, ENGINES),
            ("boundary", self.boundary, BOUNDARY_RULES),
            ("tie_rule", self.tie_rule, TIE_RULES),
        ):
            if value not in allowed:
                raise ValueError(f"unknown {name} '{value}', expected one of {', '.join(allowed)}")
        if not 0.0 <= self.rex_p <= 1.0:
            raise ValueError(f"rex_p must lie in [0, 1], got {self.rex_p}")


class SideIndex:
    """Exchange sides by key (actor x issues + issue), for finding the exchanges that a realised
    exchange affects without scanning the whole list (spec §13)."""

    def __init__(self, actor: IntArray, issue: IntArray, n_issues: int) -> None:
        flat = (actor * n_issues + issue).ravel()
        self.order = np.argsort(flat, kind="stable")
        self.keys = flat[self.order]
        self.n_issues = n_issues

    def find(self, actor: int, issue: int, member: BoolArray) -> tuple[IntArray, IntArray]:
        """(exchange, side) of the sides with this actor and issue whose exchange is a member."""
        key = actor * self.n_issues + issue
        lo, hi = np.searchsorted(self.keys, [key, key + 1])
        pos = self.order[lo:hi]
        ex, side = pos // 2, pos % 2
        ok = member[ex]
        return ex[ok], side[ok]


def recalculate(
    c: Candidates,
    member: BoolArray,
    realised: list[int],
    outcome: FloatArray,
    x: FloatArray,
    kappa: FloatArray,
    opts: ExchangeOptions,
    rngs: Streams,
    by_supply: SideIndex,
    by_demand: SideIndex,
) -> None:
    """Recompute the exchanges marked in ``member`` against the realised exchanges (§6.2–6.3).

    ``realised`` holds one exchange per negotiation (negotiations of a batch share no issue, so
    their exchanges never match each other). Only exchanges sharing an actor and supply issue, or
    an actor and demand issue, with a side of a realised exchange change; they are found through
    the side indexes.
    """
    # Supply side: e's side shares actor and supply issue with a side of r.
    s_match = np.zeros((c.size, 2), dtype=bool)
    for r in realised:
        for t in (0, 1):
            ex, side = by_supply.find(int(c.actor[r, t]), int(c.supply[r, t]), member)
            c.x[ex, side] = c.y[r, t]
            s_match[ex, side] = True
    s_any: BoolArray = np.asarray(s_match.any(axis=1))
    sel = np.flatnonzero(s_any)
    if sel.size:
        # The matched side keeps its earlier computed move in its history; the other loses it.
        keep = s_match[sel]
        cur = c.move[sel]
        c.base_sum[sel] += np.where(keep, cur, 0.0)
        c.base_min[sel] = np.where(keep, np.minimum(c.base_min[sel], cur), c.base_min[sel])
        c.base_max[sel] = np.where(keep, np.maximum(c.base_max[sel], cur), c.base_max[sel])
    # Demand side: e's side shares actor and demand issue k with a side t of r: record where r's
    # other side now stands on k (e's other side supplies k).
    d_any = np.zeros(c.size, dtype=bool)
    for r in realised:
        for t in (0, 1):
            ex, side = by_demand.find(int(c.actor[r, t]), int(c.demand[r, t]), member)
            if ex.size == 0:
                continue
            mover, pos = int(c.actor[r, 1 - t]), float(c.y[r, 1 - t])
            start = x[mover, c.demand[r, t]]
            old = c.upd[ex, 1 - side, mover]
            keep_min = start <= old
            merged = np.where(
                np.isnan(old), pos, np.where(keep_min, np.minimum(old, pos), np.maximum(old, pos))
            )
            c.upd[ex, 1 - side, mover] = merged
            d_any[ex] = True
    # One recomputation per affected exchange, after both bookkeeping steps (§6.2-6.3): an
    # exchange matched on its supply and its demand side is recomputed once, so only that one
    # result enters its move history.
    compute(c, np.flatnonzero(s_any | d_any), outcome, x, kappa, opts, rngs)


@dataclass(frozen=True)
class Streams:
    """Random streams per negotiation and, for a batch, the negotiation of every exchange."""

    rngs: list[Any]
    owner: IntArray | None = None


def compute(
    c: Candidates,
    idx: IntArray,
    outcome: FloatArray,
    x: FloatArray,
    kappa: FloatArray,
    opts: ExchangeOptions,
    rngs: Streams,
) -> None:
    compute_equal_gain(c, idx, outcome, x, kappa, opts.boundary)
    if opts.variant != "randomised_equal_gain":
        return
    if rngs.owner is None:
        if rngs.rngs[0] is not None:
            randomise_gain(c, idx, opts.rex_p, rngs.rngs[0])
        return
    own = rngs.owner[idx]
    for b in np.unique(own):  # each negotiation draws from its own stream, in index order
        if rngs.rngs[b] is not None:
            randomise_gain(c, idx[own == b], opts.rex_p, rngs.rngs[b])


def pick(c: Candidates, alive: IntArray, opts: ExchangeOptions, rng: Any) -> tuple[int, IntArray]:
    """Pop the exchange to realise from the list ``alive`` (§6.1 with the tie rule X1).

    Exact tie rule: the *tie group* is every listed exchange whose gain lies within ``TIE_TOL`` of
    the highest gain; within it exchanges are ordered by their index in the round's candidate
    list (build order, §3), never by the rounding noise of their gains. The head is the first of
    the group, the runner-up the second distinct one. ``tie_rule="first"`` takes the head;
    ``"random"`` draws u = ``rng.random()`` when the group has two or more exchanges and takes the
    runner-up if u >= 0.5, else the head (and, with ``duplicates``, lists the runner-up a second
    time, the reference's quirk). Returns the pick and the list without one copy of it.
    """
    gain = c.gain[alive]
    tied = np.unique(alive[gain >= gain.max() - TIE_TOL])
    r = int(tied[0])
    twin = -1
    if opts.tie_rule == "random" and rng is not None and tied.size > 1:
        if rng.random() >= 0.5:
            r = int(tied[1])
        elif opts.duplicates:
            twin = int(tied[1])
    at = int(np.flatnonzero(alive == r)[0])
    rest = np.delete(alive, at)
    if twin >= 0:
        rest = np.append(rest, twin)
    return r, rest
