"""``parley validate wars``: the JSON contract, the policy report and bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ._cli import run, run_json

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = str(ROOT / "scenarios" / "ukraine-2022-11.yaml")
COW = ROOT / "src" / "parley" / "data" / "wars" / "interstate_wars_cow_v4.csv"
FAST = ["--runs", "300", "--bootstrap", "50"]


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


def test_policy_report(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["validate", "wars", "--scenario", FLAGSHIP, "--policy", "support_then_negotiate"]
    out = run_json([*argv, "--war-start", "2022-02-24", *FAST], capsys)
    assert out["age_days"] == 257 and out["policy"] == "support_then_negotiate"
    assert [r["after_months"] for r in out["still_going"]] == [12, 24, 36]
    code, text, _ = run([*argv, "--war-start", "2022-02-24", *FAST], capsys)
    assert code == 0 and "COW base rate" in text
    # Without a start date the war is taken to start with the scenario, and the user is told.
    code, _, err = run([*argv, *FAST], capsys)
    assert code == 0 and "start date is unknown" in err


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
