"""``parley calibrate front`` through the real console entry point."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parley.war.front import FrontParams, front_step

from ._cli import parley, run

TRUE = FrontParams(
    drift_positional=5.0,
    drift_manoeuvre=-100.0,
    sigma_positional=30.0,
    sigma_manoeuvre=250.0,
    jump_rate_manoeuvre=0.05,
    jump_mean_manoeuvre=-2500.0,
    jump_sd_manoeuvre=600.0,
    p_positional_to_manoeuvre=0.02,
    p_manoeuvre_to_positional=0.1,
    area_min=-1e9,
    area_max=1e9,
)


def _path(params: FrontParams, rng: np.random.Generator, days: int = 400) -> list[float]:
    """One simulated daily path of the front from 100,000 km² in the positional regime."""
    area, regime = np.array([100_000.0]), np.array([0])
    values = [float(area[0])]
    for _ in range(days - 1):
        area, regime = front_step(area, regime, 0.0, params, 1.0, rng)
        values.append(float(area[0]))
    return values


@pytest.fixture(scope="module")
def series_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(8)
    values = _path(TRUE, rng)
    dates = pd.date_range("2030-01-01", periods=400, freq="D")
    observed = rng.random(400) > 0.05
    observed[0] = True
    vals = np.array(values)
    shown = pd.Series(np.where(observed, vals, np.nan)).ffill().to_numpy()
    frame = pd.DataFrame(
        {
            "date": dates.strftime("%Y-%m-%d"),
            "area_km2": np.round(shown, 1),
            "observed": np.where(observed, "True", "False"),
        }
    )
    path = tmp_path_factory.mktemp("series") / "front.csv"
    frame.to_csv(path, index=False)
    return path


def test_fit_writes_params_and_prints_standard_errors(series_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "params.json"
    r = parley(
        "calibrate",
        "front",
        str(series_csv),
        "--until",
        "2031-01-01",
        "--from",
        "2030-01-01",
        "--column",
        "area_km2",
        "--model",
        "two-regime",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    for name in ("drift_positional", "sigma_manoeuvre", "jump_mean_manoeuvre"):
        line = next(x for x in r.stdout.splitlines() if x.startswith(name))
        est, se = (float(v) for v in line.split()[1:3])
        assert se > 0
        truth = float(getattr(TRUE, name))
        assert abs(est - truth) < 4 * se, (name, est, se, truth)
    # and one check that an inflated standard error cannot pass: ~380 positional days identify
    # the positional sd to about 30 / sqrt(2 x 380) = 1.1 km2, so within 15 % and se < 3
    line = next(x for x in r.stdout.splitlines() if x.startswith("sigma_positional"))
    est, se = (float(v) for v in line.split()[1:3])
    assert est == pytest.approx(TRUE.sigma_positional, rel=0.15) and 0 < se < 3.0, (est, se)
    data = json.loads(out.read_text())
    assert set(data) >= {"params", "stderr", "metadata", "diagnostics"}
    meta = data["metadata"]
    assert meta["fitted_from"] == "2030-01-01" and meta["column"] == "area_km2"
    assert meta["last_date"] <= "2031-01-01"
    fp = FrontParams.from_dict(data)  # the file round-trips into the simulator's parameters
    assert fp.sigma_positional == pytest.approx(data["params"]["sigma_positional"])
    # observed=False rows are missing days: the fit used fewer intervals than calendar days
    assert data["diagnostics"]["n_obs"] < 366


OFFENSIVE = FrontParams(
    drift_positional=4.0,
    sigma_positional=30.0,
    drift_offensive=60.0,
    sigma_offensive=120.0,
    jump_rate_offensive=0.25,
    jump_size_mean=2000.0,
    jump_size_sd=800.0,
    p_offensive_A=0.01,
    p_offensive_B=0.01,
    p_culminate=0.08,
    p_recover=0.03,
    area_min=-1e9,
    area_max=1e9,
)


def _offensive_csv(path: Path, seed: int, days: int) -> Path:
    """``days`` simulated days of :data:`OFFENSIVE` from 2030-01-01 in column ``a`` of a CSV."""
    values = _path(OFFENSIVE, np.random.default_rng(seed), days)
    dates = pd.date_range("2030-01-01", periods=days).strftime("%Y-%m-%d")
    pd.DataFrame({"date": dates, "a": values}).to_csv(path, index=False)
    return path


def test_offensive_fit_prints_posterior_sds_and_recovers_the_calm_regime(tmp_path: Path) -> None:
    path = _offensive_csv(tmp_path / "off.csv", 21, 400)
    out = tmp_path / "p.json"
    r = parley(
        "calibrate", "front", str(path), "--until", "2031-12-31", "--from", "2030-01-01",
        "--column", "a", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "posterior sd" in r.stdout and "offensive_A" in r.stdout
    for name in ("drift_positional", "sigma_positional", "drift_offensive"):
        line = next(x for x in r.stdout.splitlines() if x.startswith(name))
        est, sd = (float(v) for v in line.split()[1:3])
        truth = float(getattr(OFFENSIVE, name))
        assert 0 < sd and abs(est - truth) < 4 * sd, (name, est, sd, truth)
    data = json.loads(out.read_text())
    assert data["metadata"]["model"] == "offensive"
    assert len(data["metadata"]["regime_probs_last"]) == 5
    assert FrontParams.from_dict(data).p_culminate > 0
    # the drift rule set the positional-drift prior from the fitted window
    assert "positional-drift prior N(0, " in r.stdout
    assert data["metadata"]["drift_prior_sd"] > 0 and data["metadata"]["drift_innovation_sd"] >= 0
    bad = parley(
        "calibrate", "front", str(path), "--until", "2031-12-31", "--from", "2030-01-01",
        "--column", "a", "--drift-prior-sd", "0", "--out", str(out),
    )  # fmt: skip
    assert bad.returncode == 2 and "--drift-prior-sd must be a number > 0" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_window_mixture_is_written_and_read_back(tmp_path: Path) -> None:
    # 200 days of the offensive process; windows 60 and 120 days end on the last day
    # (weights from one scoring block: 0.72 / 0.28; three blocks keep the 120-day window alone)
    path = _offensive_csv(tmp_path / "off.csv", 12, 200)
    out = tmp_path / "mix.json"
    r = parley(
        "calibrate", "front", str(path), "--until", "2030-07-19", "--from", "2030-01-01",
        "--column", "a", "--windows", "60,120", "--score-blocks", "1", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    mix = data["mixture"]
    # the first day of each window is --until minus its days (2030-07-19 is day 199)
    assert {m["window_days"]: m["first_day"] for m in mix} == {60: "2030-05-20", 120: "2030-03-21"}
    assert {m["window_days"]: m["metadata"]["fitted_from"] for m in mix} == {
        60: "2030-05-20",
        120: "2030-03-21",
    }
    assert sum(m["weight"] for m in mix) == pytest.approx(1.0)
    top = max(mix, key=lambda m: m["weight"])
    assert data["params"] == top["params"] and data["metadata"] == top["metadata"]
    assert data["diagnostics"] == top["diagnostics"]
    for m in mix:
        assert f"{m['window_days']:>4} days from {m['first_day']}: weight {m['weight']:.3f}" in (
            r.stdout
        )
    from parley.analysis.front_mixture import mixture_components  # noqa: PLC0415
    from parley.scenario.front_params import load_front_params  # noqa: PLC0415

    comps = mixture_components(load_front_params(out), file=str(out))  # the file round-trips
    assert [w for w, _ in comps] == [m["weight"] for m in mix]
    for (_, fp), m in zip(comps, mix, strict=True):
        assert fp.to_dict()["params"] == m["params"]
    # --windows none: the single --window fit, no mixture
    single = tmp_path / "single.json"
    r = parley(
        "calibrate", "front", str(path), "--until", "2030-07-19", "--from", "2030-01-01",
        "--column", "a", "--windows", "none", "--window", "60", "--out", str(single),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    data = json.loads(single.read_text())
    assert "mixture" not in data and data["metadata"]["fitted_from"] == "2030-05-20"
    assert data["params"] == next(m["params"] for m in mix if m["window_days"] == 60)


def test_too_little_data_for_two_windows_writes_the_single_fit(tmp_path: Path) -> None:
    # 45 days from --from: every window of 60-180 days is cut to the same first day, so there is
    # one candidate, no mixture, and the file is the single fit of the whole span
    path = _offensive_csv(tmp_path / "short.csv", 3, 45)
    out = tmp_path / "fit.json"
    r = parley(
        "calibrate", "front", str(path), "--until", "2030-02-14", "--from", "2030-01-01",
        "--column", "a", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    assert "mixture" not in data and "window mixture" not in r.stdout
    assert data["metadata"]["fitted_from"] == "2030-01-01"


def test_the_shipped_offensive_fit_is_reproduced_with_the_single_window(tmp_path: Path) -> None:
    # docs/calibration.md, "The offensive fit to 8 November 2022": with --windows none the
    # default 180-day window from 8 November 2022 reaches back past 15 May, so the fit is the
    # shipped file's (fitted with the earlier positional-drift prior, --drift-prior-sd 10)
    data = Path(__file__).resolve().parents[2] / "src" / "parley" / "data" / "ukraine"
    out = tmp_path / "fit.json"
    r = parley(
        "calibrate", "front", str(data / "occupied_area_daily_deepstate.csv"), "--until",
        "2022-11-08", "--windows", "none", "--drift-prior-sd", "10", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    got = json.loads(out.read_text())
    shipped = json.loads((data / "front_fit_offensive_2022-11-08.json").read_text())
    assert "mixture" not in got
    for name, value in shipped["params"].items():  # area_max: null (unbounded) in both
        assert got["params"][name] == (value if value is None else pytest.approx(value, rel=1e-9))
    for key in ("fitted_from", "fitted_until", "last_date"):
        assert got["metadata"][key] == shipped["metadata"][key], key
    for key in ("last_value", "log_likelihood", "theta"):
        assert got["metadata"][key] == pytest.approx(shipped["metadata"][key], rel=1e-9), key


def test_until_cuts_the_series(series_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    r = parley(
        "calibrate", "front", str(series_csv), "--until", "2030-06-30", "--from", "2030-01-01",
        "--column", "area_km2", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    assert data["metadata"]["last_date"] <= "2030-06-30"
    # the default window mixture: every window's fit ends by --until too
    assert all(m["metadata"]["last_date"] <= "2030-06-30" for m in data.get("mixture", []))


def _bad(tmp_path: Path, text: str | None, *extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "s.csv"
    if text is not None:
        path.write_text(text)
    return parley("calibrate", "front", str(path), "--out", str(tmp_path / "o.json"), *extra)


GOOD_ROWS = "".join(f"2022-06-{d:02d},{100 + d}\n" for d in range(1, 29))


@pytest.mark.parametrize(
    "text,extra,words",
    [
        (None, ("--until", "2022-07-01"), "s.csv"),
        ("day,occupied_total_km2\n2022-01-01,1\n", ("--until", "2022-07-01"), "'date' column"),
        ("date,x\n" + GOOD_ROWS, ("--until", "2022-07-01"), "no column 'occupied_total_km2'"),
        ("date,occupied_total_km2\n2022-13-01,5\n", ("--until", "2022-07-01"), "not YYYY-MM-DD"),
        ("date,occupied_total_km2\n2022-06-01,many\n", ("--until", "2022-07-01"), "not a number"),
        ("date,occupied_total_km2\n" + GOOD_ROWS[:60], ("--until", "2022-07-01"), "at least 20"),
        ("date,occupied_total_km2\n" + GOOD_ROWS, ("--until", "July"), "--until must be a date"),
        (
            "date,occupied_total_km2\n" + GOOD_ROWS,
            ("--until", "2022-07-01", "--jumps", "sideways"),
            "--jumps",
        ),
        (
            "date,occupied_total_km2\n" + GOOD_ROWS,
            ("--until", "2022-07-01", "--from", "2022-08-01"),
            "must be before",
        ),
        (
            "date,occupied_total_km2\n" + GOOD_ROWS,
            ("--until", "2022-07-01", "--model", "three"),
            "--model",
        ),
        (
            "date,occupied_total_km2,observed\n2022-06-01,5,maybe\n",
            ("--until", "2022-07-01"),
            "observed must be",
        ),
        (
            "date,occupied_total_km2\n2022-06-01,5\n2022-06-01,6\n",
            ("--until", "2022-07-01"),
            "appears twice",
        ),
        (
            "date,occupied_total_km2\n" + GOOD_ROWS,
            ("--until", "2022-07-01", "--windows", "0,x"),
            "--windows must be whole days >= 21",
        ),
        (
            "date,occupied_total_km2\n" + GOOD_ROWS,
            ("--until", "2022-07-01", "--model", "two-regime", "--windows", "60,90"),
            "offensive only, not two-regime",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, text: str | None, extra: tuple[str, ...], words: str
) -> None:
    r = (
        _bad(tmp_path, text, "--from", "2022-01-01", *extra)
        if "--from" not in extra
        else _bad(tmp_path, text, *extra)
    )
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert words in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2


def test_calibrate_losses_prints_parameters_on_the_shipped_series(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = Path(__file__).resolve().parents[2] / "src" / "parley" / "data" / "ukraine"
    code, out, err = run(
        ["calibrate", "losses", str(data / "russia_losses_claimed_daily.csv"), "--front",
         str(data / "occupied_area_daily_deepstate.csv"), "--until", "2022-11-08",
         "--confirmed", str(data / "oryx_confirmed_losses.csv")],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "(25 weeks)" in out
    # 19 March 2022: 95 claimed aircraft against 13 photo-confirmed (the two shipped files)
    assert "claimed / photo-confirmed, Aircraft: 7.31 on 2022-03-19" in out
    assert "warning" not in out
    for name in ("beta0", "beta_intensity", "beta_trend_per_year", "alpha"):
        line = next(x for x in out.splitlines() if x.startswith(name))
        est, se = (float(v) for v in line.split()[1:3])
        assert math.isfinite(est) and se > 0


def test_confirmed_file_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(__file__).resolve().parents[2] / "src" / "parley" / "data" / "ukraine"
    bad = tmp_path / "oryx.csv"
    bad.write_text("country,equipment_type\nRussia,Aircraft\n")
    for path, words in ((tmp_path / "nope.csv", "no such file"), (bad, "needs the columns")):
        code, _, err = run(
            ["calibrate", "losses", str(data / "russia_losses_claimed_daily.csv"), "--front",
             str(data / "occupied_area_daily_deepstate.csv"), "--until", "2022-11-08",
             "--confirmed", str(path)],
            capsys,
        )  # fmt: skip
        assert code == 2 and words in err, err
        assert len(err.strip().splitlines()) == 1
