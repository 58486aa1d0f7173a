"""Tests of the KTAB SMP CSV importer (``parley.scenario.importers.ktab``).

Expected values are read off the shipped KTAB input files (KTAB, github lsyaseen/KTAB, MIT): the
cells quoted in each test are the file's own text.
"""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.scenario.errors import ScenarioError
from parley.scenario.importers.ktab import load_ktab
from parley.scenario.load import load_scenarios
from parley.scenario.schema import Scenario

SHIPPED = sorted(
    p.name for p in (resources.files("parley.data") / "ktab").iterdir() if p.name.endswith(".csv")
)

GOOD = (
    "Demo,A small test,3,2,\n"
    "Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,\n"
    "A,First,10,0,50,100,25,\n"
    "B,Second,20.5,50,10,40,10,\n"
    "C,Third,1,100,90,0,10,\n"
)


def shipped(name: str) -> str:
    return (resources.files("parley.data") / "ktab" / name).read_text()


def test_all_shipped_files_load() -> None:
    assert len(SHIPPED) == 21
    for name in SHIPPED:
        (sc,) = load_ktab(shipped(name), name)
        assert isinstance(sc, Scenario)
        assert sc.metadata["format"] == "ktab"


def test_dummy_3dim_cells() -> None:
    # first actor row of dummyData_3Dim.csv:
    # "SActor-00, Random Spatial Actor, 102.543, 75.79, 49.53,  6.37,  5.91, 70.45, 28.15,"
    (sc,) = load_ktab(shipped("dummyData_3Dim.csv"), "dummyData_3Dim.csv")
    assert sc.id == "DummyData_3Dim"
    assert sc.description == "Dummy scenario to test reading format"
    assert [i.id for i in sc.issues] == ["Pstn1", "Pstn2", "Pstn3"]
    assert all((i.scale_min, i.scale_max) == (0.0, 100.0) for i in sc.issues)
    assert len(sc.actors) == 7
    a = sc.actor("SActor-00")
    assert a.name == "Random Spatial Actor"
    assert a.capability == 102.543
    assert [a.positions[k].position for k in ("Pstn1", "Pstn2", "Pstn3")] == [75.79, 6.37, 70.45]
    # saliences become value / 100, the division smpc performs
    assert [a.positions[k].salience for k in ("Pstn1", "Pstn2", "Pstn3")] == [
        49.53 / 100,
        5.91 / 100,
        28.15 / 100,
    ]


def test_soe_influence_header_and_named_dimensions() -> None:
    # SOE-Pol-Comp.csv: "Actor,Description,Influence,Policy Position,Policy Salience,Competitive
    # Position,Competitive Salience," and "XJ,Xi Jinping, 100.0,30,24.0,20,48.0,"
    (sc,) = load_ktab(shipped("SOE-Pol-Comp.csv"), "SOE-Pol-Comp.csv")
    assert [i.id for i in sc.issues] == ["Policy Position", "Competitive Position"]
    assert len(sc.actors) == 13
    xj = sc.actor("XJ")
    assert xj.name == "Xi Jinping" and xj.capability == 100.0
    assert xj.positions["Policy Position"].position == 30.0
    assert xj.positions["Policy Position"].salience == 0.24
    assert xj.positions["Competitive Position"].position == 20.0
    assert xj.positions["Competitive Position"].salience == 0.48


def test_load_scenarios_detects_ktab_power_header(tmp_path) -> None:
    path = tmp_path / "demo.csv"
    path.write_text(GOOD)
    (sc,) = load_scenarios(path)
    assert sc.metadata["format"] == "ktab"
    assert sc.actor("B").capability == 20.5
    assert sc.actor("A").positions["Pstn2"].position == 100.0


def test_forced_format_reads_soe_file(tmp_path) -> None:
    path = tmp_path / "soe.csv"
    path.write_text(shipped("SOE-Policy.csv"))
    (sc,) = load_scenarios(path, "ktab")
    assert len(sc.actors) == 26 and [i.id for i in sc.issues] == ["Policy Position"]


def test_bom_quotes_and_spaces() -> None:
    text = "\ufeff" + GOOD.replace("A,First", '"A", "First, with comma"').replace(",10,", ", 10 ,")
    (sc,) = load_ktab(text, "bom.csv")
    assert sc.actor("A").name == "First, with comma"
    assert sc.actor("A").capability == 10.0


def test_duplicate_dimension_names_are_made_unique() -> None:
    text = GOOD.replace("Pstn1,Sal1,Pstn2,Sal2", "Pos,Sal,Pos,Sal")
    (sc,) = load_ktab(text, "dup.csv")
    assert [i.id for i in sc.issues] == ["Pos", "Pos_2"]


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_ktab(text, "bad.csv")
    assert info.value.file == "bad.csv"
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "first line"),
        ("Demo,x,3,2,\n", 1, "header"),
        ("Demo,x,3\nActor,Description,Power,\n", 1, "name,description,actors,dimensions"),
        (GOOD.replace("Demo,A small test,3,2", "Demo,A small test,three,2"), 1, "whole number"),
        (GOOD.replace("Demo,A small test,3,2", "Demo,A small test,2,2"), 1, "3 to 250"),
        (GOOD.replace("Demo,A small test,3,2", "Demo,A small test,251,2"), 1, "3 to 250"),
        (GOOD.replace("Demo,A small test,3,2", "Demo,A small test,3,0"), 1, "1 to 1000"),
        (GOOD.replace(",Pstn2,Sal2,\n", ",\n", 1), 2, "7 columns"),
        (GOOD.replace("Demo,A small test,3,2", "Demo,A small test,4,2"), 5, "4 actors"),
        (GOOD + "D,Fourth,1,1,1,1,1,\n", 6, "3 actors"),
        (GOOD.replace("B,Second,20.5,50,10,40,10", "B,Second,20.5,50,10"), 4, "7 columns"),
        (GOOD.replace("B,Second,20.5", ",Second,20.5"), 4, "actor name is empty"),
        (GOOD.replace("C,Third", "A,Third"), 5, "already appears on line 3"),
        (GOOD.replace("20.5", "lots"), 4, "column 3 (Power): expected a number"),
        (GOOD.replace("20.5", "nan"), 4, "finite"),
        (GOOD.replace("20.5", "0"), 4, "capability must be > 0"),
        (GOOD.replace("B,Second,20.5,50", "B,Second,20.5,150"), 4, "column 4 (Pstn1 position)"),
        (GOOD.replace("B,Second,20.5,50,10,40", "B,Second,20.5,50,10,-1"), 4, "column 6"),
        (GOOD.replace("B,Second,20.5,50,10", "B,Second,20.5,50,101"), 4, "column 5"),
        (GOOD.replace("A,First,10,0,50,100,25", "A,First,10,0,80,100,25"), 3, "sum to 105"),
        (GOOD.replace("B,Second,20.5,50,10,40,10", "B,Second,20.5,50,0,40,0"), 4, "sum to 0"),
        ('Demo,x,3,1,\nActor,Description,Power,P,S,\n"A,unclosed', None, ""),
    ],
)
def test_bad_files_are_located(text: str, line: int | None, words: str) -> None:
    err = _error(text)
    if line is not None:
        assert err.line == line, err
    assert words in err.message, err


def test_bad_file_through_cli_exits_2(tmp_path, capsys) -> None:
    from parley.cli import main

    path = tmp_path / "bad.csv"
    path.write_text(GOOD.replace("20.5", "lots"))
    with pytest.raises(SystemExit) as exc:
        main(["forecast", str(path), "--model", "smp"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "bad.csv:4" in err and "expected a number" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cell = st.one_of(
    st.sampled_from(["", " ", "0", "1", "3", "50", "100", "100.5", "-1", "1e3", "nan", "inf"]),
    st.floats(-10, 200, allow_nan=False).map(lambda v: f"{v:.2f}"),
    st.text(alphabet='abc,"\n ', max_size=4),
)


def _check(text: str) -> None:
    try:
        out = load_ktab(text, "fuzz.csv")
    except ScenarioError as exc:
        assert exc.file == "fuzz.csv"
        assert exc.message
        return
    assert len(out) == 1 and isinstance(out[0], Scenario)
    sc = out[0]
    assert 3 <= len(sc.actors) <= 250
    for a in sc.actors:
        assert a.capability > 0
        total = 0.0
        for s in a.positions.values():
            assert 0.0 <= s.position <= 100.0
            assert 0.0 <= s.salience <= 1.0
            total += s.salience
        assert 0.0 < total <= 1.0 + 1e-8


@FUZZ
@given(
    n=st.integers(1, 5),
    d=st.integers(1, 3),
    header_n=st.sampled_from([None, 2, 3, 4, 6]),
    rows=st.lists(st.lists(cell, min_size=0, max_size=10), min_size=0, max_size=6),
)
def test_fuzz_structured(n: int, d: int, header_n: int | None, rows: list[list[str]]) -> None:
    cols = "".join(f"P{k},S{k}," for k in range(d))
    lines = [f"Fuzz,desc,{header_n or n},{d},", f"Actor,Description,Power,{cols}"]
    lines += [",".join([f"A{i}", "x", *r]) for i, r in enumerate(rows)]
    _check("\n".join(lines))


@FUZZ
@given(st.text(max_size=300))
def test_fuzz_arbitrary_text(text: str) -> None:
    _check(text)


@FUZZ
@given(
    st.lists(st.integers(0, len(GOOD) - 1), min_size=1, max_size=4),
    st.text(alphabet='0123456789.,-"\n xe', min_size=1, max_size=3),
)
def test_fuzz_mutated_good_file(cuts: list[int], insert: str) -> None:
    text = GOOD
    for c in sorted(cuts, reverse=True):
        text = text[:c] + insert + text[c + 1 :]
    _check(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 3).flatmap(
        lambda d: st.lists(
            st.tuples(
                st.floats(0.001, 1000).map(lambda v: round(v, 3)),
                st.lists(
                    st.tuples(st.integers(0, 10000), st.integers(1, 3300 // d)),
                    min_size=d,
                    max_size=d,
                ),
            ),
            min_size=3,
            max_size=8,
        )
    )
)
def test_valid_files_round_trip(actors: list[tuple[float, list[tuple[int, int]]]]) -> None:
    d = len(actors[0][1])
    cols = "".join(f"P{k},S{k}," for k in range(d))
    lines = [f"Gen,generated,{len(actors)},{d},", f"Actor,Description,Power,{cols}"]
    for i, (cap, stances) in enumerate(actors):
        cells = "".join(f"{p / 100:.2f},{s / 100:.2f}," for p, s in stances)
        lines.append(f"A{i},actor {i},{cap},{cells}")
    (sc,) = load_ktab("\n".join(lines) + "\n", "gen.csv")
    for i, (cap, stances) in enumerate(actors):
        a = sc.actor(f"A{i}")
        assert a.capability == cap
        for k, (p, s) in enumerate(stances):
            assert a.positions[f"P{k}"].position == float(f"{p / 100:.2f}")
            assert a.positions[f"P{k}"].salience == float(f"{s / 100:.2f}") / 100
