"""Mechanism "forces": attrition, replenishment, aid, and stochastic losses (war-model §5).

Forces follow the Lanchester law with a fitted exponent (:mod:`parley.war.attrition`, RK4),
replenished by mobilisation and by aid (:mod:`parley.war.mechanisms.supporters`). Mobilisation is
a lever: ``forces.<side>.mobilisation`` multiplies replenishment, at a political cost of
``support.<side>.mobilisation_cost`` of public support per unit of extra mobilisation, taken
once at the start (:func:`parley.war.state.initial_state`; an assumption after the fall in
approval that followed Russia's partial mobilisation of September 2022). The expected
losses of the step become casualties drawn from a negative binomial when
``war.forces.<side>.loss_dispersion`` is set (:mod:`parley.war.losses`); the force lost is then
the drawn casualties over ``casualties_per_force_unit``. Offensives cost more: with
``war.forces.<side>.loss_intensity_per_1000km2 = β1`` the expected losses of the step (and the
force they remove) scale by ``exp(β1·I)``, ``I`` the front's movement in the previous step in
thousands of km² per week (the negative-binomial regression of ``parley calibrate losses``,
:mod:`parley.analysis.losses_fit`; the previous step because the front moves after the forces in
the mechanism order). Stream: ``losses`` (one draw per live run and side per step, when any
dispersion is set).
"""

from __future__ import annotations

import numpy as np

from parley.war.attrition import attrition_step
from parley.war.losses import negative_binomial_losses
from parley.war.params import WarParams
from parley.war.state import WarState, per_run, per_side

Streams = dict[str, np.random.Generator]


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """Advance the forces of active runs by one step and add their casualties."""
    n, fp = s.n, p.forces
    live = np.flatnonzero(s.active)
    supply = per_side(fp.replenishment_per_day, n) * per_side(fp.mobilisation, n) + s.aid_force
    new_force, lost = attrition_step(
        s.force[live],
        per_side(fp.effectiveness_per_day, n)[live],
        per_run(p.attrition.beta, n)[live],
        supply[live],
        p.step_days,
        int(p.attrition.substeps),
    )
    b1 = per_side(fp.loss_intensity_per_1000km2, n)
    if np.any(b1 != 0):
        weekly = np.abs(s.area - s.old_area) * (7.0 / p.step_days) / 1000.0
        factor = np.exp(b1[live] * weekly[live, None])
        new_force = np.maximum(new_force - lost * (factor - 1.0), 0.0)
        lost = lost * factor
    unit = per_side(fp.casualties_per_force_unit, n)
    k = np.asarray(fp.loss_dispersion, dtype=float)
    expected = np.zeros((n, 2))
    expected[live] = lost * unit[live]
    people = expected
    if not np.isnan(k).all():
        # draws for live runs only: negative-binomial draws use a variable amount of the stream
        # anyway, so a fixed shape would not keep later draws aligned across policies
        people = expected.copy()
        people[live] = negative_binomial_losses(expected[live], per_side(k, n)[live], rng["losses"])
        safe = np.where(unit[live] > 0, unit[live], 1.0)
        extra = np.where(unit[live] > 0, (people[live] - expected[live]) / safe, 0.0)
        new_force = np.maximum(new_force - extra, 0.0)
    s.force = s.force.copy()
    s.force[live] = new_force
    s.casualties = s.casualties + people
