"""Mechanism "negotiation": talks, each side's minimum terms, and settlement (war-model §2–§4).

For runs with talks open, each side values the war under its own Beta belief (Smith & Stam 2004)
and its least acceptable share of the stakes is built up from the war value:

1. leader punishment below a reference point (Goemans 2000; :func:`bargaining.minimum_share`);
2. renege risk: ``+ r·d/(1 − r)`` (Reiter 2009; :func:`bargaining.renege_minimum`);
3. the initiator's pre-concession, and the opponent's demand answering it up to a cap
   (:func:`bargaining.answered_demand`);
4. an active, credible nuclear threat: the target gives up ``w·credibility`` (Schelling 1966;
   Powell 2015).

The range ``[lo, hi]`` of A's share acceptable to both (widened by guarantees, Fortna 2003) is
cut to what every issue bound allows (``WarParams.bounds_share``), and a deal in range is not
credible while the commitment problem holds (Powell 2006, :mod:`parley.war.commitment`). Terms
split the surplus by the proposer rule. Stream: ``settlement`` (one uniform per run per step).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.war.bargaining import (
    answered_demand,
    minimum_share,
    renege_minimum,
    settlement_bounds,
    split_terms,
)
from parley.war.beliefs import war_values
from parley.war.commitment import commitment_blocks, projected_theta
from parley.war.kernels import war_values_compiled
from parley.war.params import WarParams
from parley.war.policies import initiation_signal, talks_open
from parley.war.politics import DAYS_PER_MONTH, cost_multiplier
from parley.war.state import SETTLEMENT, WarState, per_run, per_side

FloatArray = NDArray[np.float64]
Streams = dict[str, np.random.Generator]


def open_talks(s: WarState, p: WarParams) -> None:
    """Which runs talk this step; the initiator's signal where talks just opened."""
    pol = p.policy
    talks = s.active & talks_open(
        s.t,
        pol.negotiate_from_step,
        s.area,
        pol.negotiate_when_area_below_km2,
        s.support,
        per_run(pol.negotiate_when_support_below, s.n),
    )
    opened = talks & ~s.talks_were_open
    s.talks = talks
    s.talks_were_open |= talks
    s.alpha, s.beta = initiation_signal(s.alpha, s.beta, p.initiator, pol.signal_strength, opened)


def minimum_terms(s: WarState, p: WarParams, idx: NDArray[np.intp]) -> FloatArray:
    """``(len(idx), 2)`` least acceptable own shares of the talking runs ``idx``."""
    n = s.n
    region = p.region
    forts = per_run(region.forts, n)[idx]
    amin = per_run(region.area_min_km2, n)[idx]
    span = per_run(region.area_max_km2, n)[idx] - amin
    k_now = forts * (s.area[idx] - amin) / span
    gain = per_side(p.support.cost_gain, n)[idx]
    cmult = cost_multiplier(s.support[idx], s.support0[idx], gain)
    battle_months = per_run(p.beliefs.battle_days, n)[idx, None] / DAYS_PER_MONTH
    cost = per_side(p.costs.per_month, n)[idx]
    values = war_values_compiled if s.kernel == "numba" else war_values
    w = values(
        k_now, forts, s.alpha[idx], s.beta[idx], cost * cmult * battle_months,
        int(p.beliefs.quadrature_nodes),
    )  # fmt: skip
    sup = p.support
    ms = minimum_share(
        w,
        per_side(sup.reference_share, n)[idx],
        per_side(sup.punishment, n)[idx] * s.punish_on[idx],
    )
    ms = renege_minimum(
        ms, per_side(p.renege.probability, n)[idx], per_side(p.renege.penalty, n)[idx]
    )
    if p.initiator >= 0:
        conc = per_run(p.policy.concession, n)[idx]
        ms[:, p.initiator] -= conc
        other = 1 - p.initiator
        ms[:, other] = answered_demand(
            ms[:, other],
            conc,
            per_run(p.settlement.demand_response, n)[idx],
            per_run(p.settlement.demand_cap, n)[idx],
        )
    if p.threatener >= 0:
        cred = s.cred_a[idx] / (s.cred_a[idx] + s.cred_b[idx])
        weight = per_run(p.escalation.threat_bargaining_weight, n)[idx]
        ms[:, 1 - p.threatener] -= weight * cred * s.threat[idx]
    return ms


def blocked_by_commitment(s: WarState, p: WarParams, idx: NDArray[np.intp]) -> NDArray[np.bool_]:
    """Powell (2006) for the talking runs: the expected shift of power over the horizon."""
    n = s.n
    months = per_run(p.commitment.horizon_months, n)[idx]
    c = p.contest
    supply = per_side(p.forces.replenishment_per_day, n)[idx] + s.aid_force[idx]
    theta_h = projected_theta(
        s.force[idx],
        per_side(p.forces.effectiveness_per_day, n)[idx],
        per_run(p.attrition.beta, n)[idx],
        supply,
        months * DAYS_PER_MONTH,
        c.m, c.form, c.phi,
    )  # fmt: skip
    cost = per_side(p.costs.per_month, n)[idx] * months[:, None]
    delta = per_run(p.costs.discount_per_month, n)[idx] ** months
    enabled = per_run(p.commitment.enabled, n)[idx] > 0
    return enabled & commitment_blocks(s.theta[idx], theta_h, cost, delta)


def proposer_power(
    p: WarParams, t: int, u: FloatArray, idx: NDArray[np.intp], n: int
) -> FloatArray:
    """λ: A's share of the surplus under the proposer rule (split / alternating / random)."""
    power = per_run(p.settlement.power_A, n)[idx]
    if p.settlement.proposer == "split":
        return power
    if p.settlement.proposer == "alternating":
        return np.full(idx.size, 1.0 if t % 2 == 0 else 0.0)
    return (u < power).astype(float)


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """Open talks, and settle the runs whose range is non-empty, within bounds and credible."""
    open_talks(s, p)
    recognise = rng["settlement"].random(s.n)
    idx = np.flatnonzero(s.talks)
    if not idx.size:
        return
    ms = minimum_terms(s, p, idx)
    g = p.guarantees
    lo, hi = settlement_bounds(ms, per_side(g.g, s.n)[idx], per_side(g.credibility, s.n)[idx])
    bounds = np.broadcast_to(p.bounds_share, (s.n, 2))[idx]
    lo, hi = np.maximum(lo, bounds[:, 0]), np.minimum(hi, bounds[:, 1])
    ok = lo <= hi
    if ok.any():
        blocked = np.zeros(idx.size, dtype=bool)
        blocked[ok] = blocked_by_commitment(s, p, idx[ok])
        s.commitment_blocked[idx[blocked]] = True
        ok &= ~blocked
    done = idx[ok]
    lam = proposer_power(p, s.t, recognise[idx], idx, s.n)
    s.share[done] = split_terms(lo[ok], hi[ok], lam[ok])
    s.settle_step[done] = s.t
    mask = np.zeros(s.n, dtype=bool)
    mask[done] = True
    s.end(mask, SETTLEMENT)
