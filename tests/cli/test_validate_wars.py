"""``parley validate wars``: the JSON contract, the policy report and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ._cli import run, run_json

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = str(ROOT / "scenarios" / "ukraine-2022-11.yaml")
COW = ROOT / "src" / "parley" / "data" / "wars" / "interstate_wars_cow_v4.csv"
FAST = ["--runs", "300", "--bootstrap", "50"]
#: The flagship simulates supporters and every v2 mechanism: fewer runs keep the test fast.
FLAG = ["--runs", "100", "--bootstrap", "20"]


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(["validate", "wars", *FAST], capsys)
    assert set(out) == {"cells", "outcomes"}
    cells = out["cells"]
    assert [(c["age_months"], c["within_months"]) for c in cells] == [
        (a, w) for a in (3, 6, 9, 12) for w in (6, 12, 24, 36)
    ]
    wars = pd.read_csv(COW)["dur_days"]
    month = 365.25 / 12
    for c in cells:
        assert list(c) == ["age_months", "within_months", "cow", "cow_lo", "cow_hi", "model"]
        # The COW share counted directly in the CSV: wars that lasted at least `age` months, and
        # of those the ones that ended by age + within months.
        aged = wars[wars >= c["age_months"] * month]
        expected = (aged <= (c["age_months"] + c["within_months"]) * month).mean()
        assert c["cow"] == pytest.approx(expected)
        assert c["cow_lo"] <= c["cow"] <= c["cow_hi"]
        assert c["model"] is None or 0.0 <= c["model"] <= 1.0
    assert set(out["outcomes"]["cow"]) == {
        "victory",
        "compromise",
        "stalemate",
        "transformed",
        "ongoing",
    }
    assert sum(out["outcomes"]["model"].values()) == pytest.approx(1.0)


def test_policy_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["validate", "wars", "--scenario", FLAGSHIP, "--policy", "support_then_negotiate"]
    # 24 February to 8 November 2022: 4 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 8 = 257 days.
    out = run_json([*argv, "--war-start", "2022-02-24", *FLAG], capsys)
    assert out["age_days"] == 257 and out["policy"] == "support_then_negotiate"
    assert [r["after_months"] for r in out["still_going"]] == [12, 24, 36]
    code, text, _ = run([*argv, "--war-start", "2022-02-24", *FLAG], capsys)
    assert code == 0 and "COW base rate" in text
    # The flagship records its war's start (metadata.war_start_date): no --war-start needed.
    out = run_json([*argv, *FLAG], capsys)
    assert out["age_days"] == 257
    # Without a start date the war is taken to start with the scenario, and the user is told.
    lines = Path(FLAGSHIP).read_text().splitlines(keepends=True)
    undated = tmp_path / "undated.yaml"
    undated.write_text("".join(x for x in lines if not x.lstrip().startswith("war_start_date:")))
    argv[3] = str(undated)
    code, out_text, err = run([*argv, *FLAG, "--format", "json"], capsys)
    assert code == 0 and "start date is unknown" in err
    assert json.loads(out_text)["age_days"] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--scenario", "no-such-file.yaml"], "no-such-file.yaml"),
        (["--runs", "0"], "--runs must be a whole number >= 1"),
        (["--runs", "many"], "--runs must be a whole number >= 1, got 'many'"),
        (["--format", "xml"], "unknown --format 'xml'"),
        (["--scenario", str(ROOT / "tests" / "data" / "ec_minimal.yaml")], "no 'war' section"),
        (["--scenario", FLAGSHIP, "--policy", "nope"], "unknown policy 'nope'"),
        (
            ["--scenario", FLAGSHIP, "--policy", "support_then_negotiate", "--war-start", "x"],
            "war start 'x' or scenario start",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["validate", "wars", *extra], capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("error:")
