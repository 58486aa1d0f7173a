"""Observed series a scenario declares: located next to the file or in parley/data, checked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from parley.scenario import ScenarioError, load_scenario, parse_scenario
from parley.scenario.observed import locate

DATA = Path(__file__).parents[1] / "data"
SHIPPED = "ukraine/occupied_area_daily_deepstate.csv"


def _scenario(tmp_path: Path, observed: dict) -> Path:
    data = yaml.safe_load((DATA / "ec_minimal.yaml").read_text())
    data["observed"] = observed
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return p


def test_a_shipped_series_is_found_under_parley_data(tmp_path: Path) -> None:
    spec = {"front": {"file": SHIPPED, "column": "occupied_total_km2", "keep_where": "observed"}}
    sc = load_scenario(_scenario(tmp_path, spec))
    assert sc.observed is not None
    assert sc.observed["front"].file == SHIPPED  # kept as written
    assert sc.observed["front"].date_column == "date"
    path = locate(SHIPPED)
    assert path is not None and path.parts[-3:] == ("data", "ukraine", path.name)


def test_a_series_next_to_the_scenario_file_is_found_there(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "front.csv").write_text("day,km2\n2022-01-01,5\n", encoding="utf-8")
    spec = {"front": {"file": "data/front.csv", "column": "km2", "date_column": "day"}}
    sc = load_scenario(_scenario(tmp_path, spec))
    assert sc.observed is not None
    assert sc.observed["front"].file == "data/front.csv"  # kept as written
    assert sc.observed["front"].path() == tmp_path / "data" / "front.csv"


def test_a_missing_file_names_the_field_and_line(tmp_path: Path) -> None:
    p = _scenario(tmp_path, {"front": {"file": "nowhere.csv", "column": "km2"}})
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    err = info.value
    assert err.field == "observed.front.file" and "not found" in err.message
    assert err.file is not None and err.file.endswith("s.yaml")
    lines = p.read_text(encoding="utf-8").splitlines()
    assert err.line is not None and "file: nowhere.csv" in lines[err.line - 1]


def test_a_missing_column_is_refused(tmp_path: Path) -> None:
    p = _scenario(tmp_path, {"front": {"file": SHIPPED, "column": "occupied_km2"}})
    with pytest.raises(ScenarioError, match="no column 'occupied_km2'") as info:
        load_scenario(p)
    assert info.value.field == "observed.front.column"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("/etc/hosts.csv", "expected a path relative to the scenario file"),
        ("../outside.csv", "expected a path relative to the scenario file"),
        ("ukraine/PROVENANCE.md", "expected a .csv file"),
    ],
)
def test_only_csv_files_beside_the_scenario_or_shipped(
    tmp_path: Path, file: str, message: str
) -> None:
    p = _scenario(tmp_path, {"front": {"file": file, "column": "km2"}})
    with pytest.raises(ScenarioError, match=message) as info:
        load_scenario(p)
    assert info.value.field == "observed.front.file"


def test_a_scenario_from_text_only_reads_packaged_data(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A scenario typed into the dashboard has no folder: a CSV in the working directory is not
    # looked at, the shipped series is.
    (tmp_path / "front.csv").write_text("date,km2\n2022-01-01,5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = yaml.safe_load((DATA / "ec_minimal.yaml").read_text())
    data["observed"] = {"front": {"file": "front.csv", "column": "km2"}}
    with pytest.raises(ScenarioError, match="not found"):
        parse_scenario(data, "front.yaml")
    data["observed"] = {"front": {"file": SHIPPED, "column": "occupied_total_km2"}}
    sc = parse_scenario(data)
    assert sc.observed is not None and sc.observed["front"].path() == locate(SHIPPED)


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    p = _scenario(tmp_path, {"front": {"file": SHIPPED, "column": "x", "colour": "red"}})
    with pytest.raises(ScenarioError, match="colour"):
        load_scenario(p)
