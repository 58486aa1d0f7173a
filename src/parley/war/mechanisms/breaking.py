"""Mechanism "breaking": how a side collapses (issue 10, B6 and B8).

No army collapses as the deterministic end of an equation. Each run draws each side's breaking
point — a fraction of its initial force, log-normal around ``collapse_fraction`` with spread
``breaking_point_sd`` (the breakpoint hypothesis of combat modelling: units break at widely
varying loss levels; Helmbold 1964; Dupuy 1987, *Understanding War*) — and while the force is
below it the army breaks with monthly hazard ``breaking_hazard_per_month`` (unset: at once, the
v1 threshold). The home front breaks too: mutiny, coup or revolution with a hazard rising as
support falls below the replacement threshold (:func:`parley.war.politics.unrest_probability`).
A front at the edge of the region is total victory. A breaks first when both would.
Stream: ``breaking`` (the breaking points at the start; two uniforms per run and side a step).
"""

from __future__ import annotations

import numpy as np

from parley.war.params import WarParams
from parley.war.politics import DAYS_PER_MONTH, unrest_probability
from parley.war.state import COLLAPSE_A, COLLAPSE_B, WarState, per_run, per_side

Streams = dict[str, np.random.Generator]


def break_probability(hazard_per_month: np.ndarray, months: float) -> np.ndarray:
    """``1 − exp(−h·Δ)``; a NaN hazard (unset) means certain breaking (probability 1)."""
    h = np.asarray(hazard_per_month, dtype=float)
    return np.asarray(np.where(np.isnan(h), 1.0, -np.expm1(-np.nan_to_num(h) * months)))


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """End the runs in which a side's army or home front breaks, or the front reaches an edge."""
    n, fp = s.n, p.forces
    u_army, u_home = rng["breaking"].random((2, n, 2))
    live = np.flatnonzero(s.active)  # ended runs cannot break again
    below = s.force[live] < s.breakpoint[live] * s.force0[live]
    months = p.step_days / DAYS_PER_MONTH
    hazard = per_side(fp.breaking_hazard_per_month, n)[live]
    sp = p.support
    home = u_home[live] < unrest_probability(
        s.support[live],
        per_side(sp.replacement_threshold, n)[live],
        per_side(sp.unrest_hazard_per_month, n)[live],
        p.step_days,
    )
    broke = np.zeros((n, 2), dtype=bool)
    broke[live] = (below & (u_army[live] < break_probability(hazard, months))) | home
    if p.front.form == "forts":
        edge_a, edge_b = s.k_fort <= 0, s.k_fort >= per_run(p.region.forts, n)
    else:
        edge_a = s.area <= per_run(p.region.area_min_km2, n)
        edge_b = s.area >= per_run(p.region.area_max_km2, n)
    lost_a = s.active & (broke[:, 0] | edge_a)
    lost_b = s.active & ~lost_a & (broke[:, 1] | edge_b)
    s.end(lost_a, COLLAPSE_A)
    s.end(lost_b, COLLAPSE_B)
