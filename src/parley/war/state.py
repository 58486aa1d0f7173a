"""The state of every Monte Carlo run of a war, as arrays with a leading run axis (war-model §1).

:class:`WarState` is what the mechanisms of :mod:`parley.war.mechanisms` advance in place, one
step at a time, for all runs at once. Side-specific arrays have shape ``(runs, 2)`` (A, B);
supporter arrays ``(runs, supporters)``. A run that has ended (``active`` false) keeps its
state: mechanisms change only active runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.war import front as front_mod
from parley.war.params import WarParams

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
OUTCOMES = ("ongoing", "settlement", "collapse_A", "collapse_B", "catastrophe")
ONGOING, SETTLEMENT, COLLAPSE_A, COLLAPSE_B, CATASTROPHE = range(5)


def per_run(x: object, n: int) -> FloatArray:
    """A parameter of shape ``()`` or ``(runs,)`` as an array of shape ``(runs,)``."""
    return np.broadcast_to(np.asarray(x, dtype=float), (n,))


def per_side(x: object, n: int) -> FloatArray:
    """A side parameter of shape ``(2,)`` or ``(runs, 2)`` as an array of shape ``(runs, 2)``."""
    return np.broadcast_to(np.asarray(x, dtype=float), (n, 2))


@dataclass
class WarState:
    """Arrays of the runs' state; see the field comments for units."""

    n: int
    t: int
    active: BoolArray
    outcome: NDArray[np.int8]
    end_step: NDArray[np.int64]
    settle_step: FloatArray  # NaN if none
    share: FloatArray  # A's share of the stakes in the settlement, NaN if none
    area: FloatArray  # km² held by A
    old_area: FloatArray  # at the start of the step
    area0: FloatArray  # at the start of the war
    k_fort: FloatArray  # forts held by A (discrete form)
    regime: NDArray[np.int64]  # front regime (opaque to everything but the front mechanism)
    drift_dev: FloatArray  # positional drift minus its fitted value, km²/day (front mechanism)
    force: FloatArray  # (runs, 2) force index
    force0: FloatArray  # (runs, 2) initial force
    breakpoint: FloatArray  # (runs, 2) breaking point as a fraction of the initial force
    casualties: FloatArray  # (runs, 2) killed and wounded since the start
    alpha: FloatArray  # (runs, 2) each side's Beta belief over θ = P(A wins a battle)
    beta: FloatArray
    support: FloatArray  # (runs, 2) public support
    support0: FloatArray  # at the start, after the political cost of mobilisation
    punish_on: FloatArray  # (runs, 2) 1 until the leader is replaced
    aid_high: BoolArray  # (runs, supporters) regime of each donor
    aid_supporter: FloatArray  # (runs, supporters) aid delivered this step, EUR bn/year
    aid_cumulative: FloatArray  # (runs, supporters) EUR bn delivered since the start
    aid_level: FloatArray  # (runs, 2) aid received, EUR bn/year
    aid_force: FloatArray  # (runs, 2) force units per day added by aid
    theta: FloatArray  # true per-battle probability that A wins (contest function)
    battles: FloatArray  # battles fought this step
    wins: FloatArray  # battles won by A this step
    battle_start_area: FloatArray  # continuous form: area when the current battle began
    battle_clock: FloatArray  # continuous form: days into the current battle
    cred_a: FloatArray  # Beta belief that threats are carried out
    cred_b: FloatArray
    cum_risk: FloatArray
    max_hazard: FloatArray
    threat: FloatArray  # 1.0 while a threat is active
    catastrophe: BoolArray
    talks: BoolArray  # talks open this step
    talks_were_open: BoolArray
    commitment_blocked: BoolArray  # a deal in range was blocked by the commitment problem
    kernel: str = "numba"  # war values: "numba" (compiled gather) or "numpy" (the reference)

    def end(self, mask: BoolArray, code: int) -> None:
        """End the runs in ``mask`` with outcome ``code`` at the current step."""
        mask = mask & self.active
        self.outcome[mask] = code
        self.end_step[mask] = self.t
        self.active[mask] = False


def initial_state(p: WarParams, n: int, rng: dict[str, np.random.Generator]) -> WarState:
    """The state at the start date: area, forces, beliefs, support and aid regimes of every run."""
    region, front = p.region, p.front
    forts = per_run(region.forts, n)
    amin, amax = per_run(region.area_min_km2, n), per_run(region.area_max_km2, n)
    area = per_run(region.initial_area_km2, n).copy()
    k_fort = np.rint(forts * (area - amin) / (amax - amin))
    if front.form == "forts":
        area = amin + (amax - amin) * k_fort / forts
    if front.initial_regime == "stationary":
        regime = front_mod.initial_regime(p.front_params, n, rng["initial"])
    else:
        regime = np.full(n, front_mod.REGIMES.index(front.initial_regime), dtype=np.int64)
    force0 = per_side(p.forces.initial, n).copy()
    sd = per_side(p.forces.breaking_point_sd, n)
    z = rng["breaking"].standard_normal((n, 2))
    mean, strength = per_side(p.beliefs.mean, n), per_side(p.beliefs.strength, n)
    extra = np.maximum(per_side(p.forces.mobilisation, n) - 1.0, 0.0)
    support0 = np.clip(
        per_side(p.support.initial, n) - per_side(p.support.mobilisation_cost, n) * extra, 0.0, 1.0
    )
    n_sup = len(p.supporter_ids)
    start_high = np.asarray(p.supporters.start_high, dtype=float) > 0 if n_sup else np.zeros(0)
    cred = per_run(p.escalation.credibility_prior_strength, n) / 2 + 1e-9
    zeros, zeros2 = np.zeros(n), np.zeros((n, 2))
    return WarState(
        n=n,
        t=0,
        active=np.ones(n, dtype=bool),
        outcome=np.zeros(n, dtype=np.int8),
        end_step=np.full(n, p.horizon_steps, dtype=np.int64),
        settle_step=np.full(n, np.nan),
        share=np.full(n, np.nan),
        area=area,
        old_area=area.copy(),
        area0=area.copy(),
        k_fort=k_fort,
        regime=regime,
        drift_dev=zeros.copy(),
        force=force0.copy(),
        force0=force0,
        breakpoint=np.clip(per_side(p.forces.collapse_fraction, n) * np.exp(sd * z), 0.0, 1.0),
        casualties=zeros2.copy(),
        alpha=mean * strength,
        beta=(1.0 - mean) * strength,
        support=support0.copy(),
        support0=support0,
        punish_on=np.ones((n, 2)),
        aid_high=np.broadcast_to(start_high.astype(bool), (n, n_sup)).copy(),
        aid_supporter=np.zeros((n, n_sup)),
        aid_cumulative=np.zeros((n, n_sup)),
        aid_level=zeros2.copy(),
        aid_force=zeros2.copy(),
        theta=np.full(n, 0.5),
        battles=zeros.copy(),
        wins=zeros.copy(),
        battle_start_area=area.copy(),
        battle_clock=zeros.copy(),
        cred_a=cred.copy(),
        cred_b=cred.copy(),
        cum_risk=zeros.copy(),
        max_hazard=zeros.copy(),
        threat=zeros.copy(),
        catastrophe=np.zeros(n, dtype=bool),
        talks=np.zeros(n, dtype=bool),
        talks_were_open=np.zeros(n, dtype=bool),
        commitment_blocked=np.zeros(n, dtype=bool),
    )
