"""Small hand-made scenarios and models for the analysis and report tests (expected values computed
by hand)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml

from parley.negotiation.registry import ModelResult
from parley.scenario.arrays import StakeholderBatch
from parley.scenario.load import parse_scenario
from parley.scenario.schema import Scenario


def weighted_mean(batch: StakeholderBatch, **_: Any) -> ModelResult:
    """Capability x salience weighted mean of positions (the compromise model, written out here)."""
    w = batch.capability[:, :, None] * np.nan_to_num(batch.salience)
    x = np.nan_to_num(batch.position)
    outcome = (w * x).sum(axis=1) / w.sum(axis=1)
    history = np.stack(
        [batch.position, np.broadcast_to(outcome[:, None, :], batch.position.shape)], axis=1
    )
    return ModelResult(outcome=outcome, history=history)


def first_actor(batch: StakeholderBatch, **_: Any) -> ModelResult:
    """Forecast = the first actor's position (lets a test see the sampled inputs directly)."""
    return ModelResult(outcome=batch.position[:, 0, :].copy())


def two_actor_scenario(metadata: dict[str, Any] | None = None) -> Scenario:
    """Two actors on one km² issue and one index issue.

    Hand calculation for :func:`weighted_mean` on ``land``: A (0 km², salience 1, capability 1) and
    B (100,000 km², salience 0.5, capability 2) have weights 1 and 1, so the forecast is 50,000 km².
    On ``guarantee``: A at 80 (salience 1, weight 1), B at 20 (salience 0.25, weight 0.5):
    (80 + 10) / 1.5 = 60.
    """
    data = {
        "id": "two",
        "name": "Two actors",
        "description": "A test of the report.",
        "start_date": "2022-11-08",
        "issues": [
            {
                "id": "land",
                "name": "Land",
                "unit": "km2",
                "scale_min": 0,
                "scale_max": 100000,
                "labels": [
                    {"value": 0, "label": "old border"},
                    {"value": 40000, "label": "cease-fire line"},
                    {"value": 100000, "label": "maximal claim"},
                ],
                "reference_point": 40000,
                "source": "test",
            },
            {"id": "guarantee", "name": "Guarantee", "unit": "index"},
        ],
        "actors": [
            {
                "id": "A",
                "capability": 1,
                "positions": {
                    "land": {"position": 0, "salience": 1},
                    "guarantee": {"position": 80, "salience": 1},
                },
            },
            {
                "id": "B",
                "capability": 2,
                "positions": {
                    "land": {"position": 100000, "salience": 0.5},
                    "guarantee": {"position": 20, "salience": 0.25},
                },
            },
        ],
        "metadata": metadata or {},
    }
    return parse_scenario(data, "two.yaml")


#: A tiny war scenario (7-day steps, start 8 November 2022, area 40,000 of 100,000 km²).
WAR_MINIMAL = Path(__file__).parent / "data" / "war_minimal.yaml"


def no_talks_war(folder: Path) -> Path:
    """``war_minimal`` where talks never open and nothing ends a run (no catastrophe, no collapse):
    every run fights the whole horizon, so the area follows the front process alone. Written to
    ``folder/no_talks.yaml``; returns the path."""
    doc = yaml.safe_load(WAR_MINIMAL.read_text())
    war = doc["war"]
    war["policy"] = {"negotiate_from_step": 10**6}
    war["escalation"] = {"rho0_per_month": 0.0}
    for side in ("A", "B"):
        war["forces"][side]["collapse_fraction"] = 0.0
    path = folder / "no_talks.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path
