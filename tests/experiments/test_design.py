"""Designs: shared points across cells, assumption sets, policy levers, CRN seeds, chunking."""

from __future__ import annotations

import numpy as np
import pytest

from parley.experiments.design import make_design, parse_combo
from parley.scenario import Scenario, ScenarioError


def test_cells_are_policies_times_combinations(toy: Scenario) -> None:
    d = make_design(
        toy,
        policies=["hold", "concede"],
        combos=[(), ("strong_a",), ("strong_a", "weak_c")],
        method="lhs",
        n_points=8,
        runs_per_point=2,
        seed=3,
    )
    assert [c.label for c in d.cells] == [
        "hold",
        "hold|strong_a",
        "hold|strong_a+weak_c",
        "concede",
        "concede|strong_a",
        "concede|strong_a+weak_c",
    ]


def test_assumptions_fix_or_replace_marginals(toy: Scenario) -> None:
    d = make_design(
        toy, combos=[(), ("strong_a", "weak_c")], method="mc", n_points=50, runs_per_point=1, seed=1
    )
    base, alt = d.values(0), d.values(1)
    u = d.unit
    # Column c is independent (no copula): U(0, 1) in the baseline, U(0, 0.2) under weak_c,
    # from the same uniform draws.
    assert np.allclose(base[:, 2], u[:, 2])
    assert np.allclose(alt[:, 2], 0.2 * u[:, 2])
    # strong_a fixes a at 3.0; b keeps its draws.
    assert np.all(alt[:, 0] == 3.0)
    assert np.array_equal(alt[:, 1], base[:, 1])
    assert np.all((base[:, 0] >= 0) & (base[:, 0] <= 2) & (base[:, 1] >= 1) & (base[:, 1] <= 3))


def test_policy_levers_are_fixed_per_run(toy: Scenario) -> None:
    d = make_design(toy, policies=["hold", "concede"], n_points=5, runs_per_point=4, chunk_points=2)
    assert d.n_point_chunks == 3 and d.n_chunks == 6
    p = d.chunk_params(3)  # concede, points 0-1
    assert d.chunk(3) == (1, 0, 2)
    assert p["actors.b.positions.territory.position"].tolist() == [70.0] * 8
    assert p["actors.a.capability"].shape == (8,)
    assert np.all(p["actors.a.capability"][:4] == p["actors.a.capability"][0])  # one point, 4 runs


def test_common_random_numbers_across_cells(toy: Scenario) -> None:
    d = make_design(toy, policies=["hold", "concede"], n_points=6, runs_per_point=2, chunk_points=3)
    for k in range(d.n_point_chunks):
        a = d.chunk_seed(k).generate_state(4)
        b = d.chunk_seed(k + d.n_point_chunks).generate_state(4)
        assert np.array_equal(a, b)
    assert not np.array_equal(d.chunk_seed(0).generate_state(4), d.chunk_seed(1).generate_state(4))


def test_design_key_depends_on_what_matters(toy: Scenario) -> None:
    a = make_design(toy, n_points=4, seed=1)
    assert a.key() == make_design(toy, n_points=4, seed=1).key()
    assert a.key() != make_design(toy, n_points=4, seed=2).key()
    assert a.key() != make_design(toy, n_points=5, seed=1).key()


def test_unknown_policy_or_assumption(toy: Scenario) -> None:
    with pytest.raises(ScenarioError, match="unknown policy 'nope'.*concede, hold"):
        make_design(toy, policies=["nope"])
    with pytest.raises(ScenarioError, match="unknown assumption set 'x'"):
        make_design(toy, combos=[("x",)])


def test_parse_combo() -> None:
    assert parse_combo("a+b") == ("a", "b")
    assert parse_combo("baseline") == ()


def test_saltelli_and_morris_sizes(toy: Scenario) -> None:
    assert make_design(toy, method="saltelli", n_points=16).n_points == 16 * (3 + 2)
    assert make_design(toy, method="morris", n_points=5).n_points == 5 * (3 + 1)
