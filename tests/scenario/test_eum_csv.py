"""Tests of the classic expected-utility CSV importer."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.scenario.errors import ScenarioError
from parley.scenario.importers.eum_csv import ISSUE_ID, load_eum_csv
from parley.scenario.load import load_scenarios
from parley.scenario.schema import Scenario

SHIPPED = (
    "ec_car_emissions_1994.csv",
    "iran_election_2013.csv",
    "uk_emu_labour.csv",
    "china_1989.csv",
    "sultan_oil_1997.csv",
)


def shipped(name: str) -> str:
    return (resources.files("parley.data") / "eum" / name).read_text()


def stance(sc: Scenario, actor: str) -> tuple[float, float, float]:
    a = sc.actor(actor)
    s = a.positions[ISSUE_ID]
    return a.capability, s.position, s.salience


def test_ec_percent_salience() -> None:
    (sc,) = load_eum_csv(shipped("ec_car_emissions_1994.csv"), "data/ec_car_emissions_1994.csv")
    assert sc.id == "ec_car_emissions_1994"
    assert [a.id for a in sc.actors][:3] == ["Netherlands", "Belgium", "Luxembourg"]
    assert stance(sc, "Denmark") == (0.05, 4.0, 1.0)  # salience 100 -> 1.0
    assert stance(sc, "Ireland") == (0.05, 7.0, 0.1)
    assert (sc.issues[0].scale_min, sc.issues[0].scale_max) == (4.0, 10.0)
    assert sc.metadata["salience_scale"] == "0-100"


def test_lowercase_fraction_salience() -> None:
    (sc,) = load_eum_csv(shipped("iran_election_2013.csv"), "iran.csv")
    assert len(sc.actors) == 8
    assert stance(sc, "RUH") == (0.21, 8.0, 1.0)
    assert stance(sc, "VEL") == (0.07, 5.0, 0.25)
    assert sc.metadata["salience_scale"] == "0-1"
    assert (sc.issues[0].scale_min, sc.issues[0].scale_max) == (1.0, 10.0)


def test_stakeholder_resources_header() -> None:
    (sc,) = load_eum_csv(shipped("china_1989.csv"), "china.csv")
    assert len(sc.actors) == 24
    assert stance(sc, "Hong Kong") == (25.0, 100.0, 0.85)
    assert stance(sc, "STU/INTEL") == (40.0, 100.0, 0.9)


@pytest.mark.parametrize("name", SHIPPED)
def test_all_shipped_files_load_through_the_registry(name: str) -> None:
    path = resources.files("parley.data") / "eum" / name
    (sc,) = load_scenarios(str(path))
    rows = [ln for ln in shipped(name).splitlines() if ln.strip()]
    assert len(sc.actors) == len(rows) - 1


def test_tab_separated_blank_lines_bom_and_spaces() -> None:
    text = "\ufeff Name \t POWER\tposition\tSalience\n\nA\t1\t0\t50\n B \t2\t10\t100\n"
    (sc,) = load_eum_csv(text, "t.tsv")
    assert stance(sc, "B") == (2.0, 10.0, 1.0)
    assert stance(sc, "A") == (1.0, 0.0, 0.5)


def test_single_position_gets_unit_scale() -> None:
    (sc,) = load_eum_csv("actor,capability,position,salience\nA,1,3,0.5\nB,1,3,0.5\n", "x.csv")
    assert (sc.issues[0].scale_min, sc.issues[0].scale_max) == (2.5, 3.5)


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("", None, None, "empty"),
        ("\n  \n", None, None, "empty"),
        ("Actor,Capability,Position\nA,1,2\n", 1, None, "missing column"),
        ("Actor,Capability,Position,Weight\nA,1,2,3\n", 1, "Weight", "unknown column"),
        ("Actor,Actor,Position,Salience\nA,1,2,3\n", 1, "actor", "repeats"),
        ("Actor,Capability,Position,Salience\n", 2, None, "no actor rows"),
        ("Actor,Capability,Position,Salience\nA,1,2\n", 2, None, "3 cells"),
        ("Actor,Capability,Position,Salience\nA,1,2,0.5\nB,x,2,0.5\n", 3, "capability", "'x'"),
        ("Actor,Capability,Position,Salience\nA,1,,0.5\n", 2, "position", "not a number"),
        ("Actor,Capability,Position,Salience\nA,1,nan,0.5\n", 2, "position", "finite"),
        ("Actor,Capability,Position,Salience\nA,1,2,0.5\nB,1,3,130\n", 3, "salience", "outside"),
        ("Actor,Capability,Position,Salience\nA,1,2,-0.1\n", 2, "salience", "outside"),
        ("Actor,Capability,Position,Salience\nA,-1,2,0.5\n", 2, "capability", "negative"),
        ("Actor,Capability,Position,Salience\nA,0,2,0.5\nB,0,3,1\n", None, "capability", "all"),
        ("Actor,Capability,Position,Salience\nA,1,2,0.5\nA,1,3,0.5\n", 3, "actor", "line 2"),
        ("Actor,Capability,Position,Salience\n ,1,2,0.5\n", 2, "actor", "empty"),
    ],
)
def test_bad_input(text: str, line: int | None, field: str | None, message: str) -> None:
    with pytest.raises(ScenarioError) as err:
        load_eum_csv(text, "bad.csv")
    exc = err.value
    assert exc.file == "bad.csv"
    assert exc.line == line
    assert exc.field == field
    assert message in exc.message


CELL = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["1", "0.5", "100", "-3", "1e400", "nan", "", " 7 ", '"a,b"', "Actor"]),
)
HEADER = st.sampled_from(
    [
        "Actor,Capability,Position,Salience",
        "name,capability,position,salience",
        "Stakeholder,Resources,Position,Salience",
        "Actor,Position",
        "",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=200),
        st.tuples(HEADER, st.lists(st.lists(CELL, min_size=0, max_size=5), max_size=6)).map(
            lambda hr: hr[0] + "\n" + "\n".join(",".join(r) for r in hr[1])
        ),
    )
)
def test_fuzz_scenarios_or_scenario_error(text: str) -> None:
    try:
        scenarios = load_eum_csv(text, "fuzz.csv")
    except ScenarioError as exc:
        assert exc.file == "fuzz.csv"
        return
    assert len(scenarios) == 1
    sc = scenarios[0]
    assert sc.actors and all(0 <= a.positions[ISSUE_ID].salience <= 1 for a in sc.actors)
