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
from parley.war.state import WarState

FloatArray = NDArray[np.float64]
HORIZONS_YEARS = (1.0, 5.0, 10.0)
KILLED_SHARE = 1.0 / 3.0


def settlement_terms(p: WarParams, share: FloatArray, settled: NDArray[np.bool_]) -> FloatArray:
    """``(runs, issues)`` terms on each issue's scale, NaN for runs without a settlement.

    The stakeholder model sets the terms; each issue is then held inside every side's bounds
    (``war.issue_bounds``): the bounds decide whether a deal exists (in the negotiation) and
    where its terms may lie.
    """
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
            p.settlement.terms_model,
        )
    bounds = p.issue_bounds
    for j, issue in enumerate(getattr(bounds, "issue", ())):
        k = st.issue_ids.index(issue)
        lo, hi = np.asarray(bounds.min)[..., j], np.asarray(bounds.max)[..., j]
        out[:, k] = np.where(np.isnan(lo), out[:, k], np.maximum(out[:, k], lo))
        out[:, k] = np.where(np.isnan(hi), out[:, k], np.minimum(out[:, k], hi))
    return out


def powell_trigger(
    p: WarParams, force: FloatArray, replenishment: FloatArray, aid_force: FloatArray
) -> NDArray[np.bool_]:
    """Whether the projected power shift makes renewed war rational for the declining side."""
    n = force.shape[0]
    months = np.broadcast_to(np.asarray(p.durability.powell_horizon_months, dtype=float), (n,))
    days = months * DAYS_PER_MONTH
    c = p.contest
    theta = contest_probability(force[:, 0], force[:, 1], c.m, c.form, c.phi)
    future = force + (replenishment + aid_force) * days[:, None]
    theta2 = contest_probability(future[:, 0], future[:, 1], c.m, c.form, c.phi)
    cost = np.broadcast_to(np.asarray(p.costs.per_month, dtype=float), (n, 2)) * months[:, None]
    g = p.guarantees
    qg = np.broadcast_to(np.asarray(g.g * g.credibility, dtype=float), (n, 2))
    delta = np.asarray(p.costs.discount_per_month, dtype=float) ** months
    # A declining: B's win probability 1−θ rises; the guarantee protecting B burdens A.
    a_fights = powell_war_rational(1 - theta, 1 - theta2, cost[:, 0] + qg[:, 1], cost[:, 1], delta)
    b_fights = powell_war_rational(theta, theta2, cost[:, 1] + qg[:, 0], cost[:, 0], delta)
    return np.asarray(a_fights | b_fights)


def linear_predictor(
    p: WarParams, model: DurabilityModel, casualties: FloatArray, war_years: FloatArray
) -> FloatArray:
    """Σ β_j (z_j − z̄_j) of the renewal hazard for each run (see the module docstring)."""
    deaths = casualties.sum(axis=-1) * KILLED_SHARE
    d = p.durability
    return np.asarray(
        dur.linear_predictor(
            model,
            agreement=d.agreement,
            comprehensive=np.asarray(d.comprehensive, dtype=float),
            peacekeepers=np.asarray(d.peacekeepers, dtype=float),
            interstate=np.asarray(d.interstate, dtype=float),
            log_battle_deaths=np.log(np.maximum(deaths, 1.0)),
            war_years=war_years,
        ),
        dtype=float,
    )


def renege_survival(p: WarParams, years: float, n: int) -> FloatArray:
    """Probability that neither side's feared renege happens within ``years``.

    Each side's renege probability r over k years (``war.renege``) is read as a constant hazard,
    ``P(no renege in t) = (1 − r)^(t/k)``; the two sides' fears are taken as independent causes.
    """
    r = np.broadcast_to(np.asarray(p.renege.probability, dtype=float), (n, 2))
    k = np.broadcast_to(np.asarray(p.renege.years, dtype=float), (n,))
    return np.asarray(np.prod((1.0 - r) ** (years / k)[:, None], axis=-1))


def durability_draws(
    p: WarParams, s: WarState, rng: np.random.Generator
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``held (runs, 3)`` for 1/5/10 years (1/0, NaN if not settled) and the trigger flags.

    The renewal probability combines the durability model with the renege risk as independent
    causes: ``P(held t) = (1 − P_renew(t))·P(no renege in t)``.
    """
    n = s.n
    settled = s.outcome == 1
    u = rng.random(n)
    repl = np.broadcast_to(np.asarray(p.forces.replenishment_per_day, dtype=float), (n, 2))
    trig = settled & powell_trigger(p, s.force, repl, s.aid_force)
    held = np.full((n, len(HORIZONS_YEARS)), np.nan)
    model = dur.default_model()
    war_years = np.nan_to_num(s.settle_step + 1.0) * p.step_days / 365.25
    lp = linear_predictor(p, model, s.casualties, war_years)
    mult = np.broadcast_to(np.asarray(p.durability.trigger_multiplier, dtype=float), (n,))
    mult = np.where(np.isnan(mult), np.inf, mult)
    certain = trig & np.isinf(mult)
    lp = lp + np.where(trig & ~certain, np.log(np.where(np.isinf(mult), 1.0, mult)), 0.0)
    agreement = p.durability.agreement
    for j, years in enumerate(HORIZONS_YEARS):
        prob = np.asarray(dur.renewal_probability(model, agreement, 0.0, years, lp), dtype=float)
        keep = (1.0 - prob) * renege_survival(p, years, n)
        ok = (u >= 1.0 - keep) & ~certain
        held[:, j] = np.where(settled, ok.astype(float), np.nan)
    return held, trig
