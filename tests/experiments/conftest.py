"""Shared fixtures for the experiment tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.scenario import Scenario, load_scenario

TOY = Path(__file__).parent / "data" / "toy.yaml"


@pytest.fixture(scope="session")
def toy() -> Scenario:
    """A three-actor scenario with uncertainties, a correlation, assumption sets and policies."""
    return load_scenario(TOY)
