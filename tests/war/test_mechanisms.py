"""Politics, escalation, supporters' aid and the policies of war-model §6 and §8.

Unit checks use hand calculations; engine checks set the scenario so that one mechanism acts alone
and compare with its closed form.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from parley.scenario.load import load_scenario
from parley.war.beliefs import expected_battles, win_probability
from parley.war.engine import SETTLEMENT, simulate
from parley.war.escalation import (
    brinkmanship_quitter,
    escalation_hazard,
    keeps_threatening,
    resolve,
    step_probability,
    update_credibility,
)
from parley.war.params import compile_war
from parley.war.policies import aid_factor, initiation_signal, talks_open
from parley.war.politics import (
    DAYS_PER_MONTH,
    cost_multiplier,
    public_support,
    replacement_probability,
)

DATA = Path(__file__).parents[1] / "data" / "war_minimal.yaml"
NEVER = 10**6
WEEK = 7 / DAYS_PER_MONTH  # months per 7-day step


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load_scenario(DATA)


# --- politics (Mueller 1973; Gartner & Segura 1998; Goemans 2000) ----------------------------


def test_public_support_by_hand() -> None:
    # 0.7 − 0.05·log10(1 + 99) = 0.6; 0.7 − 0.05·log10(1 + 999 999) = 0.4
    assert public_support(0.7, 0.05, [99.0, 999_999.0]) == pytest.approx([0.6, 0.4])
    assert public_support(0.1, 0.5, 1e9) == 0.0  # clipped at zero


def test_cost_multiplier_and_replacement_by_hand() -> None:
    # support halved, gain 1: cost × 1.5; support held: × 1
    assert cost_multiplier(0.35, 0.7, 1.0) == pytest.approx(1.5)
    assert cost_multiplier(0.7, 0.7, 3.0) == pytest.approx(1.0)
    # below the threshold: 1 − exp(−0.05 per month × 7 days); above it: 0
    p = replacement_probability([0.2, 0.4], 0.3, 0.05, 7.0)
    assert p == pytest.approx([1 - math.exp(-0.05 * WEEK), 0.0])


@settings(max_examples=60, deadline=None)
@given(s0=st.floats(0, 1), b=st.floats(0, 1), c1=st.floats(0, 1e7), c2=st.floats(0, 1e7))
def test_support_never_rises_with_casualties(s0: float, b: float, c1: float, c2: float) -> None:
    lo, hi = sorted((c1, c2))
    s_lo, s_hi = public_support(s0, b, [lo, hi])
    assert 0.0 <= s_hi <= s_lo <= 1.0


def test_leader_punishment_blocks_settlement_until_the_leader_is_replaced(scenario) -> None:  # type: ignore[no-untyped-def]
    # Equal priors settle at once (test_engine): W_A = 0.101, W_B = 0.204 at k = 4 of 10 forts.
    # A leader punished by π = 0.8 for any share below its reference 0.95 demands
    # min(0.95, W_A + 0.8) = 0.90 > 1 − W_B = 0.80: no settlement. Support collapses
    # (slope 0.3 per log10 casualty) below the threshold and a replacement hazard of 2 per month
    # switches on; the new leader has no punishment, so settlement follows replacement (and only
    # replacement: learning and the cost rise are off, so the war values do not move).
    ov: dict[str, Any] = {
        "war.beliefs.A.mean": 0.5,
        "war.beliefs.B.mean": 0.5,
        "war.support.A.punishment": 0.8,
        "war.support.A.reference_share": 0.95,
        "war.support.A.log_casualty_slope": 0.3,
        "war.support.A.replacement_threshold": 0.5,
        "war.support.A.replacement_hazard_per_month": 2.0,
        "war.support.B.replacement_hazard_per_month": 0.0,
        "war.support.A.cost_gain": 0.0,  # war values stay put: no learning, no cost rise,
        "war.support.B.cost_gain": 0.0,  # a front without manoeuvre phases
        "war.beliefs.learning": False,
        "war.front.p_to_manoeuvre_per_day": 0.0,
        "war.front.initial_regime": "positional",
        "war.time.horizon_steps": 60,
    }
    ds = simulate(compile_war(scenario, ov), 400, 9, record_paths=False)
    settled = ds["settled"].values
    replaced_a = ds["leader_replaced"].sel(side="north").values
    assert not np.any(ds["settle_step"].values == 0)
    assert settled.mean() > 0.9
    assert np.all(replaced_a[settled])  # nobody settles under the punished leader


# --- escalation (Powell 2015; Schelling 1966; Powell 1987) ------------------------------------


def test_escalation_hazard_by_hand() -> None:
    # ρ0·exp(γ1·I + γ2·1{red} + γ3·threat) = 1e-4·exp(0.5·2 + 1·1 + 2·0)
    h = escalation_hazard(1e-4, 0.5, 2.0, 1.0, True, 2.0, False)
    assert float(h) == pytest.approx(1e-4 * math.exp(2.0))
    assert float(step_probability(0.1, 3.0)) == pytest.approx(1 - math.exp(-0.3))


def test_brinkmanship_resolve_and_quitter() -> None:
    # r = (w − s)/(w − d) = (1 − 0)/(1 + 100) = 1/101; (1 − 0.5)/(1 + 1) = 0.25
    assert float(resolve(1.0, 0.0, -100.0)) == pytest.approx(1 / 101)
    assert float(resolve(1.0, 0.5, -1.0)) == pytest.approx(0.25)
    # complete information: the less resolute side quits at once
    assert brinkmanship_quitter([0.1, 0.3], [0.2, 0.2]).tolist() == [0, 1]
    assert keeps_threatening([0.0, 0.0099, 0.0100], 1 / 101).tolist() == [True, True, False]
    a, b = update_credibility(np.array([1.0]), np.array([1.0]), [True])
    assert float((a / (a + b))[0]) == pytest.approx(1 / 3)


def _threat_setup(p_cat_threat: float) -> dict[str, Any]:
    """B holds more force than A (2 to 1, no attrition): A loses every contest and threatens
    every step (probability 1 per month); aid to B is always high (no switching)."""
    gamma = math.log(-math.log1p(-p_cat_threat) / WEEK / 1e-12) if p_cat_threat else 0.0
    return {
        "war.escalation.threatener": "A",
        "war.escalation.threat_prob_per_month": 1.0,
        "war.escalation.rho0_per_month": 1e-12,
        "war.escalation.gamma_threat": gamma,
        "war.forces.B.initial": 2.0,
        "war.forces.A.effectiveness_per_day": 0.0,
        "war.forces.B.effectiveness_per_day": 0.0,
        "war.forces.A.replenishment_per_day": 0.0,
        "war.forces.B.replenishment_per_day": 0.0,
        "war.supporters.ally.p_high_to_low_per_month": 0.0,
        "war.supporters.ally.force_per_bn": 0.0,
        "war.policy.negotiate_from_step": NEVER,
        "war.front.p_to_manoeuvre_per_day": 0.0,
        "war.front.initial_regime": "positional",
        "war.front.sigma_km2_per_sqrt_day": 1.0,
        "war.time.horizon_steps": 8,
    }


def test_threat_credibility_falls_with_each_empty_threat_and_aid_cut_follows(scenario) -> None:  # type: ignore[no-untyped-def]
    # Credibility prior Beta(1, 1) (strength 2): 1/2. A threat made at step t and not carried out
    # adds a failure, so after s threats credibility is 1/(s+2) and the aid of the next step is cut by
    # cut·credibility: aid at
    # step s ≥ 1 is 40·(1 − 1/(s+2)) with cut_aid and 40 with hold (catastrophe impossible here).
    ov = _threat_setup(0.0)
    ov.update({"war.policy.threat_response": "cut_aid", "war.policy.threat_aid_cut": 1.0})
    ds = simulate(compile_war(scenario, ov), 5, 1)
    aid = ds["aid"].sel(side="south").values
    expected = [40.0] + [40.0 * (1 - 1 / (s + 2)) for s in range(1, 8)]
    np.testing.assert_allclose(aid[0], expected, rtol=1e-6)
    hold = simulate(compile_war(scenario, dict(_threat_setup(0.0))), 5, 1)
    np.testing.assert_allclose(hold["aid"].sel(side="south").values[0], 40.0)


def test_brinkmanship_stops_threats_once_cumulative_risk_exceeds_resolve(scenario) -> None:  # type: ignore[no-untyped-def]
    # Each threat step carries catastrophe probability 0.004; resolve r = 1/101 ≈ 0.0099.
    # Cumulative risk before steps 0, 1, 2, 3: 0, 0.004, 0.007984, 0.011952 — A threatens at
    # steps 0–2 only. So P(catastrophe) = 1 − 0.996³ (plus ρ0 = 1e-12 per month), and aid is cut
    # at steps 1–3 but back to 40 from step 4.
    ov = _threat_setup(0.004)
    ov.update({"war.policy.threat_response": "cut_aid", "war.policy.threat_aid_cut": 1.0})
    n = 60_000
    ds = simulate(compile_war(scenario, ov), n, 2)
    p = 1 - 0.996**3
    cat = ds["catastrophe"].values
    assert cat.mean() == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / n))
    assert set(ds["end_step"].values[cat].tolist()) <= {0, 1, 2}
    aid = ds["aid"].sel(side="south").values[~cat]
    np.testing.assert_allclose(aid[:, 1:4], [[40 * (1 - 1 / 3), 40 * 0.75, 40 * 0.8]] * len(aid))
    np.testing.assert_allclose(aid[:, 4:], 40.0)


# --- supporters' aid regimes (Markov switching; Hamilton 1989) ---------------------------------


def test_aid_regimes_switch_at_the_stated_rates(scenario) -> None:  # type: ignore[no-untyped-def]
    # Monthly switching 0.05 (high→low) and 0.10 (low→high) become per-step probabilities
    # q = 1 − (1 − p)^(7/30.4375); the chain's stationary share of high is q_lh/(q_lh + q_hl).
    ov = _threat_setup(0.0)
    ov.update(
        {
            "war.escalation.threatener": "none",
            "war.escalation.threat_prob_per_month": 0.0,
            "war.supporters.ally.p_high_to_low_per_month": 0.05,
            "war.supporters.ally.p_low_to_high_per_month": 0.10,
            "war.time.horizon_steps": 400,
        }
    )
    n = 4000
    ds = simulate(compile_war(scenario, ov), n, 3)
    high = ds["aid"].sel(side="south").values > 25.0  # 40 high, 10 low
    q_hl = 1 - 0.95**WEEK
    q_lh = 1 - 0.90**WEEK
    first = 1 - high[:, 0].mean()
    assert first == pytest.approx(q_hl, abs=4 * math.sqrt(q_hl * (1 - q_hl) / n))
    share = high[:, 200:].mean()
    assert share == pytest.approx(q_lh / (q_lh + q_hl), abs=0.016)


# --- policies (war-model §8) -------------------------------------------------------------------


def test_talks_open_conditions_by_hand() -> None:
    support = np.array([[0.8, 0.8], [0.8, 0.2], [0.8, 0.8]])
    area = np.array([10.0, 10.0, 30.0])
    assert talks_open(3, 5, area, np.nan, support, np.nan).tolist() == [False] * 3
    assert talks_open(5, 5, area, 20.0, support, np.nan).tolist() == [True, True, False]
    assert talks_open(5, 0, area, np.nan, support, 0.5).tolist() == [False, True, False]


def test_initiation_signal_and_aid_factor_by_hand() -> None:
    a, b = np.ones((2, 2)), np.ones((2, 2))
    a2, b2 = initiation_signal(a, b, 1, 3.0, [True, False])  # B initiates: A's α grows
    assert a2.tolist() == [[4.0, 1.0], [1.0, 1.0]] and b2.tolist() == b.tolist()
    a3, b3 = initiation_signal(a, b, 0, 2.0, [True, True])  # A initiates: B's β grows
    assert b3[:, 1].tolist() == [3.0, 3.0] and a3.tolist() == a.tolist()
    f = aid_factor([True, False], 1.5, 1.0, 0.5, [0.0, 1.0], 1.0, 0.4)
    # conditional aid: ×1.5 only while talks are open; threat cut 0.4·0.5 = 0.2
    assert f.tolist() == pytest.approx([1.5, 0.8])


def test_timing_policy_delays_settlement(scenario) -> None:  # type: ignore[no-untyped-def]
    ov = {"war.beliefs.A.mean": 0.5, "war.beliefs.B.mean": 0.5, "war.policy.negotiate_from_step": 7}
    ds = simulate(compile_war(scenario, ov), 100, 0, record_paths=False)
    live = ds["outcome"].values == SETTLEMENT
    assert live.mean() > 0.9 and np.all(ds["settle_step"].values[live] >= 7)


def test_area_condition_opens_talks_only_after_the_front_crosses_it(scenario) -> None:  # type: ignore[no-untyped-def]
    ov = {
        "war.beliefs.A.mean": 0.5,
        "war.beliefs.B.mean": 0.5,
        "war.policy.negotiate_when_area_below_km2": 39000.0,
    }
    ds = simulate(compile_war(scenario, ov), 200, 5)
    area = ds["area_km2"].values
    for r in np.flatnonzero(ds["settled"].values):
        t = int(ds["settle_step"].values[r])
        assert t >= 1 and area[r, t - 1] < 39000.0  # area at the end of the previous step
        assert np.all(area[r, : t - 1] >= 39000.0)


def _w_a(mean: float, strength: float, k: float, n: int, cost: float) -> float:
    a, b = mean * strength, (1 - mean) * strength
    pdf = stats.beta(a, b).pdf
    e_p = integrate.quad(lambda t: float(win_probability(k, n, t)) * pdf(t), 0, 1)[0]
    e_d = integrate.quad(lambda t: float(expected_battles(k, n, t)) * pdf(t), 0, 1)[0]
    return e_p - cost * e_d


def test_concession_and_signal_shift_terms_as_derived(scenario) -> None:  # type: ignore[no-untyped-def]
    # Split rule λ = ½ at step 0: x = lo + ½(hi − lo), lo = W_A, hi = 1 − W_B + (B's concession).
    # A concession c by B raises x by c/2. A signal of s pseudo-battles turns A's prior
    # Beta(5, 5) into Beta(5 + s, 5) and raises x by ½·(W_A(s) − W_A(0)).
    base = {
        "war.beliefs.A.mean": 0.5,
        "war.beliefs.B.mean": 0.5,
        "war.policy.initiator": "B",
        "war.time.horizon_steps": 1,
    }
    x0 = float(simulate(compile_war(scenario, base), 3, 0)["share_A"][0])
    conc = dict(base, **{"war.policy.concession": 0.08})
    x1 = float(simulate(compile_war(scenario, conc), 3, 0)["share_A"][0])
    assert x1 - x0 == pytest.approx(0.04, abs=1e-12)
    sig = dict(base, **{"war.policy.signal_strength": 4.0})
    x2 = float(simulate(compile_war(scenario, sig), 3, 0)["share_A"][0])
    cost = 0.02 * 30 / DAYS_PER_MONTH  # cost per month × battle length (30 days) in months
    dw = _w_a(9 / 14, 14.0, 4.0, 10, cost) - _w_a(0.5, 10.0, 4.0, 10, cost)
    assert x2 - x0 == pytest.approx(dw / 2, abs=2e-4)


def test_guarantee_widens_the_range_enough_to_settle(scenario) -> None:  # type: ignore[no-untyped-def]
    # Optimism gap 0.3 (means 0.65/0.35, strength 20): W_A + W_B > 1, no settlement
    # (test_engine's existence check). A guarantee for B with q·g ≥ W_A + W_B − 1 closes the gap.
    k, n, cost = 4.0, 10, 0.002
    ov: dict[str, Any] = {
        "war.beliefs.A.mean": 0.65,
        "war.beliefs.B.mean": 0.35,
        "war.beliefs.A.strength": 20.0,
        "war.beliefs.B.strength": 20.0,
        "war.costs.A.per_month": cost,
        "war.costs.B.per_month": cost,
        "war.beliefs.battle_days": DAYS_PER_MONTH,
        "war.time.horizon_steps": 1,
    }
    gap = _w_a(0.65, 20, k, n, cost) + (1 - _w_a(0.35, 20, k, n, -cost)) - 1
    # W_B = 1 − E_B[P] − c·E_B[D] = 1 − (E_B[P] − (−c)·E_B[D]) — the helper with cost −c.
    assert gap > 0
    none = simulate(compile_war(scenario, ov), 20, 0, record_paths=False)
    assert not none["settled"].values.any()
    for q, g, settles in ((0.5, 2.2 * gap, True), (0.5, 1.8 * gap, False)):
        gov = dict(ov, **{"war.guarantees.B.g": g, "war.guarantees.B.credibility": q})
        ds = simulate(compile_war(scenario, gov), 20, 0, record_paths=False)
        assert bool(ds["settled"].values.all()) is settles


def test_aid_policy_multiplies_aid(scenario) -> None:  # type: ignore[no-untyped-def]
    ov = _threat_setup(0.0)
    ov.update({"war.escalation.threatener": "none", "war.escalation.threat_prob_per_month": 0.0})
    more = dict(ov, **{"war.policy.aid_multiplier": 1.5})
    ds = simulate(compile_war(scenario, more), 3, 0)
    np.testing.assert_allclose(ds["aid"].sel(side="south").values, 60.0)
    cond = dict(more, **{"war.policy.aid_conditional_on_talks": True})
    ds2 = simulate(compile_war(scenario, cond), 3, 0)  # talks never open: no extra aid
    np.testing.assert_allclose(ds2["aid"].sel(side="south").values, 40.0)


@settings(max_examples=60, deadline=None)
@given(
    rho0=st.floats(0, 1e-2),
    g1=st.floats(0, 3),
    i1=st.floats(0, 5),
    i2=st.floats(0, 5),
    red=st.booleans(),
    threat=st.booleans(),
    months=st.floats(0, 12),
)
def test_escalation_hazard_properties(
    rho0: float, g1: float, i1: float, i2: float, red: bool, threat: bool, months: float
) -> None:
    lo, hi = sorted((i1, i2))
    h_lo = float(escalation_hazard(rho0, g1, lo, 1.0, red, 1.0, threat))
    h_hi = float(escalation_hazard(rho0, g1, hi, 1.0, red, 1.0, threat))
    assert 0.0 <= h_lo <= h_hi  # more intensity never lowers the hazard (γ1 ≥ 0)
    p = float(step_probability(h_hi, months))
    assert 0.0 <= p <= 1.0
    assert p <= h_hi * months + 1e-15  # 1 − e^{−x} ≤ x


@settings(max_examples=60, deadline=None)
@given(
    talks=st.booleans(),
    mult=st.floats(0, 3),
    cond=st.booleans(),
    cred=st.floats(0, 1),
    threat=st.booleans(),
    cut_on=st.booleans(),
    cut=st.floats(0, 1),
)
def test_aid_factor_bounds(
    talks: bool, mult: float, cond: bool, cred: float, threat: bool, cut_on: bool, cut: float
) -> None:
    f = float(aid_factor(talks, mult, float(cond), cred, float(threat), float(cut_on), cut))
    applied = 1.0 if (cond and not talks) else mult
    assert 0.0 <= f <= applied + 1e-12
    if not (threat and cut_on):
        assert f == pytest.approx(applied)
