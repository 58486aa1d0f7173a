"""Fixtures shared across test folders: the flagship's war analysis at a tiny size, computed once
per session (it takes tens of seconds) for the analysis tests and the report tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.analysis.war_analysis import WarAnalysis, WarSizes, analyse_war
from parley.scenario.load import load_scenario
from parley.scenario.schema import Scenario

FLAGSHIP = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine-2022-11.yaml"
#: The smallest sizes at which every part of the war analysis runs.
TINY = WarSizes(runs=8, sobol_n=4, sobol_reps=2, oat_reps=2, prim_points=40, prim_reps=2)


@pytest.fixture(scope="session")
def flagship() -> Scenario:
    """The flagship scenario, ``scenarios/ukraine-2022-11.yaml``."""
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="session")
def flagship_war(flagship: Scenario) -> WarAnalysis:
    """:func:`analyse_war` of the flagship, 8 runs per cell, seed 7, :data:`TINY` sizes."""
    result, notes = analyse_war(flagship, TINY.runs, np.random.SeedSequence(7), sizes=TINY)
    assert result is not None and notes == []
    return result
