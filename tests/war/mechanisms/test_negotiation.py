"""Minimum terms: renege risk, demands answering concessions, issue bounds (closed forms)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from scipy import integrate, stats

from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.scenario.war_schema import IssueBound, WarSpec
from parley.war.bargaining import answered_demand, renege_minimum
from parley.war.beliefs import expected_battles
from parley.war.engine import simulate
from parley.war.params import compile_war

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"
EQUAL = {"war.beliefs.A.mean": 0.5, "war.beliefs.B.mean": 0.5, "war.time.horizon_steps": 1}


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load_scenario(DATA)


def test_renege_minimum_by_hand() -> None:
    # W = 0.4, r = 0.2, d = 0.3: y ≥ 0.4 + 0.2·0.3/0.8 = 0.475
    assert renege_minimum(0.4, 0.2, 0.3) == pytest.approx(0.475)
    assert renege_minimum(0.4, 0.0, 0.3) == 0.4


def test_answered_demand_by_hand() -> None:
    assert answered_demand(0.5, 0.1, 2.0, 1.0) == pytest.approx(0.7)
    assert answered_demand(0.5, 0.1, 2.0, 0.6) == pytest.approx(0.6)  # capped
    assert answered_demand(0.5, 0.1, 2.0, 0.3) == pytest.approx(0.5)  # never below m


def _surplus(cost_per_battle: float, k: float = 4.0, n: int = 10, strength: float = 10.0) -> float:
    """1 − W_A − W_B with equal priors Beta(5, 5): the expected cost of fighting on, by quadrature."""
    a = b = strength / 2
    d = integrate.quad(lambda t: expected_battles(k, n, t) * stats.beta.pdf(t, a, b), 0, 1)[0]
    return 2 * cost_per_battle * d


@pytest.mark.parametrize("factor", [0.8, 1.2])
def test_renege_risk_closes_the_range(scenario, factor: float) -> None:  # type: ignore[no-untyped-def]
    # war_minimal: c = 0.02/month, battle 30 days; ranges of both sides overlap by the surplus.
    surplus = _surplus(0.02 * 30 / (365.25 / 12))
    r = 0.5  # each side adds r·d/(1 − r) = d; a deal exists iff 2d ≤ surplus
    d = factor * surplus / 2
    ov = {**EQUAL, "war.renege.A.probability": r, "war.renege.B.probability": r,
          "war.renege.A.penalty": d, "war.renege.B.penalty": d}  # fmt: skip
    ds = simulate(compile_war(scenario, ov), 10, 0, record_paths=False)
    assert bool(ds["settled"].values.all()) == (factor < 1)
    assert bool(ds["settled"].values.any()) == (factor < 1)


def test_renege_risk_shortens_durability(scenario) -> None:  # type: ignore[no-untyped-def]
    n = 20_000
    base = simulate(compile_war(scenario, EQUAL), n, 4, record_paths=False)
    ov = {**EQUAL, "war.renege.A.probability": 0.3, "war.renege.B.probability": 0.3,
          "war.renege.years": 5.0}  # fmt: skip
    ds = simulate(compile_war(scenario, ov), n, 4, record_paths=False)
    h0, h1 = base["held_5y"].values.mean(), ds["held_5y"].values.mean()
    # independent causes: P(held 5 y) = P_base·(1 − 0.3)²
    assert h1 == pytest.approx(h0 * 0.49, abs=4 * np.sqrt(h0 * 0.49 / n))
    assert np.all(ds["held_5y"].values <= base["held_5y"].values)  # common random numbers


def test_demand_answers_the_concession(scenario) -> None:  # type: ignore[no-untyped-def]
    ov = {**EQUAL, "war.policy.initiator": "B"}
    x0 = float(simulate(compile_war(scenario, ov), 3, 0)["share_A"][0])
    conc = {**ov, "war.policy.concession": 0.1, "war.settlement.demand_response": 2.0}
    x1 = float(simulate(compile_war(scenario, conc), 3, 0)["share_A"][0])
    # B's least share falls 0.1 (hi + 0.1), A's rises 0.2 (lo + 0.2); split λ = ½: +0.15
    assert x1 - x0 == pytest.approx(0.15, abs=1e-9)


def _with_bounds(scenario, bounds):  # type: ignore[no-untyped-def]
    data = scenario.war.model_dump()
    data["issue_bounds"] = bounds
    return scenario.model_copy(update={"war": WarSpec.model_validate(data)})


def test_issue_bounds_decide_whether_a_deal_exists(scenario) -> None:  # type: ignore[no-untyped-def]
    # territory: A at 100, B at 0 → value = 100·x. A needs ≥ 70, B accepts ≤ 30: no deal.
    sc = _with_bounds(scenario, [
        {"issue": "territory", "side": "A", "min": 70.0, "max": None},
        {"issue": "territory", "side": "B", "min": None, "max": 30.0},
    ])  # fmt: skip
    p = compile_war(sc, EQUAL)
    np.testing.assert_allclose(p.bounds_share, [0.7, 0.3])
    assert not simulate(p, 10, 0, record_paths=False)["settled"].values.any()


def test_issue_bound_holds_the_terms(scenario) -> None:  # type: ignore[no-untyped-def]
    sc = _with_bounds(scenario, [{"issue": "territory", "side": "A", "min": 55.0, "max": None}])
    ds = simulate(compile_war(sc, EQUAL), 10, 0, record_paths=False)
    assert ds["settled"].values.all()
    assert (ds["share_A"].values >= 0.55 - 1e-12).all()
    assert (ds["terms"].sel(issue="territory").values >= 55.0 - 1e-9).all()


def test_bad_bound_is_a_scenario_error(scenario) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="min"):
        IssueBound(issue="territory", side="A", min=60, max=40)
    with pytest.raises(ScenarioError, match="renege"):
        compile_war(scenario, {"war.renege.A.probability": 1.5})


def test_credible_threat_lowers_the_targets_minimum(scenario) -> None:  # type: ignore[no-untyped-def]
    from parley.war.mechanisms.negotiation import minimum_terms  # noqa: PLC0415
    from parley.war.state import initial_state  # noqa: PLC0415
    from parley.war.streams import generators  # noqa: PLC0415

    ov = {"war.escalation.threatener": "A", "war.escalation.threat_bargaining_weight": 0.1}
    p = compile_war(scenario, ov)
    s = initial_state(p, 2, generators(0))
    idx = np.arange(2)
    before = minimum_terms(s, p, idx)
    s.threat[:] = [1.0, 0.0]
    s.cred_a[:], s.cred_b[:] = 3.0, 1.0  # credibility 3/4
    after = minimum_terms(s, p, idx)
    # the target B gives up w·credibility = 0.1·0.75 while the threat is active; A unchanged
    np.testing.assert_allclose(after[:, 1] - before[:, 1], [-0.075, 0.0])
    np.testing.assert_allclose(after[:, 0], before[:, 0])
