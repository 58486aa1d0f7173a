"""Front forecasts through the war engine: a window mixture drives its share of the runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hand_models import no_talks_war
from parley.analysis.engine_forecast import EngineSpec, engine_area_paths
from parley.scenario.load import load_scenario
from parley.war.front import FrontParams


def _no_talks(tmp_path: Path) -> EngineSpec:
    """war_minimal where the front alone moves (:func:`hand_models.no_talks_war`)."""
    return EngineSpec(load_scenario(no_talks_war(tmp_path)))


def test_each_window_drives_its_share_of_the_engine_runs(tmp_path: Path) -> None:
    # deterministic fronts (σ 0, no jumps, no offensives) of −50 and +30 km²/day at weights
    # 0.7 / 0.3 of 20 runs: runs 1–14 move −350 km² a week, runs 15–20 +210, from 45,000 km²
    meta = {"last_date": "2030-01-01", "last_value": 45000.0, "regime_probs_last": [1, 0, 0, 0, 0]}
    comps = [
        (0.7, FrontParams(drift_positional=-50.0, sigma_positional=0.0, metadata=meta)),
        (0.3, FrontParams(drift_positional=30.0, sigma_positional=0.0, metadata=meta)),
    ]
    stream = np.random.SeedSequence(5)
    paths = engine_area_paths(_no_talks(tmp_path), comps, 45000.0, 4, 20, 5, stream)
    weeks = np.arange(1, 5)
    np.testing.assert_allclose(paths[:14], np.tile(45000.0 - 350.0 * weeks, (14, 1)))
    np.testing.assert_allclose(paths[14:], np.tile(45000.0 + 210.0 * weeks, (6, 1)))
