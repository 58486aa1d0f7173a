"""Stated ranges of the stakeholder inputs: every malformed range names its metadata field."""

from __future__ import annotations

import pytest

from hand_models import two_actor_scenario
from parley.scenario.errors import ScenarioError
from parley.scenario.stated_ranges import input_ranges


@pytest.mark.parametrize(
    ("meta", "field"),
    [
        (
            {"stances": {"A": {"land": {"position_range": [10, 20]}}}},
            "metadata.stances.A.land.position_range",
        ),
        (
            {"stances": {"A": {"land": {"salience_range": [0.5, 1.5]}}}},
            "metadata.stances.A.land.salience_range",
        ),
        (
            {"stances": {"A": {"land": {"position_range": "wide"}}}},
            "metadata.stances.A.land.position_range",
        ),
        ({"capabilities": {"Z": {"range": [1, 2]}}}, "metadata.capabilities.Z"),
        ({"capabilities": {"A": {"range": [2, 1]}}}, "metadata.capabilities.A.range"),
        ({"stances": {"A": {"peace": {}}}}, "metadata.stances.A.peace"),
    ],
)
def test_bad_ranges_name_the_field(meta: dict[str, object], field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        input_ranges(two_actor_scenario(meta))
    assert err.value.field == field


def test_stated_ranges_and_sources() -> None:
    meta = {"stances": {"A": {"land": {"position_range": [0, 5000], "source": "expert survey"}}},
            "capabilities": {"B": {"range": [1.5, 2.5]}}}  # fmt: skip
    r = input_ranges(two_actor_scenario(meta))
    assert (r.position_lo[0, 0], r.position_hi[0, 0]) == (0.0, 5000.0)
    assert (r.capability_lo[1], r.capability_hi[1]) == (1.5, 2.5)
    # an input without a stated range is held at its value (B's land position: 100,000 km²)
    assert r.position_lo[1, 0] == r.position_hi[1, 0] == 100000.0
    assert r.sources["A.land.position"] == "expert survey"
