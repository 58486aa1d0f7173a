"""Fearon (1995), Powell (2006) and the settlement range against closed forms and hand derivations."""

from __future__ import annotations

import numpy as np
import pytest

from parley.war.bargaining import (
    fearon_range,
    issue_terms,
    minimum_share,
    powell_war_rational,
    screening_demand,
    settlement_bounds,
    split_terms,
)


@pytest.mark.parametrize("p,c_a,c_bar", [(0.5, 0.1, 0.3), (0.3, 0.02, 0.2), (0.6, 0.0, 0.1)])
def test_fearon_screening_reproduces_p_war(p: float, c_a: float, c_bar: float) -> None:
    # Closed form (Fearon 1995): demand p + (c̄ − c_A)/2, P(war) = (c̄ − c_A)/(2c̄).
    demand = float(screening_demand(p, c_a, c_bar))
    assert demand == pytest.approx(p + (c_bar - c_a) / 2, abs=c_bar / 4000 + 1e-12)
    rng = np.random.default_rng(11)
    n = 200_000
    c_b = rng.uniform(0.0, c_bar, n)
    _, hi = fearon_range(p, c_a, c_b)  # B accepts iff demand ≤ p + c_B
    war = demand > hi
    expected = (c_bar - c_a) / (2 * c_bar)
    se = np.sqrt(expected * (1 - expected) / n)
    assert war.mean() == pytest.approx(expected, abs=4 * se + 1e-3)


def test_fearon_no_war_when_own_cost_exceeds_cbar() -> None:
    p, c_a, c_bar = 0.5, 0.3, 0.2
    demand = float(screening_demand(p, c_a, c_bar))
    assert demand == pytest.approx(p, abs=1e-12)  # B accepts for every c_B ≥ 0
    c_b = np.random.default_rng(3).uniform(0, c_bar, 10_000)
    assert not np.any(demand > fearon_range(p, c_a, c_b)[1])


def test_fearon_range_never_empty_and_guarantees_widen_it() -> None:
    lo, hi = fearon_range(0.4, 0.05, 0.03)
    assert (float(lo), float(hi)) == pytest.approx((0.35, 0.43))
    lo2, hi2 = fearon_range(0.4, 0.05, 0.03, g_A=0.1, g_B=0.2)
    assert (float(lo2), float(hi2)) == pytest.approx((0.25, 0.63))


def _powell_brute_force(p_now: float, p_next: float, c_a: float, c_b: float, d: float) -> bool:
    """A (declining) fights iff its war value beats its best peace (hand derivation):
    war: (1 − p_now − c_A)/(1 − δ); best peace gives B nothing now and exactly its war value
    (p_next − c_B) per period from t+1 on: 1 + δ·(1 − p_next + c_B)/(1 − δ)."""
    war = (1 - p_now - c_a) / (1 - d)
    peace = 1 + d * (1 - p_next + c_b) / (1 - d)
    return war > peace


@pytest.mark.parametrize(
    "p_now,p_next,c_a,c_b,d",
    [
        (0.3, 0.6, 0.05, 0.05, 0.9),
        (0.3, 0.35, 0.05, 0.05, 0.9),
        (0.2, 0.9, 0.2, 0.2, 0.95),
        (0.5, 0.5, 0.01, 0.01, 0.99),
        (0.1, 0.25, 0.02, 0.03, 0.99),
        (0.1, 0.15, 0.02, 0.03, 0.99),
    ],
)
def test_powell_commitment_condition(
    p_now: float, p_next: float, c_a: float, c_b: float, d: float
) -> None:
    assert bool(powell_war_rational(p_now, p_next, c_a, c_b, d)) == _powell_brute_force(
        p_now, p_next, c_a, c_b, d
    )


def test_powell_on_a_constructed_power_path() -> None:
    # B's win probability over 6 periods; one big shift between periods 2 and 3.
    path = np.array([0.30, 0.31, 0.32, 0.55, 0.56, 0.57])
    c_a, c_b, d = 0.04, 0.04, 0.95
    fights = powell_war_rational(path[:-1], path[1:], c_a, c_b, d)
    # δ·p_{t+1} − p_t: 0.0, 0.0, 0.2025, −0.018, −0.028; threshold c_A + δ c_B = 0.078
    assert fights.tolist() == [False, False, True, False, False]


def test_settlement_exists_iff_war_values_sum_to_at_most_one() -> None:
    w = np.array([[0.5, 0.4], [0.6, 0.45], [0.55, 0.45]])
    lo, hi = settlement_bounds(w, 0.0, 1.0)
    assert (lo <= hi).tolist() == [True, False, True]
    # x = W_A + λ(1 − W_A − W_B)
    assert split_terms(lo[0], hi[0], 0.5) == pytest.approx(0.55)
    assert split_terms(lo[0], hi[0], 1.0) == pytest.approx(0.6)
    # a guarantee for B (g = 0.1, honoured with q = 0.6) lets A accept 0.06 less
    lo2, hi2 = settlement_bounds(w, np.array([0.0, 0.1]), np.array([1.0, 0.6]))
    assert lo2[1] == pytest.approx(0.54) and hi2[1] == pytest.approx(0.55)
    assert bool(lo2[1] <= hi2[1])


def test_leader_punishment_raises_the_minimum_share() -> None:
    # W = 0.3 below reference 0.5, π = 0.1: needs 0.4 (W + π < ref); π = 0.3: needs ref 0.5.
    assert minimum_share(0.3, 0.5, 0.1) == pytest.approx(0.4)
    assert minimum_share(0.3, 0.5, 0.3) == pytest.approx(0.5)
    assert minimum_share(0.6, 0.5, 0.3) == pytest.approx(0.6)


def test_issue_terms_compromise_by_hand() -> None:
    # actors A, B, S on 2 issues; A gets share 0.75 of joint capability 2 → 1.5, B → 0.5.
    pos = np.array([[100.0, 80.0], [0.0, 0.0], [20.0, np.nan]])
    sal = np.array([[1.0, 0.5], [1.0, 1.0], [0.5, np.nan]])
    cap = np.array([1.0, 1.0, 1.0])
    out = issue_terms(
        np.array([0.75]), pos, sal, cap, np.zeros(2), np.full(2, 100.0), 0, 1, "compromise"
    )
    # issue 1: (1.5·1·100 + 0.5·1·0 + 1·0.5·20)/(1.5 + 0.5 + 0.5) = 160/2.5 = 64
    # issue 2: (1.5·0.5·80 + 0.5·1·0)/(0.75 + 0.5) = 60/1.25 = 48
    assert out[0] == pytest.approx([64.0, 48.0])
    share = issue_terms(
        np.array([0.25]), pos, sal, cap, np.zeros(2), np.full(2, 100.0), 0, 1, "share"
    )
    assert share[0] == pytest.approx([25.0, 20.0])
