"""Smith & Stam (2004) gambler's-ruin formulas against independent references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from parley.war.beliefs import (
    beta_quadrature,
    expected_battles,
    update_beliefs,
    war_values,
    war_values_reference,
    win_probability,
)


def _markov_chain_reference(k: int, n: int, theta: float) -> tuple[float, float]:
    """Absorption probability at N and expected steps, by solving the first-step equations
    P(j) = θP(j+1) + (1−θ)P(j−1), D(j) = 1 + θD(j+1) + (1−θ)D(j−1), P(0)=0, P(N)=1, D(0)=D(N)=0."""
    m = n - 1
    a = np.eye(m)
    bp = np.zeros(m)
    for j in range(1, n):
        i = j - 1
        if j + 1 < n:
            a[i, i + 1] -= theta
        else:
            bp[i] += theta
        if j - 1 > 0:
            a[i, i - 1] -= 1 - theta
    p = np.linalg.solve(a, bp)
    d = np.linalg.solve(a, np.ones(m))
    return float(p[k - 1]), float(d[k - 1])


def test_hand_calculation_four_forts() -> None:
    # θ = 0.6, r = 2/3, k = 2, N = 4: P = (1 − 4/9)/(1 − 16/81) = 45/65 = 9/13.
    assert win_probability(2, 4, 0.6) == pytest.approx(9 / 13, rel=1e-12)
    # D = k/(1−2θ) − N/(1−2θ)·P = −10 + 20·9/13 = 50/13.
    assert expected_battles(2, 4, 0.6) == pytest.approx(50 / 13, rel=1e-12)


def test_fair_game_limits() -> None:
    assert win_probability(3, 10, 0.5) == pytest.approx(0.3)
    assert expected_battles(3, 10, 0.5) == pytest.approx(21.0)
    # continuity across θ = ½
    assert win_probability(3, 10, 0.5 + 1e-7) == pytest.approx(0.3, abs=1e-5)
    assert expected_battles(3, 10, 0.5 + 2e-5) == pytest.approx(21.0, rel=1e-4)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 25),
    frac=st.floats(0.0, 1.0),
    theta=st.floats(0.02, 0.98).filter(lambda t: abs(t - 0.5) > 1e-3),
)
def test_against_markov_chain(n: int, frac: float, theta: float) -> None:
    k = min(n - 1, max(1, round(frac * n)))
    p_ref, d_ref = _markov_chain_reference(k, n, theta)
    assert win_probability(k, n, theta) == pytest.approx(p_ref, rel=1e-7, abs=1e-10)
    assert expected_battles(k, n, theta) == pytest.approx(d_ref, rel=1e-6, abs=1e-8)


def test_no_overflow_for_many_forts() -> None:
    p = win_probability(np.array([1.0, 500.0, 999.0]), 1000, np.array([0.05, 0.5, 0.95]))
    assert np.all(np.isfinite(p))
    assert p[0] == pytest.approx(0.0, abs=1e-300)
    assert p[1] == pytest.approx(0.5)
    assert p[2] == pytest.approx(1.0)


@pytest.mark.parametrize("a,b", [(2.0, 3.0), (6.0, 4.0), (60.0, 40.0), (300.0, 700.0)])
def test_quadrature_matches_adaptive_integration(a: float, b: float) -> None:
    theta, w = beta_quadrature(np.array(a), np.array(b), nodes=16)
    mean = float((w * theta).sum())
    assert mean == pytest.approx(a / (a + b), rel=1e-5)
    e_p = float((w * win_probability(4, 10, theta)).sum())
    ref, _ = integrate.quad(lambda t: win_probability(4, 10, t) * stats.beta.pdf(t, a, b), 0, 1)
    assert e_p == pytest.approx(ref, rel=1e-4, abs=1e-7)


def test_war_values_equal_priors_leave_a_surplus() -> None:
    # Same beliefs: W_A + W_B = 1 − (c_A + c_B)·E[D] ≤ 1, so a settlement exists at once.
    alpha = np.array([[5.0, 5.0]])
    beta = np.array([[5.0, 5.0]])
    cost = np.array([[0.01, 0.02]])
    w = war_values(4.0, 10.0, alpha, beta, cost, nodes=16)
    ref_d, _ = integrate.quad(lambda t: expected_battles(4, 10, t) * stats.beta.pdf(t, 5, 5), 0, 1)
    assert w.sum() == pytest.approx(1.0 - 0.03 * ref_d, abs=2e-4)
    assert w.sum() <= 1.0


def test_update_counts_battles() -> None:
    a = np.array([[1.0, 2.0], [1.0, 2.0]])
    b = np.array([[3.0, 4.0], [3.0, 4.0]])
    a2, b2 = update_beliefs(a, b, np.array([True, False]), np.array([True, True]))
    assert a2.tolist() == [[2.0, 3.0], [1.0, 2.0]]
    assert b2.tolist() == [[3.0, 4.0], [4.0, 5.0]]
    a3, b3 = update_beliefs(a, b, np.array([True, False]), np.array([False, False]))
    assert (a3 == a).all() and (b3 == b).all()


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(2, 60),
    frac=st.floats(0.0, 1.0),
    a0=st.floats(0.5, 80.0),
    b0=st.floats(0.5, 80.0),
    c=st.floats(0.0, 0.05),
)
def test_shared_belief_war_values_equal_the_direct_evaluation(
    n: int, frac: float, a0: float, b0: float, c: float
) -> None:
    # runs sharing beliefs (as after whole battles from a common prior) and some that do not
    rng = np.random.default_rng(int(a0 * 1000) % 2**32)
    m = 40
    alpha = a0 + rng.integers(0, 5, (m, 2)).astype(float)
    beta = b0 + rng.integers(0, 5, (m, 2)).astype(float)
    alpha[::7] += 0.123
    k = np.clip(frac * n + rng.normal(0, 1, m), 0, n)
    cost = np.full((m, 2), c)
    fast = war_values(k, n, alpha, beta, cost)
    slow = war_values_reference(k, n, alpha, beta, cost)
    np.testing.assert_allclose(fast, slow, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(n=st.integers(2, 200), frac=st.floats(0, 1), theta=st.floats(0.001, 0.999))
def test_gamblers_ruin_symmetry_and_bounds(n: int, frac: float, theta: float) -> None:
    k = round(frac * n)
    p = float(win_probability(k, n, theta))
    d = float(expected_battles(k, n, theta))
    assert 0.0 <= p <= 1.0 and d >= 0.0
    # relabelling the sides: P_win(k|θ) = 1 − P_win(N−k|1−θ), D(k|θ) = D(N−k|1−θ)
    assert p == pytest.approx(1 - float(win_probability(n - k, n, 1 - theta)), abs=1e-9)
    assert d == pytest.approx(float(expected_battles(n - k, n, 1 - theta)), rel=1e-6, abs=1e-6)
    # a better chance per battle never lowers the chance of winning the war
    assert float(win_probability(k, n, min(theta + 0.01, 0.999))) >= p - 1e-12
