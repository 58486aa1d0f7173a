"""The table of every war input with its value, stated range and source."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.experiments.distributions import from_spec
from parley.experiments.parameter_table import (
    assumption_table,
    dist_range,
    source_for,
    war_parameters,
)
from parley.scenario.load import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"


def test_source_lookup_and_ranges() -> None:
    sources = {"war.supporters.*.force_per_bn": "x", "war.support.*.cost_gain": "y"}
    assert source_for("war.supporters.3.force_per_bn", sources) == "x"
    assert source_for("war.support.B.cost_gain", sources) == "y"
    assert source_for("war.support.B.punishment", sources) == ""
    lo, hi, _ = dist_range(from_spec({"dist": "uniform", "low": -5, "high": 12}))
    assert (lo, hi) == (-5, 12)
    # central 95 % of normal(10, 2): 10 -+ 1.959964 * 2
    lo, hi, _ = dist_range(from_spec({"dist": "normal", "mean": 10, "sd": 2}))
    assert (lo, hi) == pytest.approx((10 - 3.919928, 10 + 3.919928), abs=1e-5)


def test_every_war_parameter_of_the_flagship_has_a_source() -> None:
    war = war_parameters(load_scenario(FLAGSHIP))
    assert len(war) > 100 and war.parameter.str.startswith("war.").all()
    missing = war[war.source.fillna("").str.strip() == ""]
    assert missing.empty, missing.parameter.tolist()
    ranged = war.dropna(subset=["low", "high"])
    assert (ranged.low <= ranged.high).all()
    # the assumption sets' ranges are listed as their own rows
    # critics_western: 6 supporters x (3 aid fields + 4 payoff fields), the common shock,
    # Russia's casualty slope
    rows = war[war.parameter.str.endswith("[critics_western]")]
    assert len(rows) == 6 * (3 + 4) + 2
    # each with its own sentence from metadata.assumption_sources, not a generic label
    assert not rows.source.str.contains("reason in experiment.assumptions").any()


def test_assumption_table_has_a_column_per_set() -> None:
    sc = load_scenario(FLAGSHIP)
    table = assumption_table(sc)
    assert sc.experiment is not None
    assert list(table.columns) == ["parameter", "baseline", *sc.experiment.assumptions]
    row = table.set_index("parameter").loc["war.front.p_offensive_B_per_day"]
    assert row["advocates_battlefield"] == "0"  # fixed at 0 by the advocates' set
