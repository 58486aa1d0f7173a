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
    slope = per_side(sp.log_casualty_slope, n) * regime_sensitivity(sp.regime)
    act = s.active[:, None]
    s.support = np.where(act, public_support(s.support0, slope, s.casualties), s.support)
    p_rep = replacement_probability(
        s.support,
        per_side(sp.replacement_threshold, n),
        per_side(sp.replacement_hazard_per_month, n),
        p.step_days,
    )
    replaced = act & (rng["politics"].random((n, 2)) < p_rep)
    s.punish_on = np.where(replaced, 0.0, s.punish_on)
