"""After a settlement: multi-issue terms and whether the settlement holds.

Terms: :func:`parley.war.bargaining.issue_terms` over all settled runs at once.

Durability (war-model §7): renewal hazard ``h(t) = h0(t)·exp(Σ β_j z_j)`` with a Weibull baseline
fitted to the UCDP episode-recurrence data and hazard ratios from the shipped table
(:mod:`parley.war.durability`). Covariates: agreement type, comprehensiveness, peacekeepers,
inter-state war, log battle deaths (casualties / 3 as the killed share of killed-and-wounded, a
documented assumption) and war duration. Structural trigger (Powell 2006; Werner 1999): if over
``powell_horizon_months`` the projected shift of power (forces replenished without fighting, aid
at its current level) makes war rational for the declining side — ``δ·p' − p > c_decl + δ·c_rise``
with the renewing side's cost raised by the guarantee ``q·g`` protecting the other — renewal is
certain (or its hazard multiplied by ``trigger_multiplier``). One uniform draw per run decides all
three horizons, so ``held_10y ⇒ held_5y ⇒ held_1y``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.war import durability as dur
from parley.war.bargaining import issue_terms, powell_war_rational
from parley.war.contest import contest_probability
from parley.war.durability import DurabilityModel
from parley.war.params import WarParams
from parley.war.politics import DAYS_PER_MONTH

FloatArray = NDArray[np.float64]
HORIZONS_YEARS = (1.0, 5.0, 10.0)
KILLED_SHARE = 1.0 / 3.0


def settlement_terms(p: WarParams, share: FloatArray, settled: NDArray[np.bool_]) -> FloatArray:
    """``(runs, issues)`` terms on each issue's scale, NaN for runs without a settlement."""
    st = p.stakeholders
    out = np.full((share.shape[0], len(st.issue_ids)), np.nan)
    idx = np.flatnonzero(settled)
    if idx.size:
        out[idx] = issue_terms(
            share[idx],
            st.position,
            st.salience,
            st.capability,
            st.scale_min,
            st.scale_max,
            st.index_A,
            st.index_B,
            p.terms_model,
        )
    return out


def powell_trigger(
    p: WarParams, force: FloatArray, replenishment: FloatArray, aid_force: FloatArray
) -> NDArray[np.bool_]:
    """Whether the projected power shift makes renewed war rational for the declining side."""
    n = force.shape[0]
    months = np.broadcast_to(np.asarray(p.powell_horizon_months, dtype=float), (n,))
    days = months * DAYS_PER_MONTH
    theta = contest_probability(
        force[:, 0], force[:, 1], p.contest_m, p.contest_form, p.contest_phi
    )
    future = force + (replenishment + aid_force) * days[:, None]
    theta2 = contest_probability(
        future[:, 0], future[:, 1], p.contest_m, p.contest_form, p.contest_phi
    )
    cost = np.broadcast_to(np.asarray(p.cost_per_month, dtype=float), (n, 2)) * months[:, None]
    qg = np.broadcast_to(np.asarray(p.guarantee * p.guarantee_credibility, dtype=float), (n, 2))
    delta = np.asarray(p.discount_per_month, dtype=float) ** months
    # A declining: B's win probability 1−θ rises; the guarantee protecting B burdens A.
    a_fights = powell_war_rational(1 - theta, 1 - theta2, cost[:, 0] + qg[:, 1], cost[:, 1], delta)
    b_fights = powell_war_rational(theta, theta2, cost[:, 1] + qg[:, 0], cost[:, 0], delta)
    return np.asarray(a_fights | b_fights)


def linear_predictor(
    p: WarParams, model: DurabilityModel, casualties: FloatArray, war_years: FloatArray
) -> FloatArray:
    """Σ β_j (z_j − z̄_j) of the renewal hazard for each run (see the module docstring)."""
    deaths = casualties.sum(axis=-1) * KILLED_SHARE
    return np.asarray(
        dur.linear_predictor(
            model,
            agreement=p.agreement,
            comprehensive=np.asarray(p.comprehensive, dtype=float),
            peacekeepers=np.asarray(p.peacekeepers, dtype=float),
            interstate=np.asarray(p.interstate, dtype=float),
            log_battle_deaths=np.log(np.maximum(deaths, 1.0)),
            war_years=war_years,
        ),
        dtype=float,
    )


def durability_draws(
    p: WarParams,
    settled: NDArray[np.bool_],
    share: FloatArray,
    force: FloatArray,
    replenishment: FloatArray,
    aid_force: FloatArray,
    casualties: FloatArray,
    settle_step: FloatArray,
    rng: np.random.Generator,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``held (runs, 3)`` for 1/5/10 years (1/0, NaN if not settled) and the trigger flags."""
    n = settled.shape[0]
    u = rng.random(n)
    trig = settled & powell_trigger(p, force, replenishment, aid_force)
    held = np.full((n, len(HORIZONS_YEARS)), np.nan)
    model = dur.default_model()
    war_years = np.nan_to_num(settle_step + 1.0) * p.step_days / 365.25
    lp = linear_predictor(p, model, casualties, war_years)
    mult = np.broadcast_to(np.asarray(p.trigger_multiplier, dtype=float), (n,))
    certain = trig & np.isinf(mult)
    lp = lp + np.where(trig & ~certain, np.log(np.where(np.isinf(mult), 1.0, mult)), 0.0)
    for j, years in enumerate(HORIZONS_YEARS):
        prob = np.asarray(dur.renewal_probability(model, p.agreement, 0.0, years, lp), dtype=float)
        ok = (u >= prob) & ~certain
        held[:, j] = np.where(settled, ok.astype(float), np.nan)
    return held, trig
