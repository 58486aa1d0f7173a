"""Random streams: one per mechanism, append-only, so adding a mechanism keeps earlier draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from parley.scenario.load import load_scenario
from parley.war import engine
from parley.war.params import compile_war
from parley.war.streams import STREAMS, generators

DATA = Path(__file__).parents[1] / "data" / "war_minimal.yaml"

#: The registered order as it stood when each entry was added. Extend, never edit.
REGISTERED = (
    "front", "battles", "settlement", "aid", "politics", "escalation", "durability", "initial",
    "signals", "losses", "breaking", "supporters",
)  # fmt: skip


def test_registry_is_append_only() -> None:
    assert STREAMS[: len(REGISTERED)] == REGISTERED
    assert len(set(STREAMS)) == len(STREAMS)


def test_appending_a_stream_keeps_every_earlier_streams_draws() -> None:
    before = generators(11, STREAMS[:8])  # the v1 registry
    after = generators(11, (*STREAMS, "a_new_mechanism"))
    for name in STREAMS[:8]:
        np.testing.assert_array_equal(before[name].random(50), after[name].random(50))


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        generators(0, ("front", "front"))


def test_simulation_unchanged_when_a_stream_is_appended(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = load_scenario(DATA)
    p = compile_war(
        sc, {"war.forces.A.loss_dispersion": 5.0, "war.beliefs.B.observation_share": 0.5}
    )
    base = engine.simulate(p, 40, 3)
    monkeypatch.setattr(
        engine, "generators", lambda seed: generators(seed, (*STREAMS, "a_new_mechanism"))
    )
    extended = engine.simulate(p, 40, 3)
    xr.testing.assert_identical(base, extended)
