"""The commitment problem (Powell 2006) on constructed power paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from parley.scenario.load import load_scenario
from parley.war.commitment import commitment_blocks, projected_theta
from parley.war.contest import contest_probability
from parley.war.engine import simulate
from parley.war.params import compile_war

DATA = Path(__file__).parents[1] / "data" / "war_minimal.yaml"


def test_fighting_is_rational_exactly_while_the_shift_lasts() -> None:
    # B's chance p rises from 0.3 to 0.7 by 0.1 per period over periods 5..9, then stays.
    p_b = np.array([0.3] * 6 + [0.4, 0.5, 0.6, 0.7] + [0.7] * 5)
    theta = 1.0 - p_b  # A declines
    cost = np.array([0.02, 0.02])
    delta = 0.95
    blocked = commitment_blocks(theta[:-1], theta[1:], cost, delta)
    # By hand: while rising, 0.95·(p + 0.1) − p = 0.095 − 0.05·p ≥ 0.065 > 0.02 + 0.95·0.02 = 0.039;
    # when flat, 0.95·p − p < 0: no war.
    expected = [False] * 5 + [True] * 4 + [False] * 5
    assert blocked.tolist() == expected


def test_small_shift_does_not_block() -> None:
    # Shift 0.03 per period: 0.95·0.33 − 0.30 = 0.0135 < 0.039, so a deal is credible.
    assert not commitment_blocks(np.array([0.7]), np.array([0.67]), np.array([0.02, 0.02]), 0.95)[0]


def test_b_declining_is_symmetric() -> None:
    blocked = commitment_blocks(np.array([0.3]), np.array([0.5]), np.array([0.02, 0.02]), 0.95)
    assert blocked[0]  # θ rises: A's chance 0.3 → 0.5, 0.95·0.5 − 0.3 = 0.175 > 0.039


def test_projection_without_fighting_is_replenishment() -> None:
    # No kill rates: forces grow linearly, F = F0 + r·days; θ from the ratio contest.
    force = np.array([[1.0, 1.0]])
    th = projected_theta(force, np.zeros((1, 2)), 0.75, np.array([[0.0, 0.01]]), 100.0, 1.0,
                         "ratio", 0.0)  # fmt: skip
    assert th[0] == contest_probability(1.0, 2.0)  # 1 / (1 + 2)


def test_engine_blocks_a_deal_until_the_shift_is_over() -> None:
    sc = load_scenario(DATA)
    base = {
        "war.beliefs.A.mean": 0.5,
        "war.beliefs.B.mean": 0.5,  # equal priors: a deal exists at once
        "war.forces.A.effectiveness_per_day": 0.0,
        "war.forces.B.effectiveness_per_day": 0.0,
        "war.forces.A.replenishment_per_day": 0.0,
        "war.forces.B.replenishment_per_day": 0.02,  # B grows fast: A's chance falls
        "war.supporters.ally.force_per_bn": 0.0,
        "war.time.horizon_steps": 1,
    }
    free = simulate(compile_war(sc, base), 20, 0, record_paths=False)
    assert free["settled"].values.all()
    on = {**base, "war.commitment.enabled": True}
    ds = simulate(compile_war(sc, on), 20, 0, record_paths=False)
    assert not ds["settled"].values.any()
    assert ds["commitment_blocked"].values.all()
    still = {**on, "war.forces.B.replenishment_per_day": 0.0}  # no shift: credible again
    assert simulate(compile_war(sc, still), 20, 0, record_paths=False)["settled"].values.all()
