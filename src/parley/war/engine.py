"""The bargaining-while-fighting simulator: every Monte Carlo run advanced at once (war-model §1–§9).

:func:`simulate` is orchestration only: build the state (:mod:`parley.war.state`), run the
mechanisms of :mod:`parley.war.mechanisms` in their registered order each step (negotiation,
battles, supporters, forces, front, learning, politics, escalation, breaking), record the paths,
and after the loop give settled runs their multi-issue terms and durability
(:mod:`parley.war.aftermath`). Each mechanism draws from its own stream
(:mod:`parley.war.streams`); same seed → identical dataset.

Output dataset (names other parts rely on):

per run (dim ``run``)
    ``outcome`` int code (attrs ``labels``: 0 ongoing, 1 settlement, 2 collapse_A, 3 collapse_B,
    4 catastrophe); ``end_step`` (step at which the run ended, horizon if ongoing); ``settled``
    bool; ``settle_step`` float (NaN if none); ``share_A`` A's share of the stakes in the
    settlement; ``terms`` (run, issue) on each issue's own scale (NaN if no settlement);
    ``held_1y``, ``held_5y``, ``held_10y`` float 1/0 (NaN if no settlement);
    ``renewal_triggered`` bool (Powell trigger); ``casualties`` (run, side);
    ``aid_delivered`` (run, supporter) EUR bn; ``final_area_km2``;
    ``population_under_occupation``; ``catastrophe`` bool; ``max_escalation_hazard`` (per
    month); ``leader_replaced`` (run, side) bool; ``commitment_blocked`` bool.
per step (dims ``run``, ``step``; only if ``record_paths``; every ``path_every`` steps, state at
the end of the step, float32)
    ``area_km2``; ``p_A`` (true θ); ``belief_A`` (run, step, side): each side's posterior mean of
    θ; ``support``, ``aid`` (EUR bn/year received), ``force``, ``casualties`` (cumulative) on
    (run, step, side); ``aid_cumulative`` (run, step, supporter) EUR bn since the start;
    ``aid_high`` (run, step, supporter) bool, each donor's aid regime (ended runs keep theirs);
    ``active`` bool.
coordinates: ``run``, ``step``, ``side`` (belligerent actor ids), ``supporter``, ``issue``;
``day`` on ``step``. attrs: ``scenario_id``, ``start_date``, ``step_days``, ``horizon_steps``,
``seed``, ``outcome_labels``.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from parley.war.aftermath import durability_draws, settlement_terms
from parley.war.dataset import PathRecorder, build_dataset
from parley.war.mechanisms import ORDER
from parley.war.params import WarParams
from parley.war.state import (
    CATASTROPHE,
    COLLAPSE_A,
    COLLAPSE_B,
    ONGOING,
    OUTCOMES,
    SETTLEMENT,
    WarState,
    initial_state,
)
from parley.war.streams import STREAMS, generators

__all__ = [
    "CATASTROPHE",
    "COLLAPSE_A",
    "COLLAPSE_B",
    "ONGOING",
    "OUTCOMES",
    "SETTLEMENT",
    "STREAMS",
    "generators",
    "run_steps",
    "simulate",
]


def run_steps(state: WarState, p: WarParams, rng: dict[str, np.random.Generator],
              recorder: PathRecorder | None = None) -> WarState:  # fmt: skip
    """Advance ``state`` through the horizon with the mechanisms of :data:`ORDER`."""
    for t in range(p.horizon_steps):
        state.t = t
        for _name, step in ORDER:
            step(state, p, rng)
        if recorder is not None:
            recorder.record(state)
        if not state.active.any():
            break
    return state


def simulate(
    params: WarParams,
    n_runs: int,
    seed: int | np.random.SeedSequence,
    *,
    record_paths: bool = True,
    path_every: int = 1,
    kernel: str = "numba",
) -> xr.Dataset:
    """Simulate ``n_runs`` wars at once; see the module docstring for the dataset layout.

    ``kernel`` chooses how the war values gather their per-run expectations: ``"numba"``
    (compiled, :mod:`parley.war.kernels`) or ``"numpy"`` (the reference,
    :func:`parley.war.beliefs.war_values`); both give the same results
    (``tests/war/test_kernels.py``; timings in ``docs/performance.md``).
    """
    if n_runs < 1:
        raise ValueError("n_runs must be >= 1")
    if path_every < 1:
        raise ValueError("path_every must be >= 1")
    if kernel not in ("numba", "numpy"):
        raise ValueError(f"kernel must be 'numba' or 'numpy', got '{kernel}'")
    rng = generators(seed)
    state = initial_state(params, n_runs, rng)
    state.kernel = kernel
    recorder = PathRecorder(params, n_runs, path_every) if record_paths else None
    run_steps(state, params, rng, recorder)
    if recorder is not None:
        recorder.finish(state.t)
    settled = state.outcome == SETTLEMENT
    terms = settlement_terms(params, state.share, settled)
    held, triggered = durability_draws(params, state, rng["durability"])
    return build_dataset(params, seed, state, recorder, terms, held, triggered)
