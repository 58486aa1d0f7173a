"""Mechanism "front": the occupied area moves (war-model §5).

A thin wrapper around :mod:`parley.war.front` (``front_drift_step``: the regime-switching step
and the moving positional drift; the regime array is opaque here), so a new front process drops in without touching the
engine. The discrete ("forts") form moves one fort per battle: ``k += wins − losses``, absorbed at
0 and N (Smith & Stam 2004). Stream: ``front``.
"""

from __future__ import annotations

import numpy as np

from parley.war import front as front_mod
from parley.war.contest import log_force_ratio
from parley.war.params import WarParams
from parley.war.state import WarState, per_run

Streams = dict[str, np.random.Generator]


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """Advance the front of every active run by one step."""
    s.old_area = s.area
    region = p.region
    if p.front.form == "forts":
        forts = per_run(region.forts, s.n)
        amin = per_run(region.area_min_km2, s.n)
        span = per_run(region.area_max_km2, s.n) - amin
        moved = np.clip(s.k_fort + 2.0 * s.wins - s.battles, 0.0, forts)
        s.k_fort = np.where(s.active, moved, s.k_fort)
        s.area = amin + span * s.k_fort / forts
        return
    rho = log_force_ratio(s.force[:, 0], s.force[:, 1])
    new_area, new_regime, dev = front_mod.front_drift_step(
        s.area, s.regime, s.drift_dev, rho, p.front_params, p.step_days, rng["front"]
    )
    s.drift_dev = np.where(s.active, dev, s.drift_dev)
    s.area = np.where(s.active, new_area, s.area)
    s.regime = np.where(s.active, new_regime, s.regime)
