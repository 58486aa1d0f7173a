"""``parley forecast`` and ``parley validate deu`` through the real console entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data"
DEU = Path(__file__).parents[2] / "src" / "parley" / "data" / "deu" / "deu_waves_I_II.tsv"


def parley(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parley", *args], capture_output=True, text=True, timeout=300
    )


def test_forecast_json_by_hand() -> None:
    r = parley(
        "forecast", str(DATA / "ec_minimal.yaml"), "-m", "compromise", "-m", "median", "-f", "json"
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    em = out["issues"][0]
    assert em["id"] == "emissions" and em["outcome"] == 8.833
    # weights 0.08*0.8, 0.16*0.8, 0.16*0.6 on positions 4, 4, 10
    w = [0.064, 0.128, 0.096]
    assert em["forecasts"]["compromise"] == pytest.approx(
        (4 * 0.064 + 4 * 0.128 + 10 * 0.096) / sum(w)
    )
    # cumulative weight at 4 is 0.192 of 0.288 > half: the weighted median is 4
    assert em["forecasts"]["median"] == 4.0
    assert "outcome" not in out["issues"][1]


def test_forecast_csv_and_table() -> None:
    r = parley("forecast", str(DATA / "ec_minimal.yaml"), "-f", "csv")
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "issue,compromise,median,nbs,outcome"
    r = parley("forecast", str(DATA / "ec_minimal.yaml"))
    assert r.returncode == 0 and "emissions" in r.stdout


def test_forecast_deu_file_forecasts_every_issue() -> None:
    r = parley("forecast", str(DEU), "-m", "mean", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["issues"]) == 331


@pytest.mark.parametrize(
    "args, needle",
    [
        (["forecast", "missing.yaml"], "file not found"),
        (["forecast", str(DATA / "ec_minimal.yaml"), "-m", "nope"], "unknown model 'nope'"),
        (["forecast", str(DATA / "ec_minimal.yaml"), "-f", "xml"], "unknown --format"),
        (["validate", "deu", "-m", "nope"], "unknown model 'nope'"),
    ],
)
def test_user_errors_exit_2_without_traceback(args: list[str], needle: str) -> None:
    r = parley(*args)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 2


def test_bad_scenario_file_exit_2(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text(
        "id: x\nissues:\n  - id: i\nactors:\n  - id: a\n    positions:\n      i: {position: 1, salience: 7}\n"
    )
    r = parley("forecast", str(p))
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f"error: {p}:7: actors[0].positions.i.salience: Input should be less than or equal to 1"
    )


@pytest.mark.slow
def test_validate_deu_json_shape_and_targets(tmp_path: Path) -> None:
    r = parley(
        "validate", "deu", "-m", "mean", "-m", "median_actor", "-f", "json", "--bootstrap", "200"
    )
    assert r.returncode == 0, r.stderr
    models = json.loads(r.stdout)["models"]
    assert models["mean"]["n"] == 322
    assert models["mean"]["mae"] == pytest.approx(23.72, abs=0.005)
    assert models["median_actor"]["mae"] == pytest.approx(28.78, abs=0.005)
    lo, hi = models["mean"]["mae_ci"]
    assert lo < 23.72 < hi
    # --data runs the same on another file in the DEU format: the first 10 rows only
    lines = DEU.read_text().splitlines()
    small = tmp_path / "small.tsv"
    small.write_text("\n".join(lines[:11]) + "\n")
    r = parley(
        "validate", "deu", "--data", str(small), "-m", "mean", "-f", "json", "--bootstrap", "50"
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["models"]["mean"]["n"] <= 10
