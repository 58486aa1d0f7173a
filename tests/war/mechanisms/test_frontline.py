"""The front mechanism in the engine: the moving positional drift (closed forms)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from parley.scenario.load import load_scenario
from parley.war.engine import simulate
from parley.war.params import compile_war

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"
STILL = {
    "war.policy.negotiate_from_step": 10**6,
    "war.escalation.rho0_per_month": 0.0,
    "war.forces.A.collapse_fraction": 0.0,
    "war.forces.B.collapse_fraction": 0.0,
    "war.front.sigma_km2_per_sqrt_day": 0.0,
    "war.front.p_to_manoeuvre_per_day": 0.0,
    "war.front.initial_regime": "positional",
    "war.front.drift_km2_per_day": 20.0,
    "war.time.horizon_steps": 26,
}


def test_reverting_drift_moves_the_front_by_the_closed_form() -> None:
    # No noise: D_t = 20·e^{−θt}, so after 26 weeks the area grew by 20(1 − e^{−182θ})/θ.
    sc = load_scenario(DATA)
    theta = 0.01
    ov = {**STILL, "war.front.drift_reversion_per_day": theta}
    ds = simulate(compile_war(sc, ov), 20, 0, record_paths=False)
    expected = 40_000.0 + 20.0 * (1 - math.exp(-182 * theta)) / theta  # 41,677.5 km²
    assert ds["final_area_km2"].values == pytest.approx(np.full(20, expected))
    held = simulate(compile_war(sc, STILL), 20, 0, record_paths=False)
    assert held["final_area_km2"].values == pytest.approx(np.full(20, 40_000.0 + 20.0 * 182))


def test_drift_innovations_spread_the_front_as_the_integrated_random_walk() -> None:
    # θ = 0, q = 2 km²/day per √day: the area's sd after T days is q·T^{3/2}/√3 (Brownian drift).
    sc = load_scenario(DATA)
    ov = {**STILL, "war.front.drift_innovation_sd_km2_per_day": 2.0}
    n = 4000
    ds = simulate(compile_war(sc, ov), n, 1, record_paths=False)
    area = ds["final_area_km2"].values
    sd = 2.0 * 182**1.5 / math.sqrt(3.0)  # 2,837 km²
    assert area.mean() == pytest.approx(40_000.0 + 20.0 * 182, abs=4 * sd / math.sqrt(n))
    assert area.std() == pytest.approx(sd, rel=0.05)
