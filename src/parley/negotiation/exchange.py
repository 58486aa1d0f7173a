"""Stokman's exchange model: actors trade positions on issues they care less about for moves of
others on issues they care more about (vote trading).

Theory: Stokman & Van Oosten (1994), "The exchange of voting positions: an object-oriented model of
policy networks", in Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*;
Stokman & Thomson (2015); Dijkstra, Van Assen, Stokman & Draaijer (2018) on random exchange rates.
The rules follow the Decide reference implementation (foarsitter/decide-exchange-model, GPL-3.0) as
written down in parley's specification (``docs/exchange.md``): each round, all pairs of actors on
opposite sides of the outcome on two issues are candidate exchanges; the exchange with the highest
(equal) gain is realised first, the others are recomputed against it, and so on until none is left;
then actors internalise part of their voting moves and the next round starts.

Variants (``variant=``): ``"equal_gain"`` (default) and ``"randomised_equal_gain"`` (REX, option
``rex_p`` in [0, 1]). Named options for the reference's ambiguities: ``boundary`` (X2: ``"nocap"``
default or ``"void"``), ``tie_rule`` (X1: ``"random"`` default, needs ``seed``/``rng``, or
``"first"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from parley.negotiation.exchange_kernels import (
    W_FIXED,
    W_SALIENCE,
    BoolArray,
    Candidates,
    FloatArray,
    IntArray,
    build_candidates,
    compute_equal_gain,
    nbs_outcome,
    randomise_gain,
)
from parley.negotiation.registry import ModelResult
from parley.scenario.arrays import StakeholderBatch

VARIANTS = ("equal_gain", "randomised_equal_gain")
BOUNDARY_RULES = ("nocap", "void")
TIE_RULES = ("random", "first")

#: Gains closer than this count as a tie (X1).
TIE_TOL = 1e-12


@dataclass(frozen=True)
class ExchangeOptions:
    """Named options of the exchange model (see the module docstring)."""

    variant: str = "equal_gain"
    boundary: str = "nocap"
    tie_rule: str = "random"
    rex_p: float = 0.5
    duplicates: bool = True

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("variant", self.variant, VARIANTS),
            ("boundary", self.boundary, BOUNDARY_RULES),
            ("tie_rule", self.tie_rule, TIE_RULES),
        ):
            if value not in allowed:
                raise ValueError(f"unknown {name} '{value}', expected one of {', '.join(allowed)}")
        if not 0.0 <= self.rex_p <= 1.0:
            raise ValueError(f"rex_p must lie in [0, 1], got {self.rex_p}")


@dataclass(frozen=True)
class RoundResult:
    """One round of one negotiation (normalised 0–100 positions).

    ``realised`` holds the realised exchanges in order: ``(r, 2)`` arrays per side of actor,
    supply issue, position before the move, move, voting position, target, gain and the gain of
    the side; ``candidates`` is the number of candidate exchanges at the start of the round.
    """

    start: FloatArray
    voting: FloatArray
    end: FloatArray
    candidates: int
    realised: dict[str, np.ndarray]


def leverage(salience: FloatArray, power: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weights w = c·s and leverages κ = w / W_d per actor and issue (§1); absent actors get 0."""
    w = np.where(np.isnan(salience), 0.0, salience * power)
    total = w.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)
    return w, kappa


class _SideIndex:
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


def _recalculate(
    c: Candidates,
    member: BoolArray,
    r: int,
    outcome: FloatArray,
    x: FloatArray,
    kappa: FloatArray,
    opts: ExchangeOptions,
    rng: np.random.Generator | None,
    by_supply: _SideIndex,
    by_demand: _SideIndex,
) -> None:
    """Recompute the exchanges marked in ``member`` against the realised exchange ``r`` (§6.2–6.3).

    Only exchanges sharing an actor and supply issue, or an actor and demand issue, with a side of
    ``r`` change; they are found through the side indexes.
    """
    # Supply side: e's side shares actor and supply issue with a side of r.
    s_match = np.zeros((c.size, 2), dtype=bool)
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
        _compute(c, sel, outcome, x, kappa, opts, rng)
    # Demand side: e's side shares actor and demand issue k with a side t of r: record where r's
    # other side now stands on k (e's other side supplies k).
    d_any = np.zeros(c.size, dtype=bool)
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
    sel_d = np.flatnonzero(d_any)
    if sel_d.size == 0:
        return
    both = sel_d[s_any[sel_d]]
    if both.size:  # no pop before the second recompute: the first result stays in the history
        cur = c.move[both]
        c.base_sum[both] += cur
        c.base_min[both] = np.minimum(c.base_min[both], cur)
        c.base_max[both] = np.maximum(c.base_max[both], cur)
    _compute(c, sel_d, outcome, x, kappa, opts, rng)


def _compute(
    c: Candidates,
    idx: IntArray,
    outcome: FloatArray,
    x: FloatArray,
    kappa: FloatArray,
    opts: ExchangeOptions,
    rng: np.random.Generator | None,
) -> None:
    compute_equal_gain(c, idx, outcome, x, kappa, opts.boundary)
    if opts.variant == "randomised_equal_gain" and rng is not None:
        randomise_gain(c, idx, opts.rex_p, rng)


def run_round(
    x: FloatArray,
    salience: FloatArray,
    power: FloatArray,
    opts: ExchangeOptions,
    rng: np.random.Generator | None,
) -> RoundResult:
    """One round of the exchange model on ``(actors, issues)`` arrays, positions on 0–100 (§10).

    ``power`` is per actor and issue (broadcastable). Returns the round's start, voting and end
    (updated preference) positions and the realised exchanges.
    """
    _, kappa = leverage(salience, np.broadcast_to(power, x.shape))
    outcome = np.nansum(kappa * np.nan_to_num(x), axis=0)
    c = build_candidates(x, np.nan_to_num(salience), kappa)
    xc = np.nan_to_num(x)  # round-start positions without NaN for the kernels
    _compute(c, np.arange(c.size), outcome, xc, kappa, opts, rng)
    n_candidates = c.size
    n_issues = x.shape[1]
    by_supply = _SideIndex(c.actor, c.supply, n_issues)
    by_demand = _SideIndex(c.actor, c.demand, n_issues)
    member = np.zeros(c.size, dtype=bool)
    alive = np.arange(c.size, dtype=np.intp)
    order: list[int] = []
    while alive.size:
        alive = alive[np.argsort(-c.gain[alive], kind="stable")]
        head = int(alive[0])
        tie = (
            opts.tie_rule == "random"
            and rng is not None
            and alive.size > 1
            and abs(c.gain[head] - c.gain[alive[1]]) < TIE_TOL
        )
        if tie and rng is not None and rng.random() >= 0.5:
            r = int(alive[1])
            alive = np.concatenate([alive[2:], alive[:1]])
        else:
            r = head
            alive = alive[1:]
            if tie and opts.duplicates:  # the runner-up is listed a second time (X1 quirk)
                alive = np.concatenate([alive, alive[:1]])
        if not c.valid[r]:
            continue
        order.append(r)
        alive = alive[alive != r]  # a twin of r is voided by its recalculation against itself
        # An exchange listed k times (tie duplicates) is recalculated k times.
        counts = np.bincount(alive, minlength=c.size)
        for times in range(1, int(counts.max(initial=0)) + 1):
            np.greater_equal(counts, times, out=member)
            member &= c.valid
            _recalculate(c, member, r, outcome, xc, kappa, opts, rng, by_supply, by_demand)
        alive = alive[c.valid[alive]]
    done = np.array(order, dtype=np.intp)
    voting = x.copy()
    end = x.copy()
    for r in done:
        for s in (0, 1):
            a, k = c.actor[r, s], c.supply[r, s]
            voting[a, k] = c.y[r, s]
            f = W_FIXED + W_SALIENCE * (1.0 - salience[a, k])
            end[a, k] = x[a, k] + f * (c.y[r, s] - x[a, k])
    realised = {
        "actor": c.actor[done],
        "supply": c.supply[done],
        "start": c.x0[done],
        "before": c.x[done],
        "move": c.move[done],
        "voting": c.y[done],
        "target": c.target[done],
        "gain": c.gain[done],
        "gain_side": c.gain_side[done],
    }
    return RoundResult(x, voting, end, n_candidates, realised)


def _rng(seed: int | np.random.Generator | np.random.SeedSequence | None) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def exchange_model(
    batch: StakeholderBatch,
    *,
    rounds: int = 10,
    variant: str = "equal_gain",
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    boundary: str = "nocap",
    tie_rule: str = "random",
    rex_p: float = 0.5,
    duplicates: bool = True,
    **options: Any,
) -> ModelResult:
    """Forecast every negotiation in ``batch`` with Stokman's exchange model.

    Runs ``rounds`` rounds (the reference's default 10; no convergence test). ``seed`` or ``rng``
    drive the random tie rule and the REX draws; scenarios in the batch get independent streams
    spawned from it. Returns the final preference outcome per issue (power×salience weighted mean,
    on each issue's own scale), the history ``(batch, rounds + 1, actors, issues)`` of preference
    positions (state 0 = the input) and ``extra``:

    * ``"exchanges"``: tidy DataFrame, one row per side of every realised exchange (scenario, round,
      step, exchange side I/J, actor, supply/demand issue, position before, move, voting position,
      target, gain of the exchange and of the side), positions on each issue's own scale;
    * ``"voting_outcome"`` ``(batch, rounds, issues)`` and ``"preference_outcome"``
      ``(batch, rounds + 1, issues)``; ``"candidates"`` ``(batch, rounds)`` candidate counts.
    """
    if options:
        raise ValueError(f"unknown option(s) for the exchange model: {', '.join(sorted(options))}")
    if rounds < 0:
        raise ValueError(f"rounds must be >= 0, got {rounds}")
    opts = ExchangeOptions(variant, boundary, tie_rule, rex_p, duplicates)
    streams = _rng(rng if rng is not None else seed).spawn(batch.shape[0])
    lo = batch.scale_min[:, None, :]
    span = (batch.scale_max - batch.scale_min)[:, None, :]
    x_all = (batch.position - lo) * 100.0 / span
    power = batch.capability[:, :, None]
    n_b, n_a, n_i = batch.shape
    history = np.full((n_b, rounds + 1, n_a, n_i), np.nan)
    voting_out = np.full((n_b, rounds, n_i), np.nan)
    candidates = np.zeros((n_b, rounds), dtype=np.int64)
    frames: list[pd.DataFrame] = []
    for b in range(n_b):
        x = x_all[b]
        history[b, 0] = x
        weight = np.where(np.isnan(x), 0.0, np.nan_to_num(batch.salience[b]) * power[b])
        for t in range(rounds):
            res = run_round(x, batch.salience[b], power[b], opts, streams[b])
            voting_out[b, t] = nbs_outcome(res.voting, weight)
            candidates[b, t] = res.candidates
            frames.append(_frame(batch, b, t + 1, res))
            x = res.end
            history[b, t + 1] = x
    pref = nbs_outcome(history, np.where(np.isnan(history), 0.0, _weights(batch)[:, None]))
    scale = (batch.scale_max - batch.scale_min) / 100.0
    lo2 = batch.scale_min
    return ModelResult(
        outcome=pref[:, -1] * scale + lo2,
        history=history * (scale[:, None, None, :]) + lo2[:, None, None, :],
        extra={
            "exchanges": pd.concat(frames, ignore_index=True) if frames else _frame_empty(),
            "voting_outcome": voting_out * scale[:, None, :] + lo2[:, None, :],
            "preference_outcome": pref * scale[:, None, :] + lo2[:, None, :],
            "candidates": candidates,
            "options": opts,
        },
    )


def _weights(batch: StakeholderBatch) -> FloatArray:
    w: FloatArray = np.nan_to_num(batch.salience) * batch.capability[:, :, None]
    return w


def decide_nbs(batch: StakeholderBatch) -> FloatArray:
    """The exchange model's "Nash bargaining solution" (Decide's NBS, §2), per issue and scenario.

    It is the power×salience weighted mean of positions, Σ c s x / Σ c s, not Nash's (1950)
    product-maximising solution (see :mod:`parley.negotiation.nash` for that).
    """
    out: FloatArray = nbs_outcome(batch.position, _weights(batch))
    return out


def decide_nbs_model(batch: StakeholderBatch, **options: Any) -> ModelResult:
    """:func:`decide_nbs` behind the model calling convention (no options)."""
    if options:
        raise ValueError(f"unknown option(s) for decide_nbs: {', '.join(sorted(options))}")
    return ModelResult(outcome=decide_nbs(batch))


_COLUMNS = [
    "scenario", "round", "step", "side", "actor", "supply_issue", "demand_issue",
    "position", "move", "voting_position", "target", "gain", "side_gain",
]  # fmt: skip


def _frame_empty() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in _COLUMNS})


def _frame(batch: StakeholderBatch, b: int, rnd: int, res: RoundResult) -> pd.DataFrame:
    r = res.realised
    k = r["actor"].shape[0]
    if k == 0:
        return _frame_empty()
    actors, issues = batch.actor_ids[b], batch.issue_ids[b]
    sup = r["supply"]
    dem = sup[:, ::-1]
    lo = batch.scale_min[b][sup]
    f = (batch.scale_max[b][sup] - batch.scale_min[b][sup]) / 100.0
    return pd.DataFrame(
        {
            "scenario": batch.scenario_ids[b],
            "round": rnd,
            "step": np.repeat(np.arange(1, k + 1), 2),
            "side": np.tile(["I", "J"], k),
            "actor": [actors[a] for a in r["actor"].ravel()],
            "supply_issue": [issues[i] for i in sup.ravel()],
            "demand_issue": [issues[i] for i in dem.ravel()],
            "position": (r["before"] * f + lo).ravel(),
            "move": (r["move"] * f).ravel(),
            "voting_position": (r["voting"] * f + lo).ravel(),
            "target": (r["target"] * f + lo).ravel(),
            "gain": np.repeat(r["gain"], 2),
            "side_gain": r["gain_side"].ravel(),
        }
    )
