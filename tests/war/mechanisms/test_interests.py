"""Supporters with interests: net value of aid and its logit link (closed forms, by hand)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

from parley.experiments.design import policy_overrides
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.war.engine import simulate
from parley.war.mechanisms.interests import net_value, shifted, side_share, switching
from parley.war.overrides import Overrides
from parley.war.params import WarParams, compile_war
from parley.war.state import WarState, initial_state
from parley.war.streams import generators

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"


def test_net_value_by_hand() -> None:
    # V·x = 100·0.05 = 5 (the side holds 5 % of the region); κ·(h − l) = 1·30 = 30; E·c·threat = 20·0.5 = 10: N = 5 − 30 − 10 = −35
    nv = net_value(100.0, np.array([[0.05]]), 1.0, 30.0, 20.0, np.array([0.5]))
    np.testing.assert_allclose(nv, [[-35.0]])


def test_logit_link_by_hand() -> None:
    # p = 0.05 has odds 1/19; λ·N = 0.1·10 = 1 lowers cutting: odds 1/(19e), p' = 1/(1 + 19e)
    assert shifted(0.05, -10.0, 0.1) == pytest.approx(1.0 / (1.0 + 19.0 * math.e))
    # and raises re-escalation: odds (1/9)·e, p' = e/(9 + e)
    assert shifted(0.1, 10.0, 0.1) == pytest.approx(math.e / (9.0 + math.e))


@given(st.floats(0.0, 1.0), st.floats(-1e6, 1e6))
def test_zero_responsiveness_is_exactly_neutral(p: float, shift: float) -> None:
    assert shifted(p, shift, 0.0) == p


@given(st.floats(0.0, 1.0), st.floats(-50.0, 50.0), st.floats(0.0, 5.0))
def test_link_stays_a_probability_and_is_monotone(p: float, shift: float, lam: float) -> None:
    a, b = shifted(p, shift, lam), shifted(p, shift + 1.0, lam)
    assert 0.0 <= a <= b <= 1.0


def _state(overrides: Overrides) -> tuple[WarParams, WarState]:
    p = compile_war(load_scenario(DATA), overrides)
    s = initial_state(p, 1, generators(0))
    return p, s


def test_switching_probability_for_a_hand_computed_payoff() -> None:
    # ally supplies B. After 52 weekly steps A holds 30,000 km² of the region 0-100,000, so B
    # holds x = 0.7. V = 100, κ = 1, h − l = 30, no threat: N = 100·0.7 − 30 = 40 EUR bn/year.
    # With λ = 0.05: p_hl' = σ(logit(0.05) − 0.05·40) = σ(logit(0.05) − 2).
    ov = {
        "war.supporters.ally.stake_bn_per_year": 100.0,
        "war.supporters.ally.responsiveness_per_bn": 0.05,
    }
    p, s = _state(ov)
    s.t, s.area = 52, np.array([30000.0])
    p_hl, p_lh = switching(s, p, np.array([0.05]), np.zeros(1))
    n = 100.0 * 0.7 - 30.0
    x = math.log(0.05 / 0.95) - 0.05 * n
    assert p_hl[0, 0] == pytest.approx(1.0 / (1.0 + math.exp(-x)))
    y = math.log(0.1 / 0.9) + 0.05 * n
    assert p_lh[0, 0] == pytest.approx(1.0 / (1.0 + math.exp(-y)))


def _cut(stake: float, area: float, t: int) -> float:
    p, s = _state(
        {
            "war.supporters.ally.stake_bn_per_year": stake,
            "war.supporters.ally.responsiveness_per_bn": 0.05,
        }
    )
    s.t, s.area = t, np.array([area])
    return float(switching(s, p, np.array([0.05]), np.zeros(1))[0][0, 0])


def test_a_losing_side_s_donor_with_more_at_stake_cuts_less() -> None:
    # B lost 20,000 km² in half a year (A from 40,000 to 60,000 of 100,000), so B holds x = 0.4.
    # N = 0.4·V − 30: V = 0 gives N = −30, V = 200 gives N = 50; with λ = 0.05 the monthly
    # high→low probability is σ(logit(0.05) + 1.5) and σ(logit(0.05) − 2.5). (Reading the
    # trend instead, V·(−0.2/0.5 years), made the donor with the larger stake cut sooner.)
    lg = math.log(0.05 / 0.95)
    assert _cut(0.0, 60000.0, 26) == pytest.approx(1.0 / (1.0 + math.exp(-(lg + 1.5))))
    assert _cut(200.0, 60000.0, 26) == pytest.approx(1.0 / (1.0 + math.exp(-(lg - 2.5))))
    assert _cut(200.0, 60000.0, 26) < _cut(0.0, 60000.0, 26)


def test_net_value_is_a_yearly_value_not_a_rate() -> None:
    # V·x is EUR bn/year whatever the war's age: the same holding after a quarter and after
    # two years gives the same probability, N = 100·0.7 − 30 = 40 both times.
    lg = math.log(0.05 / 0.95)
    expected = 1.0 / (1.0 + math.exp(-(lg - 0.05 * 40.0)))
    assert _cut(100.0, 30000.0, 13) == pytest.approx(expected)
    assert _cut(100.0, 30000.0, 104) == pytest.approx(expected)


def test_side_share_of_each_side_by_hand() -> None:
    # A holds 30,000 km² of 0-100,000: 0.3 to A's donors, 0.7 to B's; clipped beyond the bounds.
    p, s = _state({})
    p_a = dataclasses.replace(p, supporter_side=np.array([0]))
    s.area = np.array([30000.0])
    np.testing.assert_allclose(side_share(s, p), [[0.7]])
    np.testing.assert_allclose(side_share(s, p_a), [[0.3]])
    s.area = np.array([-5.0])
    np.testing.assert_allclose(side_share(s, p), [[1.0]])


def _p_hl(stake: float, esc_cost: float, threat: float) -> float:
    p, s = _state(
        {
            "war.supporters.ally.stake_bn_per_year": stake,
            "war.supporters.ally.escalation_cost_bn_per_year": esc_cost,
            "war.supporters.ally.responsiveness_per_bn": 0.1,
        }
    )
    s.t, s.area = 26, np.array([35000.0])  # B holds x = 0.65
    return float(switching(s, p, np.array([0.05]), np.array([threat]))[0][0, 0])


def test_higher_stake_cuts_less_and_higher_escalation_cost_cuts_more() -> None:
    by_stake = [_p_hl(v, 0.0, 0.0) for v in (0.0, 50.0, 100.0, 200.0)]
    assert all(a > b for a, b in zip(by_stake, by_stake[1:], strict=False))
    by_cost = [_p_hl(100.0, e, 0.8) for e in (0.0, 5.0, 10.0, 40.0)]
    assert all(a < b for a, b in zip(by_cost, by_cost[1:], strict=False))
    # an escalation cost without an active threat costs nothing
    assert _p_hl(100.0, 40.0, 0.0) == _p_hl(100.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "field",
    [
        "stake_bn_per_year",
        "aid_cost_weight",
        "escalation_cost_bn_per_year",
        "responsiveness_per_bn",
    ],
)
def test_negative_values_are_scenario_errors(field: str) -> None:
    with pytest.raises(ScenarioError, match=field):
        compile_war(load_scenario(DATA), {f"war.supporters.ally.{field}": -1.0})


def test_neutral_default_leaves_the_dataset_identical() -> None:
    sc = load_scenario(DATA)
    base = simulate(compile_war(sc), 200, 7)
    neutral = {
        "war.supporters.ally.stake_bn_per_year": 500.0,
        "war.supporters.ally.aid_cost_weight": 3.0,
        "war.supporters.ally.escalation_cost_bn_per_year": 50.0,
        "war.supporters.ally.responsiveness_per_bn": 0.0,
    }
    xr.testing.assert_identical(base, simulate(compile_war(sc, neutral), 200, 7))


def test_costly_aid_is_cut_at_the_closed_form_rate() -> None:
    # V = 0, κ = 1, h − l = 30, no threat: N = −30 every step, so with λ = 0.02 the monthly
    # probabilities are constant, a = σ(logit(0.05) + 0.6), b = σ(logit(0.1) − 0.6); after T
    # weekly steps P(high) = π + (1 − π)(1 − a_s − b_s)^T with per-step a_s, b_s, π = b_s/(a_s+b_s).
    ov = {
        "war.policy.negotiate_from_step": 10**6,
        "war.supporters.ally.responsiveness_per_bn": 0.02,
        "war.time.horizon_steps": 52,
        "war.forces.A.collapse_fraction": 0.0,
        "war.forces.B.collapse_fraction": 0.0,
    }
    n = 4000
    aid = simulate(compile_war(load_scenario(DATA), ov), n, 3)["aid"].values[:, -1, 1]
    months = 7 / (365.25 / 12)
    a = 1 - (1 - 1 / (1 + 19 * math.exp(-0.6))) ** months
    b = 1 - (1 - 1 / (1 + 9 * math.exp(0.6))) ** months
    pi = b / (a + b)
    expected = pi + (1 - pi) * (1 - a - b) ** 52  # 0.49; 0.72 with the mechanism off
    assert np.mean(np.isclose(aid, 40.0)) == pytest.approx(expected, abs=4 * math.sqrt(0.25 / n))


@given(
    st.floats(0.0, 500.0),
    st.floats(0.0, 500.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 100.0),
    st.floats(1e-3, 1.0),
)
def test_cut_probability_monotone_in_stake_and_escalation_cost(
    v1: float, v2: float, share: float, e: float, threat: float
) -> None:
    lo, hi = min(v1, v2), max(v1, v2)
    g, c = np.array([[share]]), np.array([threat])

    def cut(v: float, esc: float) -> float:
        return float(shifted(0.05, -net_value(v, g, 1.0, 30.0, esc, c), 0.05)[0, 0])

    assert cut(hi, e) <= cut(lo, e)  # a larger stake: never more cuts, whatever the share
    assert cut(lo, e + 10.0) >= cut(lo, e)  # a costlier escalation under a threat: more cuts


CAMPS = Path(__file__).parents[2] / "data" / "war_interests.yaml"


def _camp(name: str, n: int, extra: Overrides | None = None) -> xr.Dataset:
    """Simulate ``n`` runs of the two-donor scenario under one of its assumption sets."""
    sc = load_scenario(CAMPS)
    ov: Overrides = {**policy_overrides(sc, None, name, n, 5), **(extra or {})}
    return simulate(compile_war(sc, ov, n), n, 5)


def _high_at_end(ds: xr.Dataset) -> NDArray[np.bool_]:
    """Each donor's regime at the last step, from its aid that step: (runs, donors)."""
    cum = ds["aid_cumulative"].values.astype(float)
    rate = (cum[:, -1, :] - cum[:, -2, :]) * 365.25 / 7.0
    return np.asarray(rate > np.array([20.0, 4.0]))  # midway between low and high


@pytest.mark.parametrize(
    ("name", "shift"), [("interests_limited", -0.9), ("interests_large", 4.875)]
)
def test_camps_keep_aid_at_the_closed_form_rate(name: str, shift: float) -> None:
    # Frozen front (σ = κ_front = 0): B holds x0 = 0.2 throughout, no threats. For both donors
    # λN = k·(r − κ) (the set's description): −0.9 for the limited camp, 4.875 for the large.
    # Monthly a = σ(logit 0.05 − λN), b = σ(logit 0.1 + λN); per weekly step 1 − (1 − p)^(7/30.44);
    # after 52 steps P(high) = π + (1 − π)(1 − a − b)^52 (two-state chain started high).
    n = 4000
    ds = _camp(
        name, n, {"war.front.sigma_km2_per_sqrt_day": 0.0, "war.front.kappa_km2_per_day": 0.0}
    )
    months = 7 / (365.25 / 12)
    a = 1 - (1 - 1 / (1 + 19 * math.exp(shift))) ** months
    b = 1 - (1 - 1 / (1 + 9 * math.exp(-shift))) ** months
    pi = b / (a + b)
    expected = pi + (1 - pi) * (1 - a - b) ** 52  # 0.367 limited, 0.9998 large
    high = _high_at_end(ds)
    tol = 4 * math.sqrt(0.25 / n)
    assert high[:, 0].mean() == pytest.approx(expected, abs=tol)
    assert high[:, 1].mean() == pytest.approx(expected, abs=tol)


def test_limited_interests_mean_less_aid_and_a_worse_war_for_the_supported_side() -> None:
    # Hand-reasoned direction (live front that follows the force ratio, κ_front = 100 km²/day):
    # with limited interests λN < 0 at the start, so donors cut sooner and come back later than
    # with large ones (λN > 0): fewer runs keep aid high, less aid is delivered (lower quantiles),
    # B gets less force, and the front it pushes back moves less, so A holds more at the end.
    n = 2000
    lim, big = _camp("interests_limited", n), _camp("interests_large", n)
    assert _high_at_end(lim).all(axis=1).mean() < _high_at_end(big).all(axis=1).mean() - 0.3
    q = [0.1, 0.5, 0.9]
    d_lim = np.quantile(lim["aid_delivered"].values.sum(axis=1), q)
    d_big = np.quantile(big["aid_delivered"].values.sum(axis=1), q)
    assert d_lim[0] < d_big[0] and d_lim[1] < d_big[1] and d_lim[2] <= d_big[2] + 1e-9
    assert lim["force"].values[:, -1, 1].mean() < big["force"].values[:, -1, 1].mean()
    assert lim["area_km2"].values[:, -1].mean() > big["area_km2"].values[:, -1].mean()
