"""``parley backtest`` end to end, and its one-line errors for bad series and options."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ._cli import parley, run

ROOT = Path(__file__).resolve().parents[2]
DEEPSTATE = ROOT / "src" / "parley" / "data" / "ukraine" / "occupied_area_daily_deepstate.csv"
FLAGSHIP = ROOT / "scenarios" / "ukraine-2022-11.yaml"


def test_backtest_writes_scores_summary_and_figures(tmp_path: Path) -> None:
    out = tmp_path / "bt"
    r = parley(
        "backtest", str(DEEPSTATE), "--scenario", str(FLAGSHIP), "--origin", "2022-09-20",
        "--origins", "2022-10-01:2022-10-20:19", "--horizon", "35", "--from", "2022-05-15",
        "--runs", "300", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    scores = pd.read_csv(out / "scores.csv")
    assert list(scores.columns) == [
        "origin", "horizon_days", "model", "wis", "crps", "cover50", "cover80", "cover90", "bias",
    ]  # fmt: skip
    assert set(scores["origin"]) == {"2022-09-20", "2022-10-01", "2022-10-20"}
    # horizons every 7 days up to 35 that end inside the file (last row 2022-11-08)
    got = scores[scores["origin"] == "2022-10-20"]["horizon_days"].unique().tolist()
    assert got == [7, 14]
    assert set(scores["model"]) == {"front", "rw", "rw_robust", "climatology"}
    summary = pd.read_csv(out / "summary.csv").set_index("model")
    assert summary.loc["rw", "wis_ratio_rw"] == pytest.approx(1.0)
    # the front-only default is the window mixture (docs/calibration.md): its weights are written
    # (20 September: 128 days after --from, three candidate windows)
    weights = pd.read_csv(out / "weights.csv")
    assert (weights["origin"] == "2022-09-20").sum() >= 2
    for name in ("fans.png", "pit.png", "summary.md", "origins.csv", "pit.csv", "weights.csv"):
        assert (out / name).stat().st_size > 0
    assert (out / "fans.png").read_bytes()[:4] == b"\x89PNG"


def test_policy_and_assumptions_run_the_engine(tmp_path: Path) -> None:
    args = ["backtest", str(DEEPSTATE), "--scenario", str(FLAGSHIP), "--origin", "2022-10-01",
            "--horizon", "28", "--from", "2022-05-15", "--runs", "200", "--seed", "3"]  # fmt: skip
    front = parley(*args, "--out", str(tmp_path / "f"))
    engine = parley(
        *args, "--policy", "negotiate_now_no_preconditions", "--assumptions", "baseline",
        "--out", str(tmp_path / "e"),
    )  # fmt: skip
    assert front.returncode == 0 and engine.returncode == 0, engine.stderr
    a = pd.read_csv(tmp_path / "f" / "scores.csv").query("model == 'front'")
    b = pd.read_csv(tmp_path / "e" / "scores.csv").query("model == 'front'")
    assert list(b["horizon_days"]) == [7, 14, 21, 28]
    assert not a["wis"].reset_index(drop=True).equals(b["wis"].reset_index(drop=True))


def test_windows_write_the_stacking_weights(tmp_path: Path) -> None:
    # 20 September 2022: 128 days after the --from date, so the 60- and 90-day windows and the
    # whole span (the 180-day window cut at --from) are three candidates
    out = tmp_path / "w"
    r = parley(
        "backtest", str(DEEPSTATE), "--origin", "2022-09-20", "--horizon", "14",
        "--from", "2022-05-15", "--runs", "200", "--windows", "60,90,180", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    weights = pd.read_csv(out / "weights.csv")
    assert set(weights["window_days"]) <= {60, 90, 180}
    assert weights["weight"].sum() == pytest.approx(1.0)
    assert (weights["weight"] > 0).all()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.csv"
    path.write_text(text)
    return path


DAYS = pd.date_range("2022-01-01", periods=60).strftime("%Y-%m-%d")
GOOD = "date,occupied_total_km2\n" + "".join(f"{d},{100 + i}\n" for i, d in enumerate(DAYS))


@pytest.mark.parametrize(
    "text,extra,words",
    [
        ("day,occupied_total_km2\n2022-01-01,1\n", ("--origin", "2022-01-30"), "'date' column"),
        (
            "date,occupied_total_km2\n2022-01-02,1\n2022-01-01,2\n",
            ("--origin", "2022-01-30"),
            "increasing order",
        ),
        (
            "date,occupied_total_km2\n2022-01-01,1\n2022-01-01,2\n",
            ("--origin", "2022-01-30"),
            "appears twice",
        ),
        ("date,occupied_total_km2\n2022-01-01,lots\n", ("--origin", "2022-01-30"), "not a number"),
        ("date,occupied_total_km2\n2022-01-01,1e999\n", ("--origin", "2022-01-30"), "not a finite"),
        (GOOD, ("--origin", "2022-01-10"), "at least 20"),
        (GOOD, ("--origin", "2023-01-10"), "outside the data"),
        (GOOD, ("--origin", "2022-02-28"), "no observation 7 or more days later"),
        (GOOD, ("--origin", "30 January"), "--origin must be a date"),
        (
            "date,occupied_total_km2\n"
            + "".join(f"{d},{100 + i // 3}\n" for i, d in enumerate(DAYS)),
            ("--origin", "2022-02-10"),
            "--repeated-as-missing",
        ),
        (GOOD, ("--origins", "2022-01-30:2022-02-10"), "START:END:STEP_DAYS"),
        (GOOD, ("--origin", "2022-01-30", "--windows", "60,ten"), "--windows must be"),
        (GOOD, ("--origin", "2022-01-30", "--windows", "14,60"), "--windows must be"),
        (GOOD, (), "at least one --origin"),
        (GOOD, ("--origin", "2022-01-30", "--policy", "talk"), "need --scenario"),
        (
            GOOD,
            ("--origin", "2022-01-30", "--scenario", str(FLAGSHIP), "--policy", "no-such"),
            "unknown policy",
        ),
        (
            GOOD,
            ("--origin", "2022-01-30", "--scenario", str(FLAGSHIP), "--assumptions", "no-such"),
            "unknown assumption set",
        ),
        (
            GOOD,
            (
                "--origin",
                "2022-01-30",
                "--scenario",
                str(FLAGSHIP),
                "--assumptions",
                "baseline",
                "--assumptions",
                "baseline",
            ),
            "at most one --assumptions",
        ),
    ],
)
def test_bad_series_or_options_are_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    extra: tuple[str, ...],
    words: str,
) -> None:
    path = _csv(tmp_path, text)
    code, _, err = run(
        ["backtest", str(path), "--horizon", "14", "--runs", "100", "--out", str(tmp_path / "o"),
         *extra],
    capsys)  # fmt: skip
    assert code == 2, err
    assert words in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    span=st.integers(0, 400),
    step=st.integers(1, 60),
)
@settings(max_examples=60, deadline=None)
def test_origin_ranges_step_from_start_to_end(start: date, span: int, step: int) -> None:
    from parley.cli.backtest import parse_origins  # noqa: PLC0415

    end = start + timedelta(days=span)
    got = parse_origins([], [f"{start}:{end}:{step}"])
    assert got[0] == start and got[-1] <= end and len(got) == span // step + 1
    assert all((b - a).days == step for a, b in itertools.pairwise(got))
