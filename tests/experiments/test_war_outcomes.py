"""The war simulator as an experiment model, with the territory under A after the war."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from parley.experiments.models import resolve_model
from parley.experiments.war_outcomes import WAR_OUTCOMES_MODEL, war_outcomes_model
from parley.scenario.load import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"


def test_territory_after_is_the_settled_line_or_the_front() -> None:
    sc = load_scenario(FLAGSHIP)
    assert resolve_model(WAR_OUTCOMES_MODEL) is war_outcomes_model
    ds = war_outcomes_model(sc, {}, 64, np.random.SeedSequence(3))
    after = ds["territory_after_km2"].values
    settled = ds["settled"].values.astype(bool)
    line = ds["terms"].sel(issue="territory").values
    front = ds["final_area_km2"].values
    assert settled.any() and (~settled).any()
    assert np.allclose(after[settled], line[settled])
    assert np.allclose(after[~settled], front[~settled])
    assert ds["territory_after_km2"].attrs["units"] == "km2"
