"""Baseline stakeholder models against hand calculations and published known values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.negotiation import run_model
from parley.negotiation.median import weighted_median
from parley.negotiation.nash import nash_bargaining
from parley.scenario import parse_scenario, stakeholder_batch


def _two_actor_example():
    # Decide exchange-model project's known values: positions 0 and 100, saliences (10, 90) and
    # (60, 50), power 1 each -> NBS 85 5/7 on issue 1 and 35 5/7 on issue 2.
    return parse_scenario(
        {
            "id": "decide",
            "issues": [{"id": "i1"}, {"id": "i2"}],
            "actors": [
                {"id": "a", "capability": 1, "positions": {
                    "i1": {"position": 0, "salience": 0.10}, "i2": {"position": 0, "salience": 0.90}}},
                {"id": "b", "capability": 1, "positions": {
                    "i1": {"position": 100, "salience": 0.60}, "i2": {"position": 100, "salience": 0.50}}},
            ],
        }
    )  # fmt: skip


def test_nbs_known_values_from_exchange_model_project() -> None:
    out = run_model("nbs", stakeholder_batch(_two_actor_example())).outcome[0]
    assert out[0] == pytest.approx(85 + 5 / 7, abs=1e-9)
    assert out[1] == pytest.approx(35 + 5 / 7, abs=1e-9)


def test_compromise_variants_by_hand() -> None:
    sc = parse_scenario(
        {
            "id": "h",
            "issues": [{"id": "i", "scale_min": 4, "scale_max": 10}],
            "actors": [
                {"id": "a", "capability": 2, "positions": {"i": {"position": 4, "salience": 0.5}}},
                {"id": "b", "capability": 1, "positions": {"i": {"position": 10, "salience": 1.0}}},
                {"id": "c", "capability": 1, "positions": {"i": {"position": 7, "salience": 0.0}}},
            ],
        }
    )
    b = stakeholder_batch(sc)
    # capability x salience: weights 1, 1, 0 -> (4 + 10) / 2 = 7
    assert run_model("compromise", b).outcome[0, 0] == pytest.approx(7.0)
    # salience only: (0.5*4 + 1*10) / 1.5 = 8
    assert run_model("compromise_salience", b).outcome[0, 0] == pytest.approx(8.0)
    # capability only: (2*4 + 10 + 7) / 4 = 6.25
    assert run_model("compromise_capability", b).outcome[0, 0] == pytest.approx(6.25)
    # unweighted: (4 + 10 + 7) / 3 = 7
    assert run_model("mean", b).outcome[0, 0] == pytest.approx(7.0)
    # median actor of 4, 7, 10 is 7; weighted median with weights 1, 1, 0 is the midpoint 7
    assert run_model("median_actor", b).outcome[0, 0] == pytest.approx(7.0)


def test_weighted_median_by_hand() -> None:
    pos = np.array([[10.0, 20.0, 30.0, np.nan]])
    # weights 1, 1, 3: half of 5 is 2.5, reached at 30
    assert weighted_median(pos, np.array([[1.0, 1.0, 3.0, 5.0]]))[0] == 30.0
    # weights 3, 1, 1: reached at 10
    assert weighted_median(pos, np.array([[3.0, 1.0, 1.0, 0.0]]))[0] == 10.0
    # equal weights on 4 values: ordinary median (midpoint of the middle two)
    four = np.array([[1.0, 2.0, 3.0, 4.0]])
    assert weighted_median(four, np.ones((1, 4)))[0] == 2.5
    assert np.isnan(weighted_median(pos, np.zeros((1, 4)))[0])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=1, max_size=15))
def test_unweighted_median_equals_numpy(xs: list[float]) -> None:
    a = np.asarray([xs])
    assert weighted_median(a, np.ones_like(a))[0] == pytest.approx(np.median(a), abs=1e-9)


def test_nbs_status_quo_between_actors_with_no_cost_of_no_deal() -> None:
    # kappa = 0 and actors on both sides of q: no point makes both better off than q
    p = np.array([[[0.2], [0.9]]])
    x = nash_bargaining(p, np.ones_like(p), np.ones_like(p), np.array([[0.5]]), kappa=0.0)
    assert x[0, 0] == pytest.approx(0.5, abs=1e-9)


def test_nbs_symmetric_case() -> None:
    # equal power and salience, ideal points 0 and 1, q = 0.5: the solution is the midpoint
    p = np.array([[[0.0], [1.0]]])
    x = nash_bargaining(p, np.ones_like(p), np.ones_like(p), np.array([[0.5]]), kappa=0.3)
    assert x[0, 0] == pytest.approx(0.5, abs=1e-9)


def test_nbs_two_actors_closed_form() -> None:
    # u_i = -(x - p_i)^2, q = 0, kappa = 0, p = (1, 1) for both: ideal point is feasible -> x = 1
    p = np.array([[[1.0], [1.0]]])
    x = nash_bargaining(p, np.ones_like(p), np.ones_like(p), np.array([[0.0]]), kappa=0.0)
    assert x[0, 0] == pytest.approx(1.0, abs=1e-9)
    # one actor with ideal 1 (power 1) and one with ideal 0.5 (power 1), q = 0, kappa = 0:
    # maximise log(1 - (x-1)^2) + log(0.25 - (x-0.5)^2) = log(x(2-x)) + log(x(1-x))
    # FOC: 2/x - 1/(2-x) - 1/(1-x) = 0  ->  2(2-x)(1-x) = x(1-x) + x(2-x)  ->  4x^2 - 9x + 4 = 0
    # x = (9 - sqrt(17)) / 8
    p = np.array([[[1.0], [0.5]]])
    x = nash_bargaining(p, np.ones_like(p), np.ones_like(p), np.array([[0.0]]), kappa=0.0)
    assert x[0, 0] == pytest.approx((9 - np.sqrt(17)) / 8, abs=1e-9)


def test_nbs_tends_to_weighted_mean_for_a_remote_disagreement() -> None:
    p = np.array([[[0.1], [0.7], [0.4]]])
    s = np.array([[[0.5], [1.0], [0.2]]])
    c = np.array([[[2.0], [1.0], [1.0]]])
    x = nash_bargaining(p, s, c, np.array([[0.5]]), kappa=1e7)
    mean = (0.1 * 1.0 + 0.7 * 1.0 + 0.4 * 0.2) / (1.0 + 1.0 + 0.2)
    assert x[0, 0] == pytest.approx(mean, abs=1e-6)


def test_batching_equals_one_at_a_time() -> None:
    rng = np.random.default_rng(1)
    scs = []
    for k in range(6):
        n = int(rng.integers(2, 7))
        scs.append(
            parse_scenario(
                {
                    "id": f"s{k}",
                    "issues": [{"id": "i", "reference_point": float(rng.uniform(0, 100))}],
                    "actors": [
                        {
                            "id": f"a{j}",
                            "capability": float(rng.uniform(0.1, 3)),
                            "positions": {
                                "i": {
                                    "position": float(rng.uniform(0, 100)),
                                    "salience": float(rng.uniform(0.05, 1)),
                                }
                            },
                        }
                        for j in range(n)
                    ],
                }
            )
        )
    for model in ("compromise", "median", "nbs", "median_actor"):
        together = run_model(model, stakeholder_batch(scs)).outcome[:, 0]
        alone = [run_model(model, stakeholder_batch(s)).outcome[0, 0] for s in scs]
        np.testing.assert_allclose(together, alone, atol=1e-9)
