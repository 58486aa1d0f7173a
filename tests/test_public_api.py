"""The public API: every exported name loads, and the one-call entry points give known numbers."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

import parley

TOY = Path(__file__).resolve().parent / "experiments" / "data" / "toy.yaml"
PACKAGES = ["parley", "parley.analysis", "parley.experiments", "parley.war", "parley.web",
            "parley.scenario", "parley.negotiation", "parley.scenario.importers", "parley.cli",
            "parley.war.mechanisms", "parley.interop", "parley.report"]  # fmt: skip


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_loads(package: str) -> None:
    mod = importlib.import_module(package)
    assert mod.__all__, package
    for name in mod.__all__:
        assert getattr(mod, name) is not None, f"{package}.{name}"
    assert len(set(mod.__all__)) == len(mod.__all__)
    assert not hasattr(mod, "no_such_name")


def test_top_level_names_are_the_library_objects() -> None:
    from parley.analysis.workflows import compare
    from parley.scenario.load import load_scenario

    assert parley.compare is compare and parley.load_scenario is load_scenario
    assert parley.DEFAULT_SEED == 20221108  # the flagship forecast origin, 2022-11-08


def test_forecast_matches_the_weighted_mean_by_hand() -> None:
    # The compromise model forecasts the capability x salience weighted mean of the positions
    # (docs/explanation.md). Territory: weights 1*0.9, 2*0.8, 0.5*0.3 = 0.9, 1.6, 0.15;
    # (0.9*10 + 1.6*80 + 0.15*50) / 2.65 = 144.5 / 2.65 = 54.528...
    # Security (actor c takes no position): (0.5*2 + 0.8*8) / 1.3 = 7.4 / 1.3 = 5.692...
    table = parley.forecast(TOY, ["compromise"]).set_index("issue")
    assert table.loc["territory", "forecast"] == pytest.approx(144.5 / 2.65)
    assert table.loc["security", "forecast"] == pytest.approx(7.4 / 1.3)
    assert table.loc["territory", "reference"] == 50.0
    with pytest.raises(parley.ScenarioError, match="unknown model 'nope', expected one of"):
        parley.forecast(TOY, ["nope"])


def test_simulate_is_the_engine_on_the_compiled_scenario() -> None:
    from parley.war.engine import simulate
    from parley.war.params import compile_war

    path = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine-2022-11.yaml"
    sc = parley.load_scenario(path)
    ds = parley.simulate(sc, 40, seed=9, policy="support_then_negotiate", record_paths=False)
    levers = dict(sc.experiment.policies["support_then_negotiate"].levers)  # type: ignore[union-attr]
    ref = simulate(compile_war(sc, levers, 40), 40, 9, record_paths=False)
    np.testing.assert_array_equal(ds.outcome.values, ref.outcome.values)
    np.testing.assert_array_equal(ds.settle_step.values, ref.settle_step.values)
