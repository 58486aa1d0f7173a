"""The compiled war values agree with the NumPy reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.war.beliefs import war_values
from parley.war.kernels import war_values_compiled


def test_agrees_on_a_grid_of_beliefs() -> None:
    g = np.random.default_rng(0)
    runs = 5000
    alpha = g.uniform(0.5, 200, (runs, 2))
    beta = g.uniform(0.5, 200, (runs, 2))
    n = np.full(runs, 10.0)
    k = g.uniform(0, 10, runs)
    cost = g.uniform(0, 0.05, (runs, 2))
    ref = war_values(k, n, alpha, beta, cost, 16)
    np.testing.assert_allclose(war_values_compiled(k, n, alpha, beta, cost, 16), ref, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0.2, 500), b=st.floats(0.2, 500), k=st.floats(0, 20), c=st.floats(0, 0.1),
    nodes=st.sampled_from([8, 16, 24]),
)  # fmt: skip
def test_agrees_everywhere(a: float, b: float, k: float, c: float, nodes: int) -> None:
    alpha = np.array([[a, b]])
    beta = np.array([[b, a]])
    args = (np.array([k]), np.array([20.0]), alpha, beta, np.array([[c, c]]), nodes)
    np.testing.assert_allclose(war_values_compiled(*args), war_values(*args), atol=1e-9)


def test_engine_gives_the_same_dataset_with_either_kernel() -> None:
    from pathlib import Path  # noqa: PLC0415

    import xarray as xr  # noqa: PLC0415

    from parley.scenario.load import load_scenario  # noqa: PLC0415
    from parley.war.engine import simulate  # noqa: PLC0415
    from parley.war.params import compile_war  # noqa: PLC0415

    sc = load_scenario(Path(__file__).parents[1] / "data" / "war_minimal.yaml")
    p = compile_war(sc, {"war.beliefs.B.observation_share": 0.5})
    a = simulate(p, 300, 5, kernel="numba")
    b = simulate(p, 300, 5, kernel="numpy")
    xr.testing.assert_allclose(a, b, atol=1e-9)
    np.testing.assert_array_equal(a["outcome"].values, b["outcome"].values)


def test_serial_and_threaded_kernels_give_identical_values(monkeypatch) -> None:  # noqa: ANN001
    from parley.war import kernels  # noqa: PLC0415

    g = np.random.default_rng(1)
    runs = 3000
    args = (
        g.uniform(0, 10, runs), np.full(runs, 10.0), g.uniform(0.5, 200, (runs, 2)),
        g.uniform(0.5, 200, (runs, 2)), g.uniform(0, 0.05, (runs, 2)), 16,
    )  # fmt: skip
    monkeypatch.setattr(kernels, "PARALLEL_MIN", 0)
    threaded = war_values_compiled(*args)
    monkeypatch.setattr(kernels, "PARALLEL_MIN", 10**9)
    serial = war_values_compiled(*args)
    # the same arithmetic per element, in the same order: equal to the last bit
    np.testing.assert_array_equal(threaded, serial)
    np.testing.assert_allclose(serial, war_values(*args), atol=1e-9)
