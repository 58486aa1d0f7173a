"""The Decide exchange-model importer: the shipped COP21/Copenhagen files and bad input."""

from __future__ import annotations

from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.scenario import Scenario, ScenarioError, load_scenarios
from parley.scenario.importers.exchange import load_exchange


def _data(name: str) -> str:
    return files("parley.data").joinpath("exchange", name).read_text(encoding="utf-8")


def test_cop21_shape_and_values() -> None:
    (sc,) = load_exchange(_data("cop21.csv"), "cop21.csv")
    assert sc.id == "cop21"
    assert len(sc.actors) == 15 and len(sc.issues) == 13
    assert [a.id for a in sc.actors[:4]] == ["African_grp", "AILAC2", "AOSISs", "ALBA"]
    assert sc.issues[0].id == "differentiation" and sc.issues[-1].id == "eaa"
    assert (sc.issues[0].scale_min, sc.issues[0].scale_max) == (0.0, 100.0)
    assert [p.value for p in sc.issues[0].labels] == [0.0, 100.0]
    # Rows of the file, read by eye: '#D' 'African_grp' 'mrv' 50.0 0.65 0.25
    # and '#D' 'USA' 'eaa' 100.0 0.4 1.0; ALBA takes no position on amb2050.
    afr = sc.actor("African_grp")
    assert afr.capability == 0.25
    assert afr.positions["mrv"].position == 50.0 and afr.positions["mrv"].salience == 0.65
    usa = sc.actor("USA")
    assert usa.capability == 1.0 and usa.positions["eaa"].position == 100.0
    assert usa.positions["eaa"].salience == 0.4
    assert "amb2050" not in sc.actor("ALBA").positions


def test_copenhagen_and_detection(tmp_path: object) -> None:
    (sc,) = load_exchange(_data("copenhagen.csv"), "copenhagen.csv")
    assert len(sc.actors) == 11 and len(sc.issues) == 7
    # '#D' 'USA' 'MRVdecrease' 90.0 1.0 0.26
    usa = sc.actor("USA")
    assert usa.capability == 0.26 and usa.positions["MRVdecrease"].position == 90.0
    assert usa.positions["MRVdecrease"].salience == 1.0
    path = files("parley.data").joinpath("exchange", "copenhagen.csv")
    (loaded,) = load_scenarios(str(path))  # format detected from the first row
    assert loaded.actor("EU (incl Norway)").capability == 0.156


GOOD = (
    "'#A'\t'a1'\t'Actor 1'\t''\n"
    "'#A'\t'a2'\t'Actor 2'\t''\n"
    "'#P'\t'i1'\t'Issue 1'\t''\n"
    "'#M'\t'i1'\t10\t'low'\n"
    "'#M'\t'i1'\t20\t'high'\n"
    "'#P'\t'i2'\t'Issue 2'\t''\n"
    "'#D'\t'a1'\t'i1'\t12\t0.5\t1\n"
    "'#D'\t'a1'\t'i2'\t0\t0.9\t1\n"
    "'#D'\t'a2'\t'i1'\t20\t0.6\t2\n"
    "'#D'\t'a2'\t'i2'\t100\t0.5\t2\n"
)


def test_small_file_scales_labels_and_percent_saliences() -> None:
    (sc,) = load_exchange(GOOD, "small.csv")
    i1 = sc.issue("i1")
    assert (i1.scale_min, i1.scale_max) == (10.0, 20.0)
    assert [(p.value, p.label) for p in i1.labels] == [(10.0, "low"), (20.0, "high")]
    assert (sc.issue("i2").scale_min, sc.issue("i2").scale_max) == (0.0, 100.0)
    # Saliences on 0-100 (as in the reference's unit test: 10, 90, 60, 50) are divided by 100.
    pct = GOOD.replace("0.5\t1\n", "50\t1\n").replace("0.9\t1", "90\t1")
    (sc2,) = load_exchange(pct, "pct.csv")
    assert sc2.actor("a1").positions["i1"].salience == 0.5
    assert sc2.actor("a1").positions["i2"].salience == 0.9
    assert sc2.actor("a2").positions["i1"].salience == pytest.approx(0.006)
    assert sc2.metadata["salience_scale"] == 100.0


@pytest.mark.parametrize(
    ("edit", "line", "field", "words"),
    [
        (lambda t: t.replace("'#D'\t'a2'\t'i1'\t20", "'#D'\t'a2'\t'i1'\tabc"), 9,
         "stance.position", "expected a number"),
        (lambda t: t.replace("'#D'\t'a2'\t'i1'\t20", "'#D'\t'a2'\t'i1'\t25"), 9,
         "stance.position", "outside the scale [10, 20]"),
        (lambda t: t.replace("'#D'\t'a2'\t'i1'\t20\t0.6", "'#D'\t'a2'\t'i1'\t20\t-1"), 9,
         "stance.salience", "salience"),
        (lambda t: t.replace("'#D'\t'a2'\t'i1'\t20\t0.6\t2", "'#D'\t'a2'\t'i1'\t20\t0.6\t3"), 10,
         "stance.power", "one power"),
        (lambda t: t.replace("'#D'\t'a2'\t'i1'", "'#D'\t'zz'\t'i1'"), 9,
         "stance.actor", "undeclared actor 'zz'"),
        (lambda t: t.replace("'#D'\t'a2'\t'i1'", "'#D'\t'a2'\t'zz'"), 9,
         "stance.issue", "undeclared issue 'zz'"),
        (lambda t: t.replace("'#M'\t'i1'\t10", "'#M'\t'qq'\t10"), 4,
         "scale point.issue", "undeclared issue"),
        (lambda t: t.replace("'#M'\t'i1'\t10", "'#M'\t'i1'\tnan"), 4,
         "scale point.value", "finite"),
        (lambda t: t.replace("'#M'\t'i1'\t20", "'#M'\t'i1'\t10"), 4,
         "issues.i1.scale", "two different scale points"),
        (lambda t: t + "'#X'\t'what'\n", 11, "row type", "unknown row type"),
        (lambda t: t + "'#D'\t'a1'\t'i1'\t12\t0.5\t1\n", 11, "stance", "two stances"),
        (lambda t: t + "'#D'\t'a1'\t'i1'\n", 11, "stance", "needs actor, issue"),
        (lambda t: t + "'#A'\t'a1'\n", 11, "actor.key", "declared twice"),
        (lambda t: t + "'#A'\t'a3'\n", 11, "actors", "no stance"),
    ],
)  # fmt: skip
def test_bad_input_is_located(edit: object, line: int, field: str, words: str) -> None:
    assert callable(edit)
    with pytest.raises(ScenarioError) as info:
        load_exchange(edit(GOOD), "bad.csv")
    err = info.value
    assert err.file == "bad.csv"
    assert err.line == line
    assert err.field == field
    assert words in err.message


def test_empty_sections() -> None:
    with pytest.raises(ScenarioError, match="no actors"):
        load_exchange("'#P'\t'i1'\t'x'\n", "f.csv")
    with pytest.raises(ScenarioError, match="no issues"):
        load_exchange("'#A'\t'a1'\t'x'\n", "f.csv")


_TOKENS = st.sampled_from(
    ["'#A'", "'#P'", "'#M'", "'#D'", "'a1'", "'i1'", "'a2'", "0", "50", "100", "0.5", "1",
     "-3", "1e400", "nan", "''", "'", "x", "#D", ""]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_TOKENS, max_size=7).map("\t".join), max_size=12).map("\n".join))
def test_any_row_soup_gives_scenarios_or_scenario_error(text: str) -> None:
    try:
        out = load_exchange(GOOD + text, "fuzz.csv")
    except ScenarioError as exc:
        assert exc.file == "fuzz.csv"
    else:
        assert len(out) == 1 and isinstance(out[0], Scenario)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_scenarios_or_scenario_error(text: str) -> None:
    try:
        out = load_exchange(text, "fuzz.csv")
    except ScenarioError:
        pass
    else:
        assert all(isinstance(s, Scenario) for s in out)
