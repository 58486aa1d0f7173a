"""Breaking points: hazard below the breaking point, home-front unrest (closed forms)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.war.engine import COLLAPSE_A, simulate
from parley.war.mechanisms.breaking import break_probability
from parley.war.params import compile_war
from parley.war.politics import DAYS_PER_MONTH, unrest_probability

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"
QUIET = {
    "war.policy.negotiate_from_step": 10**6,
    "war.escalation.rho0_per_month": 0.0,
    "war.forces.B.collapse_fraction": 0.0,
    "war.front.sigma_km2_per_sqrt_day": 0.0,
    "war.front.manoeuvre_sigma_km2_per_sqrt_day": 0.0,
    "war.front.manoeuvre_jump_rate_per_day": 0.0,
}


def test_break_probability() -> None:
    assert break_probability(np.array([0.2]), 0.5)[0] == pytest.approx(1 - np.exp(-0.1))
    assert break_probability(np.array([np.nan]), 0.5)[0] == 1.0


def test_unrest_probability_by_hand() -> None:
    # threshold 0.3, support 0.15: deficit ½; h = 0.2·½ = 0.1/month over one month
    p = unrest_probability(0.15, 0.3, 0.2, DAYS_PER_MONTH)
    assert p == pytest.approx(1 - np.exp(-0.1))
    assert unrest_probability(0.35, 0.3, 0.2, DAYS_PER_MONTH) == 0.0


def test_army_breaks_with_the_stated_hazard() -> None:
    # A's breaking point is its initial force: it is below it from the first step on.
    sc = load_scenario(DATA)
    h, steps, n = 0.1, 52, 20_000
    ov = {**QUIET, "war.forces.A.collapse_fraction": 1.0,
          "war.forces.A.breaking_hazard_per_month": h, "war.time.horizon_steps": steps}  # fmt: skip
    ds = simulate(compile_war(sc, ov), n, 0, record_paths=False)
    months = steps * 7 / DAYS_PER_MONTH
    expected = 1 - np.exp(-h * months)
    got = np.mean(ds["outcome"].values == COLLAPSE_A)
    assert got == pytest.approx(expected, abs=4 * np.sqrt(expected * (1 - expected) / n))


def test_unset_hazard_is_the_deterministic_threshold() -> None:
    sc = load_scenario(DATA)
    ov = {**QUIET, "war.forces.A.collapse_fraction": 1.0, "war.time.horizon_steps": 5}
    ds = simulate(compile_war(sc, ov), 50, 0, record_paths=False)
    assert np.all(ds["outcome"].values == COLLAPSE_A) and np.all(ds["end_step"].values == 0)


def test_breaking_point_spread_is_lognormal() -> None:
    from parley.war.state import initial_state  # noqa: PLC0415
    from parley.war.streams import generators  # noqa: PLC0415

    sc = load_scenario(DATA)
    p = compile_war(sc, {"war.forces.A.collapse_fraction": 0.2,
                         "war.forces.A.breaking_point_sd": 0.3})  # fmt: skip
    s = initial_state(p, 50_000, generators(0))
    logs = np.log(s.breakpoint[:, 0])
    assert np.median(s.breakpoint[:, 0]) == pytest.approx(0.2, rel=0.01)
    assert logs.std() == pytest.approx(0.3, rel=0.02)
    assert np.all(s.breakpoint[:, 1] == 0.1)  # B: default 0.1, no spread


def test_bad_values_are_scenario_errors() -> None:
    sc = load_scenario(DATA)
    for path, value in (
        ("war.forces.A.breaking_hazard_per_month", -1.0),
        ("war.forces.A.loss_dispersion", 0.0),
        ("war.support.A.unrest_hazard_per_month", 2.0),
        ("war.beliefs.A.observation_share", 0.0),
        ("war.aid_dynamics.common_shock", 1.5),
    ):
        with pytest.raises(ScenarioError, match=path.split(".")[-1]):
            compile_war(sc, {path: value})
