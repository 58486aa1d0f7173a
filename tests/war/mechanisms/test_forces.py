"""Losses tied to front intensity: offensives cost more (closed form)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from parley.scenario.load import load_scenario
from parley.war.mechanisms import forces
from parley.war.params import compile_war
from parley.war.state import initial_state
from parley.war.streams import generators

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"


def _one_step(beta: float, moved_km2: float) -> tuple[np.ndarray, np.ndarray]:
    sc = load_scenario(DATA)
    ov = {
        "war.forces.A.loss_intensity_per_1000km2": beta,
        "war.forces.B.loss_intensity_per_1000km2": beta,
    }
    p = compile_war(sc, ov)
    rng = generators(5)
    s = initial_state(p, 4, rng)
    s.old_area = s.area.copy()
    s.area = s.area + moved_km2  # the front moved by this much in the previous (7-day) step
    before = s.force.copy()
    forces.step(s, p, rng)
    return s.casualties, before - s.force


def test_losses_scale_by_exp_beta_times_weekly_movement() -> None:
    # no dispersion set (loss_dispersion None): losses equal their expectation, so a step after
    # the front moved 2,000 km² in a week costs exp(0.3 · 2) = 1.822 times a quiet step's
    base, base_force = _one_step(0.0, 2000.0)
    hot, hot_force = _one_step(0.3, 2000.0)
    np.testing.assert_allclose(hot, base * math.exp(0.3 * 2.0), rtol=1e-12)
    # the force lost scales with the casualties (replenishment is the same in both)
    quiet, quiet_force = _one_step(0.3, 0.0)
    np.testing.assert_allclose(quiet, base, rtol=1e-12)
    extra = (hot - base) / 100000.0  # casualties_per_force_unit default
    np.testing.assert_allclose(hot_force - base_force, extra, rtol=1e-9)
    assert np.all(hot > base)


def test_zero_intensity_keeps_losses_bit_identical() -> None:
    a, fa = _one_step(0.0, 5000.0)
    b, fb = _one_step(0.0, 0.0)
    assert np.array_equal(a, b) and np.array_equal(fa, fb)
    assert a.shape == (4, 2) and a.min() > 0
    assert pytest.approx(float(a[0, 0])) == float(a[1, 0])
