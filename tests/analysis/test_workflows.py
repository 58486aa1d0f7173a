"""End-to-end workflows (design -> sweep -> analysis) on models whose answers are known."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from parley.analysis.discovery import PrimResult
from parley.analysis.workflows import RunOptions, compare, discover, point_outcomes, sensitivity
from parley.experiments.store import RunStore
from parley.scenario import Scenario, ScenarioError, load_scenario

TOY = Path(__file__).resolve().parents[1] / "experiments" / "data" / "toy.yaml"
LEVER = "actors.b.positions.territory.position"


@pytest.fixture(scope="module")
def toy() -> Scenario:
    return load_scenario(TOY)


@pytest.fixture(scope="module")
def ishigami_scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The toy scenario with three U(-pi, pi) inputs, for the Ishigami function."""
    pi = repr(math.pi)
    text = TOY.read_text().split("experiment:")[0] + (
        "experiment:\n  uncertainties:\n"
        + "".join(
            f"    actors.{a}.capability: {{dist: uniform, low: -{pi}, high: {pi}}}\n" for a in "abc"
        )
    )
    path = tmp_path_factory.mktemp("ishigami") / "ishigami.yaml"
    path.write_text(text)
    return load_scenario(path)


def lever_model(
    scenario: Scenario,
    params: Mapping[str, np.ndarray],
    n_runs: int,
    seed: np.random.SeedSequence,
    noise_sd: float = 0.0,
) -> xr.Dataset:
    """``y = (lever / 10) a + noise``: 8a under ``hold``, 7a under ``concede``."""
    a = np.asarray(params["actors.a.capability"], dtype=float)
    y = np.asarray(params[LEVER], dtype=float) / 10 * a
    if noise_sd:
        y = y + noise_sd * np.random.default_rng(seed).standard_normal(n_runs)
    return xr.Dataset({"y": ("run", y)}, coords={"run": np.arange(n_runs)})


def test_compare_returns_table_and_stored_sweep(toy: Scenario, tmp_path: Path) -> None:
    opts = RunOptions(model="linear", results=tmp_path, chunk_runs=20)
    res = compare(toy, ["hold", "concede"], opts, runs=60, seed=2, expressions=["y > 83"])
    table, sw = res.table, res.sweep
    assert res.kind == "compare" and res.run_id == sw.run_id
    assert set(table.measure) == {"y", "hit", "y > 83"}
    y = table.set_index("measure").loc["y"]
    assert y.difference == pytest.approx(-10.0) and y.n_pairs == 60
    assert sw.run_id is not None and sw.design.n_chunks == 2 * 3
    assert len(RunStore(tmp_path).load(sw.run_id)) == 120
    with pytest.raises(ScenarioError, match="at least two policies"):
        compare(toy, ["hold"], opts)


def test_result_joins_inputs_and_outcomes_in_memory(toy: Scenario) -> None:
    # The linear model returns y = sum of every parameter it is given (weight 1): the design
    # columns and the policy's lever (80 under hold, 70 under concede). Each joined row's y must
    # equal the sum of its own inputs; nothing is written without RunOptions.results.
    res = compare(TOY, ["hold", "concede"], RunOptions(model="linear"), runs=25, seed=4)
    assert res.run_id is None
    names = [*res.sweep.design.names, LEVER]
    data = res.data
    assert set(data[LEVER]) == {80.0, 70.0}
    assert len(data) == len(res.outcomes) == 2 * 25
    assert data["y"].to_numpy() == pytest.approx(data[names].sum(axis=1).to_numpy())
    assert set(res.experiments.policy) == {"hold", "concede"}
    with pytest.raises(TypeError):  # one object, no tuple of earlier versions
        table, sweep = res  # type: ignore[misc]


def test_sobol_workflow_on_ishigami(ishigami_scenario: Scenario) -> None:
    # Closed-form indices (Saltelli et al. 2008, §4.7; derivation in test_sensitivity.py).
    a, b = 7.0, 0.1
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    res = sensitivity(
        ishigami_scenario, "sobol", "y", RunOptions(model="ishigami"), n=2048, runs_per_point=1
    )
    sw = res.sweep
    t = res.table.set_index("parameter")
    names = [f"actors.{x}.capability" for x in "abc"]
    assert t.loc[names, "S1"].to_numpy() == pytest.approx([v1 / v, a**2 / 8 / v, 0.0], abs=0.05)
    assert t.loc[names, "ST"].to_numpy() == pytest.approx(
        [(v1 + v13) / v, a**2 / 8 / v, v13 / v], abs=0.05
    )
    assert sw.design.n_points == 2048 * 5


def test_point_outcomes_noise_share(toy: Scenario) -> None:
    # Saltelli points (uniform marginals), 10 replicates per point with noise sd 5: within-point variance of the mean 25/10 = 2.5;
    # between points Var(8a) = 64/3. Noise share = 2.5 / (64/3 + 2.5) = 0.105.
    opts = RunOptions(model=lever_model, model_options={"noise_sd": 5.0})  # type: ignore[arg-type]
    sw = sensitivity(toy, "sobol", "y", opts, policy="hold", n=128, runs_per_point=10).sweep
    means, noise = point_outcomes(sw.frame, "y", ["hold"])
    assert means.shape == (sw.design.n_points,)
    assert noise == pytest.approx(2.5 / (64 / 3 + 2.5), rel=0.3)
    plain = RunOptions(model="linear")
    sw0 = sensitivity(toy, "oat", "y", plain, runs_per_point=3).sweep
    assert point_outcomes(sw0.frame, "y", ["baseline"])[1] == 0.0


def test_discover_with_a_paired_policy_expression(toy: Scenario) -> None:
    # "Where does conceding give terms within 0.5 of holding?": 7a > 8a - 0.5  <=>  a < 0.5.
    opts = RunOptions(model=lever_model)  # type: ignore[arg-type]
    result = discover(
        toy, "y@concede > y@hold - 0.5", opts, n=400, runs_per_point=1, threshold=0.95
    )
    res, points, sw = result.detail, result.points, result.sweep
    assert isinstance(res, PrimResult) and points is not None
    assert result.table.equals(res.box())
    assert {c.policy for c in sw.design.cells} == {"concede", "hold"}  # read from the expression
    assert points.outcome.mean() == pytest.approx((points["actors.a.capability"] < 0.5).mean())
    box = res.box().set_index("parameter")
    assert box.loc["actors.a.capability", "high"] == pytest.approx(0.5, abs=0.05)
    assert box.loc["actors.a.capability", "low"] == pytest.approx(0.0, abs=0.02)
    assert res.trajectory.density[res.chosen] >= 0.95


def test_workflow_errors(toy: Scenario) -> None:
    opts = RunOptions(model="linear")
    with pytest.raises(ScenarioError, match="unknown method 'fast'"):
        sensitivity(toy, "fast", "y", opts)
    with pytest.raises(ScenarioError, match="must be a condition"):
        discover(toy, "y", opts, n=20, runs_per_point=1)
