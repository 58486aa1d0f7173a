"""Donor aid: Gaussian-copula common shock, substitution, fatigue (closed forms)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from parley.scenario.load import load_scenario
from parley.war.engine import simulate
from parley.war.mechanisms.supporters import coupled_uniforms, per_step, substitute
from parley.war.params import compile_war

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"


def test_no_common_shock_keeps_the_uniforms() -> None:
    g = np.random.default_rng(0)
    v, c, b = g.random((100, 3)), g.random(100), g.random(100)
    np.testing.assert_array_equal(coupled_uniforms(v, c, b, np.zeros(100)), v)


def test_full_common_shock_moves_donors_together() -> None:
    g = np.random.default_rng(0)
    v, c, b = g.random((100, 3)), g.random(100), g.random(100)
    u = coupled_uniforms(v, c, b, np.ones(100))
    np.testing.assert_array_equal(u, np.repeat(c[:, None], 3, axis=1))


def test_joint_switch_probability() -> None:
    n, rho, p = 200_000, 0.5, 0.1
    g = np.random.default_rng(2)
    u = coupled_uniforms(g.random((n, 2)), g.random(n), g.random(n), np.full(n, rho))
    both = rho * p + (1 - rho) * p * p  # 0.055
    sim = np.mean((u[:, 0] < p) & (u[:, 1] < p))
    assert sim == pytest.approx(both, abs=4 * np.sqrt(both / n))
    assert stats.kstest(u[:, 0], "uniform").pvalue > 1e-3  # marginals stay uniform


def test_substitution_by_hand() -> None:
    # Side B donors: d0 cut from 40 to 10 (shortfall 30); d1 (20, high) and d2 (10, high) make up
    # half of it in proportion to their aid: +15·20/30 = +10 and +15·10/30 = +5.
    level = np.array([[10.0, 20.0, 10.0]])
    high = np.array([[40.0, 20.0, 10.0]])
    is_high = np.array([[False, True, True]])
    onehot = np.array([[0, 1], [0, 1], [0, 1]], dtype=float)
    out = substitute(level, high, is_high, onehot, 0.5)
    np.testing.assert_allclose(out, [[10.0, 30.0, 15.0]])


def test_per_step_probability() -> None:
    # monthly 0.1 over a quarter month: 1 − 0.9^0.25
    assert per_step(0.1, 0.25) == pytest.approx(1 - 0.9**0.25)


def test_fatigue_shortens_high_aid() -> None:
    sc = load_scenario(DATA)
    ov = {
        "war.policy.negotiate_from_step": 10**6,
        "war.supporters.ally.p_high_to_low_per_month": 0.05,
        "war.supporters.ally.p_low_to_high_per_month": 0.0,
        "war.time.horizon_steps": 52,
        "war.forces.A.collapse_fraction": 0.0,
        "war.forces.B.collapse_fraction": 0.0,
    }
    n = 4000
    a = simulate(compile_war(sc, ov), n, 1)["aid"].values[:, -1, 1]
    b = simulate(compile_war(sc, {**ov, "war.supporters.ally.fatigue_per_year": 2.0}), n, 1)
    high = 40.0  # the default high level
    months = 52 * 7 / (365.25 / 12)
    # P(still high after a year) = Π_t (1 − p_t)^Δ; without fatigue 0.95^months
    share_a = np.mean(np.isclose(a, high))
    assert share_a == pytest.approx(0.95**months, abs=4 * np.sqrt(0.25 / n))
    step_m = 7 / (365.25 / 12)
    years = np.arange(52) * 7 / 365.25
    expected = np.prod((1 - 0.05 * (1 + 2.0 * years)) ** step_m)
    share_b = np.mean(np.isclose(b["aid"].values[:, -1, 1], high))
    assert share_b == pytest.approx(expected, abs=4 * np.sqrt(0.25 / n))
