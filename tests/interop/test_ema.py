"""The EMA Workbench adapter: ``perform_experiments`` on parley's model gives parley's numbers."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from parley.experiments.design import make_design
from parley.experiments.sweep import run_sweep
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # ema_workbench warns about its own optional extras
    ema = pytest.importorskip("ema_workbench")

from parley.interop.ema import ema_model, ema_name, ema_policies, ema_scenarios  # noqa: E402

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"
POLICIES = ["negotiate_now_no_preconditions", "support_then_negotiate"]
MEASURES = ["settled", "settled_by_365d", "final_area_km2"]


def test_ema_names_are_identifiers() -> None:
    assert ema_name("war.policy.concession") == "war__policy__concession"
    assert ema_name("war.supporters.0.aid").isidentifier()


def test_perform_experiments_reproduces_a_parley_sweep() -> None:
    # Three Latin-hypercube points x two policies, four runs per point. The parley sweep keeps
    # one point per chunk, so point k runs on SeedSequence(seed, spawn_key=(k,)), the stream the
    # adapter gives EMA experiment k; both must give the same per-point means.
    sc = load_scenario(FLAGSHIP)
    model = ema_model(sc, runs_per_point=4, seed=7, outcomes=MEASURES)
    spec = sc.experiment
    assert spec is not None
    by_name = {u.name: u for u in model.uncertainties}
    for path, dist in spec.uncertainties.items():
        if dist.dist == "uniform":
            u = by_name[ema_name(path)]
            assert (u.lower_bound, u.upper_bound) == (dist.low, dist.high)  # type: ignore[union-attr]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = ema.perform_experiments(
            model, scenarios=ema_scenarios(sc, 3, seed=7), policies=ema_policies(sc, POLICIES)
        )
    d = make_design(
        sc, policies=POLICIES, method="lhs", n_points=3, runs_per_point=4, chunk_points=1, seed=7
    )
    means = run_sweep(sc, d, "war").frame.groupby(["policy", "point"])[MEASURES].mean()
    for i, row in experiments.iterrows():
        key = (row["policy"], int(row["stream"]))
        for m in MEASURES:
            assert outcomes[m][i] == pytest.approx(float(means.loc[key, m]), rel=1e-12), (key, m)
    # the runs differ between points, so the comparison is not trivially of constants
    assert np.ptp(outcomes["final_area_km2"]) > 0


def test_unknown_outcome_is_one_line() -> None:
    with pytest.raises(ScenarioError, match="unknown outcome 'nope'"):
        ema_model(load_scenario(FLAGSHIP), outcomes=["nope"])
