"""Loading parley's own YAML/JSON format, and every bad-input case the issue lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from parley.scenario import ScenarioError, load_scenario, load_scenarios, stakeholder_batch
from parley.scenario.load import detect_format, load_native

DATA = Path(__file__).parents[1] / "data"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _minimal() -> dict:
    return yaml.safe_load((DATA / "ec_minimal.yaml").read_text())


def test_yaml_round_trip_and_arrays() -> None:
    sc = load_scenario(DATA / "ec_minimal.yaml")
    assert [i.id for i in sc.issues] == ["emissions", "budget"]
    b = stakeholder_batch(sc)
    assert b.shape == (1, 3, 2)
    # Germany takes no position on the budget: NaN, as written in the file
    assert b.position[0, 1, 1] != b.position[0, 1, 1]
    assert b.position[0, 2, 0] == 10.0 and b.salience[0, 2, 1] == 0.4
    assert b.reference[0, 0] == 10.0 and b.outcome[0, 0] == 8.833


def test_json_gives_the_same_scenario(tmp_path: Path) -> None:
    p = _write(tmp_path, "s.json", json.dumps(_minimal()))
    assert load_scenario(p) == load_scenario(DATA / "ec_minimal.yaml")


def test_issue_centric_positions_equal_actor_centric() -> None:
    data = {
        "id": "x",
        "issues": [{"id": "i", "positions": {"a": {"position": 3, "salience": 0.5}}}],
        "actors": [{"id": "a", "positions": {}}],
    }
    text = yaml.safe_dump(data)
    sc = load_native(text, "x.yaml")[0]
    assert sc.actor("a").positions["i"].position == 3


def _err(tmp_path: Path, name: str, text: str) -> ScenarioError:
    p = _write(tmp_path, name, text)
    with pytest.raises(ScenarioError) as info:
        load_scenarios(p)
    assert str(p) in str(info.value)
    return info.value


def test_malformed_yaml_names_line(tmp_path: Path) -> None:
    err = _err(tmp_path, "bad.yaml", "id: x\nissues:\n  - id: [unclosed\nactors: []\n")
    assert "malformed YAML" in err.message
    assert err.line is not None and err.line >= 3


def test_malformed_json_names_line(tmp_path: Path) -> None:
    err = _err(tmp_path, "bad.json", '{"id": "x",\n "issues": [\n}')
    assert "malformed JSON" in err.message and err.line == 3


def test_missing_field(tmp_path: Path) -> None:
    data = _minimal()
    del data["actors"][1]["positions"]["emissions"]["salience"]
    err = _err(tmp_path, "s.yaml", yaml.safe_dump(data, sort_keys=False))
    assert err.field == "actors[1].positions.emissions.salience"
    assert "missing" in err.message


def test_salience_out_of_range_names_field_and_line(tmp_path: Path) -> None:
    text = (
        (DATA / "ec_minimal.yaml")
        .read_text()
        .replace("budget: {position: 80, salience: 0.4}", "budget: {position: 80, salience: 40}")
    )
    err = _err(tmp_path, "s.yaml", text)
    assert err.field == "actors[2].positions.budget.salience"
    assert "less than or equal to 1" in err.message
    # the line of that salience in the file
    want = next(i + 1 for i, ln in enumerate(text.splitlines()) if "salience: 40" in ln)
    assert err.line == want


def test_actor_without_any_position(tmp_path: Path) -> None:
    data = _minimal()
    data["actors"][0]["positions"] = {}
    err = _err(tmp_path, "s.yaml", yaml.safe_dump(data, sort_keys=False))
    assert err.field == "actors[0].positions"
    assert "at least one issue" in err.message


def test_unknown_actor_in_position_list(tmp_path: Path) -> None:
    data = _minimal()
    data["issues"][1]["positions"] = {"zz": {"position": 1, "salience": 0.5}}
    err = _err(tmp_path, "s.yaml", yaml.safe_dump(data, sort_keys=False))
    assert "unknown actor 'zz'" in err.message


def test_position_on_unknown_issue(tmp_path: Path) -> None:
    data = _minimal()
    data["actors"][0]["positions"]["nope"] = {"position": 1, "salience": 0.5}
    err = _err(tmp_path, "s.yaml", yaml.safe_dump(data, sort_keys=False))
    assert "unknown issue 'nope'" in err.message


def test_position_outside_scale(tmp_path: Path) -> None:
    data = _minimal()
    data["actors"][0]["positions"]["emissions"]["position"] = 12
    err = _err(tmp_path, "s.yaml", yaml.safe_dump(data, sort_keys=False))
    assert "outside the scale [4.0, 10.0]" in err.message


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    data = _minimal()
    data["actors"][0]["capabilty"] = 1
    err = _err(tmp_path, "s.yaml", yaml.safe_dump(data, sort_keys=False))
    assert err.field == "actors[0].capabilty" and "unknown field" in err.message


def test_empty_file(tmp_path: Path) -> None:
    err = _err(tmp_path, "s.yaml", "  \n")
    assert "empty" in err.message


def test_yaml_that_is_not_a_mapping(tmp_path: Path) -> None:
    err = _err(tmp_path, "s.yaml", "- 1\n- 2\n")
    assert "expected a mapping" in err.message


def test_huge_file_refused_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "huge.yaml"
    p.write_text("id: x\n" + "#" * 2000)
    with pytest.raises(ScenarioError, match="larger than the limit"):
        load_scenarios(p, max_bytes=1000)


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenarios(p)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenarios(tmp_path / "none.yaml")
    p = _write(tmp_path, "s.xyz", "hello")
    with pytest.raises(ScenarioError, match="cannot tell the format"):
        load_scenarios(p)
    with pytest.raises(ScenarioError, match="unknown format"):
        load_scenarios(p, fmt="word")


def test_detect_format() -> None:
    assert detect_format(Path("a.yml"), "") == "yaml"
    assert detect_format(Path("a.csv"), "'#A'\t'x'\n") == "exchange"
    assert detect_format(Path("a.tsv"), '"prnr"\t"isnr"\n') == "deu"
    assert detect_format(Path("a.csv"), "Name,desc,3,1,\nActor,Description,Power,Pstn1\n") == "ktab"
    # KTAB's SOE files call the capability column "Influence"
    soe = "SOE,desc,26,1,\nActor,Description,Influence,Policy Position,Policy Salience,\n"
    assert detect_format(Path("a.csv"), soe) == "ktab"
    assert detect_format(Path("a.csv"), "Actor,Capability,Position,Salience\n") == "eum"


def test_ktab_soe_files_are_detected_and_load() -> None:
    """KTAB's SOE examples load without --format, with the actor and dimension counts their first
    line states (SOE-Policy: 26 actors, 1 dimension; SOE-Pol-Comp: 13 actors, 2 dimensions)."""
    from parley.scenario.load import load_scenarios

    root = Path(__file__).resolve().parents[2] / "src" / "parley" / "data" / "ktab"
    for name, n_actors, n_dims in (("SOE-Policy.csv", 26, 1), ("SOE-Pol-Comp.csv", 13, 2)):
        scenarios = load_scenarios(root / name)
        assert len(scenarios) == 1
        assert len(scenarios[0].actors) == n_actors
        assert len(scenarios[0].issues) == n_dims


def test_limits_apply_to_every_section_without_a_file() -> None:
    """The dashboard validates edited scenarios without a file: the limits still hold, named by
    their field path (war and metadata included)."""
    from parley.scenario.schema import Scenario as _Scenario

    base = {
        "id": "s",
        "issues": [{"id": "i"}],
        "actors": [{"id": "a", "positions": {"i": {"position": 5, "salience": 1}}}],
    }
    with pytest.raises(ValueError, match=r"metadata\.x: number 1e\+300 is too large"):
        _Scenario.model_validate({**base, "metadata": {"x": 1e300}})
    deep: object = 1
    for _ in range(70):
        deep = [deep]
    with pytest.raises(ValueError, match="nested deeper than the limit of 64"):
        _Scenario.model_validate({**base, "metadata": {"x": deep}})
    with pytest.raises(ValueError, match="longer than the limit"):
        _Scenario.model_validate({**base, "name": "n" * 20_001})
    # a number written as text in a number field is checked as a number
    actor = {"id": "a", "capability": "nan", "positions": {"i": {"position": 5, "salience": 1}}}
    with pytest.raises(ValueError, match="must be a finite number, got nan"):
        _Scenario.model_validate({**base, "actors": [actor]})
    # but text fields may hold such words
    ok = _Scenario.model_validate({**base, "name": "nan", "description": "inf"})
    assert ok.name == "nan"
