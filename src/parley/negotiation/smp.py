"""KTAB's Spatial Model of Politics (SMP) as a batched parley model.

The SMP (Wise, Lester & Efird, KAPSARC Toolkit for Behavioral Analysis, github lsyaseen/KTAB, MIT;
Efird, Lester & Wise 2016, "The Spatial Model of Politics") lets every actor challenge the actor it
gains most from challenging, interpolates a compromise between the two, and lets every actor pick,
among the bargains it is party to and its status quo, the one a capability-weighted probabilistic
Condorcet election (PCE) favours. It repeats until positions stop moving (less than 2 % of the first
turn's movement) or after 100 turns.

``smp_model`` reproduces KTAB's ``smpc`` to the printed digits on KTAB's reference runs (see
``docs/smp.md`` and ``docs/validation.md``); KTAB's known bugs are its defaults and the corrected
behaviour is a named option. Many scenarios of the same size run in one call; a batch mixing sizes
is split into same-sized groups.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, get_args

import numpy as np

from parley.negotiation.registry import ModelResult
from parley.negotiation.smp_kernels import FloatArray, seq_sum
from parley.negotiation.smp_turn import (
    KTABThrow,
    SMPParams,
    state_probabilities,
    state_utilities,
    turn,
)
from parley.scenario.arrays import StakeholderBatch
from parley.scenario.errors import ScenarioError
from parley.seeds import DEFAULT_SEED

#: KTAB's parameter names (XML ``<ModelParameters>``) -> parley option names.
KTAB_NAMES = {
    "VictoryProbModel": "victory_prob_model",
    "PCEModel": "pce_model",
    "StateTransitions": "state_transitions",
    "VotingRule": "voting_rule",
    "BigRAdjust": "big_r_adjust",
    "BigRRange": "big_r_range",
    "ThirdPartyCommit": "third_party_commit",
    "InterVecBrgn": "inter_vec_brgn",
    "BargnModel": "bargn_model",
}
#: Default turn limit and stopping ratio of smpc (``configExec``, smp.cpp).
MAX_ITERATIONS = 100
STOP_RATIO = 0.02
#: Elements per ``(third party, batch, actor, actor)`` block before the batch is processed in chunks.
CHUNK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class SMPRun:
    """Raw SMP trajectories on the [0, 1] scale for a batch of same-sized scenarios.

    ``position (b, states, n, d)`` and ``prob (b, states, n)`` are NaN after a run's last state;
    ``fractional_change (b, states - 1)`` is smpc's "Fractional change compared to first step" of
    turn t in column t - 1; ``n_states (b,)``; ``unique_prob (b, n)`` the probability of each unique
    final position (zero for duplicates).
    """

    position: FloatArray
    prob: FloatArray
    fractional_change: FloatArray
    n_states: np.ndarray
    unique_prob: FloatArray


def parse_options(options: dict[str, Any]) -> tuple[SMPParams, dict[str, Any]]:
    """Split ``smp_model`` options into KTAB parameters (validated) and run settings."""
    run_keys = {"max_iterations", "stop_ratio", "rng", "seed", "rescale_salience"}
    params: dict[str, Any] = {}
    run: dict[str, Any] = {}
    valid = {f.name: f for f in fields(SMPParams)}
    for key, value in options.items():
        name = KTAB_NAMES.get(key, key)
        if name in run_keys:
            run[name] = value
            continue
        if name not in valid:
            raise ScenarioError(
                f"unknown SMP option '{key}', expected one of "
                f"{', '.join(sorted(set(valid) | run_keys))}",
                field=f"options.{key}",
            )
        if name == "ktab_checks":
            value = bool(value)
        else:
            allowed = get_args(_literal_of(name))
            if value not in allowed:
                raise ScenarioError(
                    f"SMP option {name}={value!r} is not one of {', '.join(allowed)}",
                    field=f"options.{key}",
                )
        params[name] = value
    return SMPParams(**params), run


def _literal_of(name: str) -> Any:
    from parley.negotiation import smp_turn

    hints = {
        "victory_prob_model": "VictoryProbModel",
        "pce_model": "PCEModel",
        "state_transitions": "StateTransitions",
        "voting_rule": "VotingRule",
        "big_r_adjust": "BigRAdjust",
        "big_r_range": "BigRRange",
        "third_party_commit": "ThirdPartyCommit",
        "inter_vec_brgn": "InterVecBrgn",
        "bargn_model": "BargnModel",
        "receiver_weight": "ReceiverWeight",
        "pwcomp_weight": "PWCompWeight",
    }
    return getattr(smp_turn, hints[name])


def run_smp(
    x: FloatArray,
    sal: FloatArray,
    cap: FloatArray,
    prm: SMPParams | None = None,
    max_iterations: int = MAX_ITERATIONS,
    stop_ratio: float = STOP_RATIO,
    rng: np.random.Generator | None = None,
) -> SMPRun:
    """Run the SMP on ``x, sal (b, n, d)`` in [0, 1] and capabilities ``cap (b, n)``.

    Stopping rule (KTAB ``smpStopFn``): after turn t stop if ``t >= max_iterations`` or if
    ``t >= 2`` and ``delta(t-1, t) / (delta(0, 1) + 1e-4) < stop_ratio``, where ``delta`` sums the
    actors' Euclidean moves.
    """
    prm = prm or SMPParams()
    b, n, d = x.shape
    cap_s = max(1, CHUNK_ELEMENTS // max(1, n**3))
    if b > cap_s:
        parts = [
            run_smp(
                x[i : i + cap_s],
                sal[i : i + cap_s],
                cap[i : i + cap_s],
                prm,
                max_iterations,
                stop_ratio,
                rng,
            )
            for i in range(0, b, cap_s)
        ]
        return _concat_runs(parts, max_iterations)
    positions = [x]
    st = state_utilities(x, sal, cap, prm)
    p0, up = state_probabilities(x, cap, st, prm)
    probs = [p0]
    uprob = up.copy()
    fracs: list[FloatArray] = []
    n_states = np.ones(b, dtype=np.int64)
    first = np.zeros(b)
    active = np.arange(b)
    cur = x.copy()
    t = 0
    while active.size:
        t += 1
        xa = cur[active]
        new = turn(xa, sal[active], cap[active], st, prm, rng)
        move = new - xa
        delta = seq_sum(np.sqrt(seq_sum(move * move, -1)), -1)
        if t == 1:
            first = delta
        frac = delta / (first + 1e-4)
        st = state_utilities(new, sal[active], cap[active], prm)
        p_new, up_new = state_probabilities(new, cap[active], st, prm)
        full_x = np.full_like(x, np.nan)
        full_x[active] = new
        full_p = np.full((b, n), np.nan)
        full_p[active] = p_new
        full_f = np.full(b, np.nan)
        full_f[active] = frac
        positions.append(full_x)
        probs.append(full_p)
        fracs.append(full_f)
        cur[active] = new
        uprob[active] = up_new
        n_states[active] += 1
        stop = (t >= max_iterations) | ((t >= 2) & (frac < stop_ratio))
        keep = ~stop
        st = _subset(st, keep)
        active = active[keep]
        first = first[keep]
    frac_arr = np.stack(fracs, axis=1) if fracs else np.empty((b, 0))
    return SMPRun(
        position=np.stack(positions, axis=1),
        prob=np.stack(probs, axis=1),
        fractional_change=frac_arr,
        n_states=n_states,
        unique_prob=uprob,
    )


def _subset(st: Any, keep: np.ndarray) -> Any:
    return type(st)(risk=st.risk[keep], perceived=st.perceived[keep], own=st.own[keep])


def _concat_runs(parts: list[SMPRun], max_iterations: int) -> SMPRun:
    s = max(p.position.shape[1] for p in parts)

    def pad(a: FloatArray, length: int, axis: int = 1) -> FloatArray:
        width = [(0, 0)] * a.ndim
        width[axis] = (0, length - a.shape[axis])
        return np.pad(a, width, constant_values=np.nan)

    return SMPRun(
        position=np.concatenate([pad(p.position, s) for p in parts]),
        prob=np.concatenate([pad(p.prob, s) for p in parts]),
        fractional_change=np.concatenate([pad(p.fractional_change, s - 1) for p in parts]),
        n_states=np.concatenate([p.n_states for p in parts]),
        unique_prob=np.concatenate([p.unique_prob for p in parts]),
    )


def _check_group(
    batch: StakeholderBatch, members: list[int], n: int, d: int, rescale: bool
) -> tuple[FloatArray, FloatArray, FloatArray]:
    x = batch.normalised_position()[members][:, :n, :d]
    sal = batch.salience[members][:, :n, :d].copy()
    cap = batch.capability[members][:, :n]
    for row, bidx in enumerate(members):
        sid = batch.scenario_ids[bidx]
        if n < 3:
            raise ScenarioError(f"the SMP needs at least 3 actors, scenario '{sid}' has {n}")
        miss = np.argwhere(np.isnan(x[row]) | np.isnan(sal[row]))
        if miss.size:
            a, k = miss[0]
            raise ScenarioError(
                f"the SMP needs every actor's position and salience on every issue; actor "
                f"'{batch.actor_ids[bidx][a]}' has none on issue '{batch.issue_ids[bidx][k]}'",
                field=f"scenario '{sid}'",
            )
        bad = np.flatnonzero(cap[row] <= 0)
        if bad.size:
            raise ScenarioError(
                f"the SMP needs capability > 0; actor '{batch.actor_ids[bidx][bad[0]]}' has "
                f"{cap[row, bad[0]]}",
                field=f"scenario '{sid}'",
            )
        tot = sal[row].sum(axis=-1)
        if (tot <= 0).any():
            a = int(np.flatnonzero(tot <= 0)[0])
            raise ScenarioError(
                f"the SMP needs a positive total salience; actor '{batch.actor_ids[bidx][a]}' "
                "has zero salience on every issue",
                field=f"scenario '{sid}'",
            )
        if (tot > 1 + 1e-9).any():
            if not rescale:
                a = int(np.flatnonzero(tot > 1 + 1e-9)[0])
                raise ScenarioError(
                    f"the SMP needs each actor's saliences to sum to at most 1 (it reads the "
                    f"remainder as the chance to concede); actor '{batch.actor_ids[bidx][a]}' "
                    f"sums to {tot[a]:.4g}; pass rescale_salience=True to divide by the total",
                    field=f"scenario '{sid}'",
                )
            sal[row] = sal[row] / np.maximum(tot, 1.0)[:, None]
    return x, sal, cap


def smp_model(batch: StakeholderBatch, **options: Any) -> ModelResult:
    """Forecast every scenario in ``batch`` with KTAB's Spatial Model of Politics.

    Options (KTAB's names are accepted too, e.g. ``VotingRule="Prop"``): the nine KTAB model
    parameters ``victory_prob_model`` (Linear), ``pce_model`` (Conditional), ``state_transitions``
    (Deterministic), ``voting_rule`` (Prop), ``big_r_adjust`` (OneThird), ``big_r_range`` (Mid),
    ``third_party_commit`` (SemiCommit), ``inter_vec_brgn`` (S2P2), ``bargn_model``
    (InitOnlyInterp); KTAB-bug switches ``receiver_weight`` ("edu" = KTAB, "probability"),
    ``pwcomp_weight`` ("initiator" = KTAB, "receiver") and ``ktab_checks`` (True); run settings
    ``max_iterations`` (100), ``stop_ratio`` (0.02), ``rng`` or ``seed`` (Stochastic mode;
    without either, :data:`parley.seeds.DEFAULT_SEED`, so the same call gives the same result) and
    ``rescale_salience`` (False).

    Returns ``outcome (batch, issues)``: the probability-weighted mean of the unique final
    positions, on each issue's own scale; ``history (batch, states, actors, issues)`` with state 0
    the input; ``extra``: ``prob (batch, states, actors)`` (smpc's "prob" lines),
    ``fractional_change (batch, states - 1)``, ``n_states (batch,)``.
    """
    prm, run = parse_options(options)
    rng = run.get("rng")
    if rng is None and "seed" in run:
        rng = np.random.default_rng(run["seed"])
    if prm.state_transitions == "Stochastic" and rng is None:
        rng = np.random.default_rng(DEFAULT_SEED)
    nb, na, ni = batch.shape
    sizes = [(len(a), len(i)) for a, i in zip(batch.actor_ids, batch.issue_ids, strict=True)]
    groups: dict[tuple[int, int], list[int]] = {}
    for bidx, size in enumerate(sizes):
        groups.setdefault(size, []).append(bidx)
    runs: dict[tuple[int, int], SMPRun] = {}
    for (n, d), members in groups.items():
        x, sal, cap = _check_group(batch, members, n, d, bool(run.get("rescale_salience", False)))
        try:
            runs[(n, d)] = run_smp(
                x,
                sal,
                cap,
                prm,
                int(run.get("max_iterations", MAX_ITERATIONS)),
                float(run.get("stop_ratio", STOP_RATIO)),
                rng,
            )
        except KTABThrow as exc:
            raise ScenarioError(f"SMP cannot run: {exc}") from None
    s_max = max(r.position.shape[1] for r in runs.values())
    hist = np.full((nb, s_max, na, ni), np.nan)
    prob = np.full((nb, s_max, na), np.nan)
    frac = np.full((nb, s_max - 1), np.nan)
    n_states = np.zeros(nb, dtype=np.int64)
    outcome = np.full((nb, ni), np.nan)
    span = batch.scale_max - batch.scale_min
    for (n, d), members in groups.items():
        r = runs[(n, d)]
        s = r.position.shape[1]
        idx = np.asarray(members)
        scaled = batch.scale_min[idx, None, None, :d] + r.position * span[idx, None, None, :d]
        hist[idx, :s, :n, :d] = scaled
        # state 0 is the input itself, not the input mapped to [0, 1] and back
        hist[idx, 0, :n, :d] = batch.position[idx, :n, :d]
        prob[idx, :s, :n] = r.prob
        frac[idx, : s - 1] = r.fractional_change
        n_states[idx] = r.n_states
        last = np.take_along_axis(r.position, (r.n_states - 1)[:, None, None, None], axis=1)[:, 0]
        mean = np.einsum("bn,bnd->bd", r.unique_prob, last)
        outcome[idx, :d] = batch.scale_min[idx, :d] + mean * span[idx, :d]
    return ModelResult(
        outcome=outcome,
        history=hist,
        extra={"prob": prob, "fractional_change": frac, "n_states": n_states},
    )
