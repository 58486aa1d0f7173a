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
``"first"``: among tied gains the earliest candidate in build order), ``engine`` (``"numba"``
default: the compiled selection loop of :mod:`parley.negotiation.exchange_numba` for the
equal-gain variant; ``"numpy"``: the array path, the reference it is tested against; REX always
runs on the array path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from parley.negotiation.exchange_candidates import (
    Candidates,
    FloatArray,
    build_candidates,
    concat_candidates,
    slice_candidates,
)
from parley.negotiation.exchange_kernels import W_FIXED, W_SALIENCE, nbs_outcome
from parley.negotiation.exchange_numba import candidate_pairs, run_selection
from parley.negotiation.exchange_select import (
    ExchangeOptions,
    SideIndex,
    Streams,
    compute,
    pick,
    recalculate,
)
from parley.negotiation.exchange_table import exchanges_frame
from parley.negotiation.registry import ModelResult
from parley.scenario.arrays import StakeholderBatch
from parley.seeds import DEFAULT_SEED


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


def _finish(
    x: FloatArray, salience: FloatArray, c: Candidates, order: list[int], n_candidates: int
) -> RoundResult:
    """Voting positions and preference update of one negotiation's realised exchanges (§7)."""
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


def run_round(
    x: FloatArray,
    salience: FloatArray,
    power: FloatArray,
    opts: ExchangeOptions,
    rng: np.random.Generator | None,
) -> RoundResult:
    """One round of the exchange model on ``(actors, issues)`` arrays, positions on 0–100 (§10).

    ``power`` is per actor and issue (broadcastable). Returns the round's start, voting and end
    (updated preference) positions and the realised exchanges. ``rng`` needs only a ``random()``
    method for the tie rule (``random.Random`` gives the reference's stream); REX also draws arrays.
    """
    return run_round_batch(
        x[None], salience[None], np.broadcast_to(power, x.shape)[None], opts, [rng]
    )[0]


def run_round_batch(
    x: FloatArray,
    salience: FloatArray,
    power: FloatArray,
    opts: ExchangeOptions,
    rngs: list[Any],
) -> list[RoundResult]:
    """One round of many independent negotiations ``(batch, actors, issues)`` in lockstep.

    Every negotiation keeps its own candidate list, tie draws (``rngs[b]``) and selection loop, so
    the result equals running :func:`run_round` on each; but each step realises one exchange in
    every negotiation still running and recomputes all affected exchanges in one array operation.
    Negotiations are told apart by their issues: issue k of negotiation b is column
    ``b * issues + k`` of the stacked arrays.
    """
    n_b, n_a, n_i = x.shape
    power = np.broadcast_to(power, x.shape)
    if opts.engine == "numba" and opts.variant == "equal_gain":
        return [_round_compiled(x[b], salience[b], power[b], opts, rngs[b]) for b in range(n_b)]
    parts: list[Candidates] = []
    kap_cols: list[FloatArray] = []
    out_cols: list[FloatArray] = []
    for b in range(n_b):
        _, kappa_b = leverage(salience[b], power[b])
        out_cols.append(np.nansum(kappa_b * np.nan_to_num(x[b]), axis=0))
        kap_cols.append(kappa_b)
        part = build_candidates(x[b], np.nan_to_num(salience[b]), kappa_b)
        part.supply += b * n_i
        part.demand += b * n_i
        parts.append(part)
    sizes = [p.size for p in parts]
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
    c = concat_candidates(parts)
    owner = np.repeat(np.arange(n_b), sizes).astype(np.intp)
    kappa = np.concatenate(kap_cols, axis=1)  # (actors, batch * issues)
    outcome = np.concatenate(out_cols)
    xc = np.nan_to_num(x).transpose(1, 0, 2).reshape(n_a, n_b * n_i)
    streams = Streams(list(rngs), owner if n_b > 1 else None)
    compute(c, np.arange(c.size), outcome, xc, kappa, opts, streams)
    by_supply = SideIndex(c.actor, c.supply, n_b * n_i)
    by_demand = SideIndex(c.actor, c.demand, n_b * n_i)
    member = np.zeros(c.size, dtype=bool)
    alive = [np.arange(bounds[b], bounds[b + 1], dtype=np.intp) for b in range(n_b)]
    orders: list[list[int]] = [[] for _ in range(n_b)]
    running = [b for b in range(n_b) if alive[b].size]
    while running:
        realised: list[int] = []
        moved: list[int] = []
        for b in running:
            r, alive[b] = pick(c, alive[b], opts, rngs[b])
            if not c.valid[r]:
                continue
            orders[b].append(r)
            alive[b] = alive[b][alive[b] != r]  # r's twin is voided by its recalculation
            realised.append(r)
            moved.append(b)
        if realised:
            # An exchange listed k times (tie duplicates) is recalculated k times.
            counts = np.bincount(np.concatenate([alive[b] for b in moved]), minlength=c.size)
            for times in range(1, int(counts.max(initial=0)) + 1):
                np.greater_equal(counts, times, out=member)
                member &= c.valid
                recalculate(
                    c, member, realised, outcome, xc, kappa, opts, streams, by_supply, by_demand
                )
            for b in moved:
                alive[b] = alive[b][c.valid[alive[b]]]
        running = [b for b in running if alive[b].size]
    return [
        _finish(
            x[b],
            salience[b],
            _local(c, int(bounds[b]), int(bounds[b + 1]), b * n_i),
            [r - int(bounds[b]) for r in orders[b]],
            sizes[b],
        )
        for b in range(n_b)
    ]


def _round_compiled(
    x: FloatArray, salience: FloatArray, power: FloatArray, opts: ExchangeOptions, rng: Any
) -> RoundResult:
    """One round of one negotiation with the compiled selection loop (same rules and bits as the
    NumPy path, :mod:`parley.negotiation.exchange_numba`)."""
    _, kappa = leverage(salience, power)
    outcome = np.nansum(kappa * np.nan_to_num(x), axis=0)
    c = build_candidates(x, np.nan_to_num(salience), kappa, candidate_pairs)
    order = run_selection(
        c,
        outcome,
        np.nan_to_num(x),
        kappa,
        opts.boundary,
        opts.tie_rule == "random",
        opts.duplicates,
        rng,
    )
    return _finish(x, salience, c, order, c.size)


def _local(c: Candidates, lo: int, hi: int, issue_offset: int) -> Candidates:
    """The exchanges ``lo:hi`` of one negotiation with its own issue numbers (a view)."""
    part = slice_candidates(c, lo, hi)
    part.supply -= issue_offset
    part.demand -= issue_offset
    return part


def _rng(seed: int | np.random.Generator | np.random.SeedSequence | None) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def exchange_model(
    batch: StakeholderBatch,
    *,
    rounds: int = 10,
    variant: str = "equal_gain",
    seed: int | None = DEFAULT_SEED,
    rng: np.random.Generator | None = None,
    boundary: str = "nocap",
    tie_rule: str = "random",
    rex_p: float = 0.5,
    duplicates: bool = True,
    engine: str = "numba",
    **options: Any,
) -> ModelResult:
    """Forecast every negotiation in ``batch`` with Stokman's exchange model.

    Runs ``rounds`` rounds (the reference's default 10; no convergence test). ``seed`` (default
    :data:`parley.seeds.DEFAULT_SEED`) or ``rng`` drive the random tie rule and the REX draws;
    scenarios in the batch get independent streams spawned from it, so the same seed gives the same
    result. ``seed=None`` draws fresh entropy from the operating system. Returns the final preference outcome per issue (power×salience weighted mean,
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
    opts = ExchangeOptions(variant, boundary, tie_rule, rex_p, duplicates, engine)
    streams = _rng(rng if rng is not None else seed).spawn(batch.shape[0])
    lo = batch.scale_min[:, None, :]
    span = (batch.scale_max - batch.scale_min)[:, None, :]
    x_all = (batch.position - lo) * 100.0 / span
    power = batch.capability[:, :, None]
    n_b, n_a, n_i = batch.shape
    history = np.full((n_b, rounds + 1, n_a, n_i), np.nan)
    voting_out = np.full((n_b, rounds, n_i), np.nan)
    candidates = np.zeros((n_b, rounds), dtype=np.int64)
    records: list[tuple[int, int, dict[str, np.ndarray]]] = []
    x = x_all
    history[:, 0] = x
    weight = np.where(np.isnan(x), 0.0, np.nan_to_num(batch.salience) * power)
    full_power = np.broadcast_to(power, x.shape)
    for t in range(rounds):
        results = run_round_batch(x, batch.salience, full_power, opts, list(streams))
        x = np.stack([res.end for res in results])
        voting_out[:, t] = nbs_outcome(np.stack([res.voting for res in results]), weight)
        for b, res in enumerate(results):
            candidates[b, t] = res.candidates
            records.append((b, t + 1, res.realised))
        history[:, t + 1] = x
    pref = nbs_outcome(history, np.where(np.isnan(history), 0.0, _weights(batch)[:, None]))
    scale = (batch.scale_max - batch.scale_min) / 100.0
    lo2 = batch.scale_min
    return ModelResult(
        outcome=pref[:, -1] * scale + lo2,
        history=history * (scale[:, None, None, :]) + lo2[:, None, None, :],
        extra={
            "exchanges": exchanges_frame(batch, records),
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
