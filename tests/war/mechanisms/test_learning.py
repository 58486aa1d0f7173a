"""Own noisy signals: each side learns from the battles it observes (closed forms)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.scenario.load import load_scenario
from parley.war.engine import simulate
from parley.war.mechanisms.learning import observed
from parley.war.params import compile_war

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"


def test_full_observation_sees_every_battle() -> None:
    w, l_ = observed(np.array([3.0, 0.0]), np.array([1.0, 2.0]), np.ones((2, 2)),
                     np.random.default_rng(0))  # fmt: skip
    assert w.tolist() == [[3, 3], [0, 0]] and l_.tolist() == [[1, 1], [2, 2]]


def test_thinned_counts_are_binomial() -> None:
    n = 100_000
    q = np.tile([0.3, 0.9], (n, 1))
    w, _ = observed(np.full(n, 10.0), np.zeros(n), q, np.random.default_rng(0))
    assert w[:, 0].mean() == pytest.approx(3.0, abs=4 * np.sqrt(2.1 / n))
    assert w[:, 0].var() == pytest.approx(10 * 0.3 * 0.7, rel=0.03)
    assert w[:, 1].mean() == pytest.approx(9.0, abs=4 * np.sqrt(0.9 / n))


def test_each_side_learns_at_its_own_speed() -> None:
    # Fixed θ = 0.6, one battle a week for 100 weeks, no absorption (1,000 forts), no talks.
    # Prior Beta(5, 5). A sees every battle, B one in five. Expected posterior means (ratio of
    # expectations): A (5 + 0.6·100)/(10 + 100) = 0.5909, B (5 + 0.6·20)/(10 + 20) = 0.5667.
    sc = load_scenario(DATA)
    theta = 0.6
    ov = {
        "war.front.form": "forts",
        "war.region.forts": 1000,
        "war.region.initial_area_km2": 50000.0,
        "war.contest.form": "logistic",
        "war.contest.phi": -float(np.log(theta / (1 - theta))),
        "war.forces.A.effectiveness_per_day": 0.0,
        "war.forces.B.effectiveness_per_day": 0.0,
        "war.supporters.ally.force_per_bn": 0.0,
        "war.beliefs.battle_days": 7.0,
        "war.beliefs.A.mean": 0.5,
        "war.beliefs.B.mean": 0.5,
        "war.beliefs.B.observation_share": 0.2,
        "war.policy.negotiate_from_step": 10**6,
        "war.escalation.rho0_per_month": 0.0,
        "war.time.horizon_steps": 100,
    }
    ds = simulate(compile_war(sc, ov), 3000, 2)
    final = ds["belief_A"].values[:, -1, :].astype(float)
    assert final[:, 0].mean() == pytest.approx(65 / 110, abs=0.004)
    assert final[:, 1].mean() == pytest.approx(17 / 30, abs=0.006)
    # the less informed side stays further from θ in most runs
    assert np.median(np.abs(final[:, 1] - theta)) > np.median(np.abs(final[:, 0] - theta))
