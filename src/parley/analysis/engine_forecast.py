"""Front forecasts through the war engine under a policy and an assumption set (``parley backtest
--policy/--assumptions``).

The fitted front process (:mod:`parley.analysis.front_offensive`) replaces the scenario's
``war.front`` numbers, each run drawing its own parameters from the posterior, and the engine
(:func:`parley.war.engine.simulate`) runs the whole war from the forecast origin: negotiation,
battles, supporters, forces (the force ratio moves the front through the scenario's ``kappa``,
``sigma1`` and ``eta``), settlements (a settled run keeps its last front line) — exactly what
``parley simulate --front-params`` does, with the policy's levers and the assumption set's draws
(:func:`parley.experiments.design.policy_overrides`). A window mixture of fits
(:mod:`parley.analysis.front_mixture`) gives each window's fit its share of the runs. The
local-level drift of the front-only backtest is not carried: the engine's front has no state
beyond the regime code.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.analysis.front_mixture import Component, sample_mixture_params
from parley.experiments.design import policy_overrides
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario
from parley.war.engine import simulate
from parley.war.front_parameters import front_overrides
from parley.war.params import compile_war

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class EngineSpec:
    """A scenario with a war section, and the policy and assumption set to run it under."""

    scenario: Scenario
    policy: str | None = None
    assumptions: str | None = None

    def step_days(self) -> int:
        """The engine's step in whole days (horizons are scored at whole steps)."""
        war = self.scenario.war
        if war is None:
            raise ScenarioError("scenario has no 'war' section to simulate", field="war")
        step = float(war.time.step_days)
        if step < 1 or not float(step).is_integer():
            raise ScenarioError(
                f"war.time.step_days must be a whole number of days to backtest, got {step}",
                field="war.time.step_days",
            )
        return int(step)


def engine_area_paths(
    spec: EngineSpec,
    components: Sequence[Component],
    start_area: FloatArray | float,
    steps: int,
    runs: int,
    seed: int,
    stream: np.random.SeedSequence,
) -> FloatArray:
    """Occupied area at the end of each engine step, shape ``(runs, steps)``.

    ``components`` are ``(weight, fit)`` of a window mixture, or ``[(1.0, fit)]`` for one fit,
    each fit with its posterior in ``metadata``: component ``k`` drives its share of the runs, each
    run drawing its own parameters from that fit's posterior and starting in a regime drawn from
    its filtered probabilities on the last day
    (:func:`parley.analysis.front_mixture.sample_mixture_params`);
    ``start_area`` the area on the first day (a number or one value per run). Randomness: the
    assumption design is seeded by ``seed`` (as ``parley simulate --seed`` seeds it), the
    parameter draws and the engine's streams are spawned from ``stream``.
    """
    draw_seed, engine_seed = stream.spawn(2)
    overrides = policy_overrides(spec.scenario, spec.policy, spec.assumptions, runs, seed)
    drawn = sample_mixture_params(components, runs, np.random.default_rng(draw_seed))
    overrides.update(front_overrides(drawn, runs))
    area = np.broadcast_to(np.asarray(start_area, dtype=float), (runs,))
    overrides["war.region.initial_area_km2"] = area.copy() if area.std() > 0 else float(area[0])
    overrides["war.front.initial_regime"] = "stationary"  # drawn from regime_probs_last
    overrides["war.time.horizon_steps"] = max(1, int(steps))
    wp = compile_war(spec.scenario, overrides, runs)
    front = dataclasses.replace(wp.front_params, metadata=dict(drawn.metadata))
    wp = dataclasses.replace(wp, front_params=front)
    ds = simulate(wp, runs, engine_seed, record_paths=True, path_every=1)
    paths = np.asarray(ds["area_km2"].values, dtype=float)
    if paths.shape[1] < steps:  # every run ended early: the front stays where it stopped
        last = np.asarray(ds["final_area_km2"].values, dtype=float)[:, None]
        paths = np.concatenate([paths, np.repeat(last, steps - paths.shape[1], axis=1)], axis=1)
    # a run that ended keeps its last front line (NaN after its end in the recorded path)
    filled = paths.copy()
    for k in range(1, steps):
        filled[:, k] = np.where(np.isnan(filled[:, k]), filled[:, k - 1], filled[:, k])
    if np.isnan(filled[:, 0]).any() or not math.isfinite(float(np.nanmax(filled))):
        raise ScenarioError("the engine returned no front path for some runs")
    return filled[:, :steps]
