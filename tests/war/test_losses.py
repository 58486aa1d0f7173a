"""Negative-binomial losses: mean and over-dispersion against the closed form."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.scenario.load import load_scenario
from parley.war.engine import simulate
from parley.war.losses import negative_binomial_losses
from parley.war.params import compile_war

DATA = Path(__file__).parents[1] / "data" / "war_minimal.yaml"


def test_mean_and_variance() -> None:
    mu, k, n = 50.0, 4.0, 200_000
    x = negative_binomial_losses(np.full(n, mu), np.full(n, k), np.random.default_rng(1))
    assert x.mean() == pytest.approx(mu, abs=4 * np.sqrt((mu + mu * mu / k) / n))
    assert x.var() == pytest.approx(mu + mu * mu / k, rel=0.03)  # 675


def test_unset_dispersion_returns_the_mean() -> None:
    x = negative_binomial_losses(np.array([3.5, 7.0]), np.array([np.nan, np.nan]),
                                 np.random.default_rng(0))  # fmt: skip
    assert x.tolist() == [3.5, 7.0]


@settings(max_examples=30, deadline=None)
@given(mu=st.floats(0, 1e6), k=st.floats(0.01, 1e4))
def test_draws_are_nonnegative_integers(mu: float, k: float) -> None:
    x = negative_binomial_losses(np.array([mu]), np.array([k]), np.random.default_rng(0))
    assert x[0] >= 0 and float(x[0]).is_integer()


def test_engine_losses_of_one_step() -> None:
    sc = load_scenario(DATA)
    ov = {
        "war.time.horizon_steps": 1,
        "war.policy.negotiate_from_step": 10**6,
        "war.supporters.ally.force_per_bn": 0.0,  # aid regimes would make losses differ by run
    }
    det = simulate(compile_war(sc, ov), 4, 0, record_paths=False)["casualties"].values
    k = 2.0
    ds = simulate(compile_war(sc, {**ov, "war.forces.A.loss_dispersion": k}), 20_000, 0,
                  record_paths=False)  # fmt: skip
    mu = det[0, 0]
    a = ds["casualties"].values[:, 0]
    assert a.mean() == pytest.approx(mu, abs=4 * np.sqrt((mu + mu * mu / k) / a.size))
    assert a.var() == pytest.approx(mu + mu * mu / k, rel=0.06)
    np.testing.assert_array_equal(ds["casualties"].values[:, 1], det[0, 1])  # B unchanged
