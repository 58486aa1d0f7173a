"""Casualty sensitivity by regime type."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.scenario.load import load_scenario
from parley.war.engine import simulate
from parley.war.params import compile_war
from parley.war.politics import REGIME_SENSITIVITY, regime_sensitivity

DATA = Path(__file__).parents[2] / "data" / "war_minimal.yaml"


def test_regime_table() -> None:
    assert regime_sensitivity(("personalist", "democracy")).tolist() == [0.4, 1.0]
    assert REGIME_SENSITIVITY["unspecified"] == 1.0


def test_support_falls_by_the_regime_slope() -> None:
    sc = load_scenario(DATA)
    ov = {"war.policy.negotiate_from_step": 10**6, "war.time.horizon_steps": 10,
          "war.support.A.regime": "personalist"}  # fmt: skip
    ds = simulate(compile_war(sc, ov), 3, 0)
    cas = ds["casualties"].values[0, -1, 0].astype(float)
    s = ds["support"].values[0, -1, 0].astype(float)
    # S = 0.7 − 0.05·0.4·log10(1 + casualties)
    assert s == pytest.approx(0.7 - 0.05 * 0.4 * np.log10(1 + cas), abs=1e-5)


def test_mobilisation_lever_and_its_political_cost() -> None:
    sc = load_scenario(DATA)
    base = {"war.policy.negotiate_from_step": 10**6, "war.time.horizon_steps": 1,
            "war.forces.A.effectiveness_per_day": 0.0, "war.forces.B.effectiveness_per_day": 0.0,
            "war.supporters.ally.force_per_bn": 0.0}  # fmt: skip
    ov = {**base, "war.forces.A.mobilisation": 3.0, "war.support.A.mobilisation_cost": 0.05}
    ds = simulate(compile_war(sc, ov), 2, 0)
    # no attrition: force = 1 + 3·0.001·7 after one week; support 0.7 − 0.05·(3 − 1) = 0.6
    assert float(ds["force"].values[0, 0, 0]) == pytest.approx(1.021, abs=1e-6)
    assert float(ds["force"].values[0, 0, 1]) == pytest.approx(1.007, abs=1e-6)
    assert float(ds["support"].values[0, 0, 0]) == pytest.approx(0.6, abs=1e-6)
