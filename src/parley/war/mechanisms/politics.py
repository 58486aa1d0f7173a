"""Mechanism "politics": public support by regime type and leader replacement (war-model §6).

Support falls with the logarithm of cumulative casualties (Mueller 1973; Gartner & Segura 1998),
scaled by the regime's casualty sensitivity (:data:`parley.war.politics.REGIME_SENSITIVITY`);
below a threshold the leader may be replaced, and a new leader no longer fears punishment for a
moderate settlement (gambling for resurrection ends; Goemans 2000; Croco 2011).
Stream: ``politics`` (one uniform per run and side).
"""

from __future__ import annotations

import numpy as np

from parley.war.params import WarParams
from parley.war.politics import public_support, regime_sensitivity, replacement_probability
from parley.war.state import WarState, per_side

Streams = dict[str, np.random.Generator]


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """Update support and draw leader replacements for active runs."""
    sp, n = p.support, s.n
    u = rng["politics"].random((n, 2))
    live = np.flatnonzero(s.active)  # ended runs keep their support and leaders
    slope = per_side(sp.log_casualty_slope, n)[live] * regime_sensitivity(sp.regime)
    support = public_support(s.support0[live], slope, s.casualties[live])
    p_rep = replacement_probability(
        support,
        per_side(sp.replacement_threshold, n)[live],
        per_side(sp.replacement_hazard_per_month, n)[live],
        p.step_days,
    )
    s.support = s.support.copy()
    s.support[live] = support
    s.punish_on = s.punish_on.copy()
    s.punish_on[live] = np.where(u[live] < p_rep, 0.0, s.punish_on[live])
