"""The simulator against closed forms (Smith & Stam 2004 gambler's ruin, settlement existence)
and its contracts (reproducibility, ended runs stop changing, per-run overrides)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, stats

from parley.scenario.load import load_scenario
from parley.war.beliefs import expected_battles, win_probability
from parley.war.engine import COLLAPSE_A, COLLAPSE_B, SETTLEMENT, simulate
from parley.war.params import compile_war

DATA = Path(__file__).parents[1] / "data" / "war_minimal.yaml"
NEVER = 10**6


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load_scenario(DATA)


def _fixed_theta(theta: float) -> dict[str, float]:
    """Equal, constant forces and a logistic contest with φ = −logit θ: every battle has P(A) = θ."""
    return {
        "war.front.form": "forts",  # type: ignore[dict-item]
        "war.beliefs.battle_days": 7.0,  # one battle per weekly step
        "war.contest.form": "logistic",  # type: ignore[dict-item]
        "war.contest.phi": -float(np.log(theta / (1 - theta))),
        "war.forces.A.effectiveness_per_day": 0.0,
        "war.forces.B.effectiveness_per_day": 0.0,
        "war.forces.A.replenishment_per_day": 0.0,
        "war.forces.B.replenishment_per_day": 0.0,
        "war.supporters.ally.force_per_bn": 0.0,
        "war.policy.negotiate_from_step": NEVER,
        "war.time.horizon_steps": 3000,
        "war.escalation.rho0_per_month": 0.0,
        "war.region.forts": 8,
        "war.region.initial_area_km2": 37500.0,  # 3 of 8 forts of 100,000 km²
    }


@pytest.mark.parametrize("theta", [0.45, 0.5, 0.58])
def test_gamblers_ruin_against_simulation(scenario, theta: float) -> None:  # type: ignore[no-untyped-def]
    n = 20_000
    ds = simulate(compile_war(scenario, _fixed_theta(theta)), n, 5, record_paths=False)
    out = ds["outcome"].values
    assert np.all((out == COLLAPSE_A) | (out == COLLAPSE_B))
    p_sim = float(np.mean(out == COLLAPSE_B))  # B collapses when A holds all N forts
    p_ref = float(win_probability(3, 8, theta))
    assert p_sim == pytest.approx(p_ref, abs=4 * np.sqrt(p_ref * (1 - p_ref) / n))
    battles = ds["end_step"].values + 1.0
    d_ref = float(expected_battles(3, 8, theta))
    assert battles.mean() == pytest.approx(d_ref, abs=4 * battles.std() / np.sqrt(n))


def test_equal_priors_settle_at_once(scenario) -> None:  # type: ignore[no-untyped-def]
    ov = {"war.beliefs.A.mean": 0.5, "war.beliefs.B.mean": 0.5}
    ds = simulate(compile_war(scenario, ov), 200, 1, record_paths=False)
    assert np.all(ds["outcome"].values == SETTLEMENT)
    assert np.all(ds["settle_step"].values == 0)


def _w_sum(ma: float, mb: float, strength: float, cost: float, k: float, n: int) -> float:
    def ev(mean: float, f) -> float:  # type: ignore[no-untyped-def]
        a, b = mean * strength, (1 - mean) * strength
        return float(integrate.quad(lambda t: f(t) * stats.beta.pdf(t, a, b), 0, 1)[0])

    w_a = ev(ma, lambda t: win_probability(k, n, t)) - cost * ev(
        ma, lambda t: expected_battles(k, n, t)
    )
    w_b = (
        1
        - ev(mb, lambda t: win_probability(k, n, t))
        - cost * ev(mb, lambda t: expected_battles(k, n, t))
    )
    return w_a + w_b


@pytest.mark.parametrize("gap", [0.05, 0.25, 0.4])
def test_settlement_exists_iff_w_sum_at_most_one(scenario, gap: float) -> None:  # type: ignore[no-untyped-def]
    cost_month = 0.002
    ov = {
        "war.beliefs.A.mean": 0.5 + gap / 2,
        "war.beliefs.B.mean": 0.5 - gap / 2,
        "war.beliefs.A.strength": 20.0,
        "war.beliefs.B.strength": 20.0,
        "war.costs.A.per_month": cost_month,
        "war.costs.B.per_month": cost_month,
        "war.beliefs.battle_days": 365.25 / 12,  # one battle per month: cost per battle = c
        "war.time.horizon_steps": 1,
    }
    ds = simulate(compile_war(scenario, ov), 50, 2, record_paths=False)
    exists = _w_sum(0.5 + gap / 2, 0.5 - gap / 2, 20.0, cost_month, 4.0, 10) <= 1.0
    assert bool(np.all(ds["settled"].values)) == exists
    assert bool(np.any(ds["settled"].values)) == exists


def test_same_seed_same_dataset_and_different_seed_differs(scenario) -> None:  # type: ignore[no-untyped-def]
    p = compile_war(scenario, {"war.policy.negotiate_from_step": 10})
    a = simulate(p, 300, 42)
    b = simulate(p, 300, 42)
    c = simulate(p, 300, 43)
    assert a.equals(b)
    assert not np.array_equal(a["area_km2"].values, c["area_km2"].values)


def test_ended_runs_stop_changing(scenario) -> None:  # type: ignore[no-untyped-def]
    ov = {
        "war.policy.negotiate_from_step": 5,
        "war.beliefs.A.mean": 0.62,
        "war.beliefs.B.mean": 0.38,
    }
    ds = simulate(compile_war(scenario, ov), 400, 7)
    end = ds["end_step"].values
    ended = end < ds.attrs["horizon_steps"]
    assert ended.any()
    for name in ("area_km2", "support", "force", "belief_A"):
        v = ds[name].values
        for r in np.flatnonzero(ended)[:50]:
            after = v[r, end[r] :]
            assert np.all(after == after[0]), name
    act = ds["active"].values
    steps = ds["step"].values
    assert np.array_equal(act, steps[None, :] < end[:, None])


def test_per_run_override_arrays(scenario) -> None:  # type: ignore[no-untyped-def]
    start = np.array([0, 0, 3, 3, NEVER, NEVER])
    ov = {
        "war.policy.negotiate_from_step": start,
        "war.beliefs.A.mean": 0.5,
        "war.beliefs.B.mean": 0.5,
    }
    ds = simulate(compile_war(scenario, ov, n_runs=6), 6, 0)
    assert ds["settle_step"].values[:4].tolist() == [0, 0, 3, 3]
    assert not ds["settled"].values[4:].any()


def test_terms_lie_between_belligerents(scenario) -> None:  # type: ignore[no-untyped-def]
    ds = simulate(compile_war(scenario), 50, 0, record_paths=False)
    terms = ds["terms"].sel(issue="territory").values
    assert np.all((terms >= 0) & (terms <= 100))
    share = ds["share_A"].values
    # more share to A moves the territorial terms toward A's position (100)
    order = np.argsort(share)
    assert np.all(np.diff(terms[order]) >= -1e-9)


def test_high_escalation_hazard_ends_in_catastrophe(scenario) -> None:  # type: ignore[no-untyped-def]
    ov = {"war.escalation.rho0_per_month": 1.0, "war.policy.negotiate_from_step": NEVER}
    ds = simulate(compile_war(scenario, ov), 2000, 3, record_paths=False)
    # P(survive a 7-day step) = exp(−7/30.4375): P(catastrophe in step 0) = 1 − that
    p0 = 1 - np.exp(-7 / (365.25 / 12))
    first = float(np.mean(ds["catastrophe"].values & (ds["end_step"].values == 0)))
    assert first == pytest.approx(p0, abs=4 * np.sqrt(p0 * (1 - p0) / 2000))
