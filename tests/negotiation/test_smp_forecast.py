"""``parley forecast FILE --model smp --history --format json`` on KTAB files.

Expected values: the CSV's own cells for state 0, and smpc's printed position history
(``tests/data/ktab/*.txt``, KTAB @3b5b0635) for the later states.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from parley.cli import main

REF_DIR = Path(__file__).resolve().parents[1] / "data" / "ktab"


def forecast_json(path: Path, capsys, *extra: str) -> dict:
    with pytest.raises(SystemExit) as exc:
        main(["forecast", str(path), "--model", "smp", "--history", "--format", "json", *extra])
    assert exc.value.code == 0
    return json.loads(capsys.readouterr().out)


def copy_input(tmp_path: Path, stem: str) -> Path:
    path = tmp_path / f"{stem}.csv"
    path.write_text((resources.files("parley.data") / "ktab" / f"{stem}.csv").read_text())
    return path


def test_history_of_a_ktab_file(tmp_path, capsys) -> None:
    path = copy_input(tmp_path, "bench_a5_d2")
    out = forecast_json(path, capsys)
    issues = out["issues"]
    assert [i["id"] for i in issues] == ["Pstn1", "Pstn2"]
    # bench_a5_d2.txt: "There were 14 states"
    for issue in issues:
        assert len(issue["history"]) == 14
        for state in issue["history"]:
            assert set(state) == {"positions", "median", "mean"}
            assert set(state["positions"]) == {"A000", "A001", "A002", "A003", "A004"}
    # state 0 is the input, on its own 0-100 scale: the CSV rows are "A000,...,23.50,...,74.95,..."
    # and "A001,Random actor,...,0.94,..."
    rows = [r.split(",") for r in path.read_text().splitlines()[2:]]
    first = issues[0]["history"][0]["positions"]
    for r in rows:
        assert first[r[0]] == [float(r[3]), float(r[5])]
    # the other states as smpc printed them (one decimal)
    ref = (REF_DIR / "bench_a5_d2.txt").read_text()
    for m in re.finditer(r"^(A\d{3}), Pstn(\d):((?: +[\d.]+)+) *$", ref, flags=re.M):
        actor, dim, values = m.group(1), int(m.group(2)) - 1, m.group(3).split()
        mine = [s["positions"][actor][dim] for s in issues[0]["history"]]
        assert [f"{100 * (v / 100):.1f}" for v in mine] == values, actor
    # both issues carry the same (all-dimension) positions; median and mean are per issue
    assert issues[0]["history"][3]["positions"] == issues[1]["history"][3]["positions"]
    for k, issue in enumerate(issues):
        for state in issue["history"]:
            xs = [p[k] for p in state["positions"].values()]
            assert min(xs) <= state["median"] <= max(xs)
            assert min(xs) <= state["mean"] <= max(xs)
        assert 0.0 <= issue["forecasts"]["smp"] <= 100.0


def test_history_of_named_dimensions_with_forced_format(tmp_path, capsys) -> None:
    path = copy_input(tmp_path, "SOE-Pol-Comp")
    out = forecast_json(path, capsys, "--input-format", "ktab")
    issues = out["issues"]
    assert [i["id"] for i in issues] == ["Policy Position", "Competitive Position"]
    # SOE-Pol-Comp.txt: "There were 28 states"; "XJ, Policy Position:  30.0  30.0  30.9 ..."
    assert len(issues[0]["history"]) == 28
    xj = [s["positions"]["XJ"][0] for s in issues[0]["history"]]
    assert [f"{v:.1f}" for v in xj[:3]] == ["30.0", "30.0", "30.9"]
    assert issues[0]["history"][0]["positions"]["XJ"] == [30.0, 20.0]
