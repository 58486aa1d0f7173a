"""The per-issue forecast rows: one per scenario and issue, in batch order."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from parley.negotiation.registry import ModelResult
from parley.negotiation.tables import FORECAST_COLUMNS, forecast_rows
from parley.scenario.load import load_scenario

TOY = Path(__file__).resolve().parents[1] / "experiments" / "data" / "toy.yaml"


def test_rows_follow_the_batch_order() -> None:
    sc = load_scenario(TOY)  # issues territory (0-100, reference 50) and security (0-10)
    result = ModelResult(outcome=np.array([[11.0, 2.0], [33.0, 4.0]]))
    rows = forecast_rows([sc, sc], "m", result, names=["first", "second"])
    assert [tuple(r) for r in rows] == [FORECAST_COLUMNS] * 4
    assert [(r["variant"], r["issue"], r["forecast"]) for r in rows] == [
        ("first", "territory", 11.0),
        ("first", "security", 2.0),
        ("second", "territory", 33.0),
        ("second", "security", 4.0),
    ]
    assert rows[0]["reference"] == 50 and rows[0]["scale_max"] == 100
    assert forecast_rows([sc], "m", ModelResult(outcome=np.zeros((1, 2))))[0]["variant"] == sc.id
