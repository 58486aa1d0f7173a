"""Mechanism "escalation": threats, their credibility, and the catastrophe hazard (war-model §6).

The monthly hazard ``ρ = ρ0·exp(γ1·intensity + γ2·1{red line lost} + γ3·threat)`` (Powell 2015)
has a baseline ρ0 that no data pin down: it is an explicit assumption of the scenario, to be
varied over a range (``docs/war-model.md``), and outputs that depend on it are
assumption-driven. A losing threatener threatens with a monthly probability while its
cumulative risk stays below its resolve (Schelling 1966; Powell 1987). Threats act on aid
(:mod:`.supporters`) and on bargaining (:mod:`.negotiation`); a threat made and not carried out
lowers its credibility (Beta update). Stream: ``escalation`` (two uniforms per run).
"""

from __future__ import annotations

import numpy as np

from parley.war.escalation import escalation_hazard, keeps_threatening, resolve, step_probability
from parley.war.mechanisms.supporters import per_step
from parley.war.params import WarParams
from parley.war.politics import DAYS_PER_MONTH
from parley.war.state import CATASTROPHE, WarState

Streams = dict[str, np.random.Generator]


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """Draw threats and catastrophes; update credibility and the cumulative risk."""
    e, n = p.escalation, s.n
    months = p.step_days / DAYS_PER_MONTH
    u_threat, u_cat = rng["escalation"].random((2, n))
    if p.threatener >= 0:
        losing = (s.theta < 0.5) if p.threatener == 0 else (s.theta > 0.5)
        r = resolve(e.prevail, e.submit, e.disaster)
        threat = (
            s.active
            & losing
            & keeps_threatening(s.cum_risk, r)
            & (u_threat < per_step(e.threat_prob_per_month, months))
        )
    else:
        threat = np.zeros(n, dtype=bool)
    s.threat = threat.astype(float)
    intensity = np.abs(s.area - s.old_area) / (
        np.asarray(e.intensity_scale_km2_per_week) * p.step_days / 7.0
    )
    red = np.asarray(p.region.red_line_km2, dtype=float)
    red_lost = ~np.isnan(red) & (s.area < np.where(np.isnan(red), -np.inf, red))
    hazard = escalation_hazard(
        e.rho0_per_month, e.gamma_intensity, intensity, e.gamma_red_line, red_lost,
        e.gamma_threat, threat,
    )  # fmt: skip
    p_cat = step_probability(hazard, months)
    s.max_hazard = np.where(s.active, np.maximum(s.max_hazard, hazard), s.max_hazard)
    s.cum_risk = np.where(s.active, 1.0 - (1.0 - s.cum_risk) * (1.0 - p_cat), s.cum_risk)
    cat = s.active & (u_cat < p_cat)
    s.cred_b = s.cred_b + (threat & ~cat)
    s.catastrophe |= cat
    s.end(cat, CATASTROPHE)
