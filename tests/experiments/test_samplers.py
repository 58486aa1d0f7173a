"""Samplers: stratification, Saltelli layout and copula rank correlation (closed forms)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from parley.experiments.distributions import from_spec
from parley.experiments.samplers import (
    apply_copulas,
    morris_sample,
    rank_correlation,
    saltelli_sample,
    to_values,
    unit_sample,
)


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_unit_sample_shape_range_and_reproducibility(method: str) -> None:
    a = unit_sample(method, 64, 3, 11)
    b = unit_sample(method, 64, 3, 11)
    assert a.shape == (64, 3) and np.all((a >= 0) & (a <= 1))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, unit_sample(method, 64, 3, 12))


def test_lhs_has_one_point_per_stratum() -> None:
    u = unit_sample("lhs", 50, 4, 3)
    for j in range(4):
        assert sorted(np.floor(u[:, j] * 50).astype(int)) == list(range(50))


def test_saltelli_layout() -> None:
    # Saltelli (2002) without second order: N (d + 2) rows; row 1 of each block is A, last is B,
    # AB_i equals A except column i taken from B.
    n, d = 8, 3
    x = saltelli_sample(n, d, 0)
    assert x.shape == (n * (d + 2), d)
    blocks = x.reshape(n, d + 2, d)
    a, b = blocks[:, 0], blocks[:, -1]
    for i in range(d):
        ab = blocks[:, 1 + i]
        assert np.array_equal(ab[:, i], b[:, i])
        others = [k for k in range(d) if k != i]
        assert np.array_equal(ab[:, others], a[:, others])


def test_morris_trajectories_move_one_factor_at_a_time() -> None:
    x = morris_sample(5, 3, 0, num_levels=4).reshape(5, 4, 3)
    steps = np.abs(np.diff(x, axis=1))
    # Each step changes exactly one coordinate, by delta = p / (2 (p - 1)) = 2/3.
    assert np.all((steps > 1e-12).sum(axis=2) == 1)
    assert np.allclose(steps[steps > 1e-12], 2 / 3)


def test_gaussian_copula_rank_correlation_closed_form() -> None:
    # Spearman's rho of a Gaussian copula with correlation r is (6/pi) asin(r/2), any marginals.
    r = 0.6
    u = unit_sample("mc", 20_000, 3, 5)
    uc = apply_copulas(u, [((0, 2), np.array([[1.0, r], [r, 1.0]]))])
    dists = [
        from_spec({"dist": "lognormal", "mu": 0.0, "sigma": 1.0}),
        from_spec({"dist": "uniform", "low": 0.0, "high": 1.0}),
        from_spec({"dist": "beta", "a": 2.0, "b": 5.0}),
    ]
    x = to_values(uc, dists)
    rho = rank_correlation(x)
    assert rho[0, 2] == pytest.approx(6 / math.pi * math.asin(r / 2), abs=0.02)
    assert abs(rho[0, 1]) < 0.03 and abs(rho[1, 2]) < 0.03
    # The marginals are untouched: the copula's columns are still uniform.
    assert uc[:, 0].mean() == pytest.approx(0.5, abs=0.01)
    assert uc[:, 0].var() == pytest.approx(1 / 12, abs=0.003)
