"""``parley simulate`` through the real console entry point: options, outputs, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from hand_models import no_talks_war
from parley.war.front import FrontParams

from ._cli import parley

DATA = Path(__file__).parents[1] / "data"
WAR = DATA / "war_minimal.yaml"  # start_date 2022-11-08, 7-day steps, 52 steps
COLUMNS = ["date", "q05", "q10", "q25", "q50", "q75", "q90", "q95"]


@pytest.fixture(scope="module")
def late_talks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """war_minimal with talks opening at step 8, so the front moves before settlements."""
    doc = yaml.safe_load(WAR.read_text())
    doc["war"]["policy"] = {"negotiate_from_step": 8}
    path = tmp_path_factory.mktemp("scen") / "late_talks.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory, late_talks: Path) -> Path:
    out = tmp_path_factory.mktemp("sim")
    r = parley("simulate", str(late_talks), "--runs", "300", "--seed", "3", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "300 runs, 52 steps" in r.stdout
    return out


def test_outputs_exist_and_match_each_other(run_dir: Path) -> None:
    ds = xr.open_dataset(run_dir / "simulation.nc", engine="h5netcdf")
    assert ds.sizes["run"] == 300 and ds.sizes["step"] == 52
    for name in ("outcome", "settled", "share_A", "terms", "held_5y", "casualties", "area_km2"):
        assert name in ds
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["n_runs"] == 300
    settled = int(ds["settled"].sum())
    assert summary["outcome"]["settlement"]["p"] == pytest.approx(settled / 300)
    lo, hi = summary["outcome"]["settlement"]["lo"], summary["outcome"]["settlement"]["hi"]
    assert lo <= settled / 300 <= hi
    q = pd.read_csv(run_dir / "front_quantiles.csv")
    assert list(q.columns) == COLUMNS
    assert len(q) == 52  # one row per week of the 52-step horizon
    assert q["date"].iloc[0] == "2022-11-15" and q["date"].iloc[-1] == "2023-11-07"
    values = q[COLUMNS[1:]].to_numpy()
    assert np.all(np.diff(values, axis=1) >= 0)  # quantiles ordered across columns
    # the table is the quantiles of the simulated area at the end of each week
    area = ds["area_km2"].values.astype(float)
    np.testing.assert_allclose(q["q50"], np.quantile(area, 0.5, axis=0), rtol=1e-6)
    ds.close()


def test_same_seed_same_results_and_other_seed_differs(
    run_dir: Path, late_talks: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    r = parley("simulate", str(late_talks), "--runs", "300", "--seed", "3", "--out", str(again))
    assert r.returncode == 0, r.stderr
    assert (again / "summary.json").read_text() == (run_dir / "summary.json").read_text()
    assert (again / "front_quantiles.csv").read_text() == (
        run_dir / "front_quantiles.csv"
    ).read_text()
    other = tmp_path / "other"
    assert (
        parley(
            "simulate", str(late_talks), "--runs", "300", "--seed", "4", "--out", str(other)
        ).returncode
        == 0
    )
    assert (other / "front_quantiles.csv").read_text() != (
        run_dir / "front_quantiles.csv"
    ).read_text()


def test_start_and_horizon(tmp_path: Path) -> None:
    r = parley(
        "simulate", str(WAR), "--runs", "50", "--start", "2023-01-01", "--horizon", "70",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    q = pd.read_csv(tmp_path / "front_quantiles.csv")
    assert q["date"].tolist() == [f"2023-01-{d:02d}" for d in (8, 15, 22, 29)] + [
        f"2023-02-{d:02d}" for d in (5, 12, 19, 26)
    ] + ["2023-03-05", "2023-03-12"]  # ceil(70 / 7) = 10 weekly steps
    ds = xr.open_dataset(tmp_path / "simulation.nc", engine="h5netcdf")
    assert ds.attrs["start_date"] == "2023-01-01" and ds.sizes["step"] == 10
    ds.close()


def _no_talks(tmp_path: Path) -> Path:
    """war_minimal where every run fights the whole horizon (:func:`hand_models.no_talks_war`)."""
    return no_talks_war(tmp_path)


def _front_file(tmp_path: Path, last_date: str, **extra: object) -> Path:
    fp = FrontParams(
        drift_positional=-50.0,
        sigma_positional=0.0,
        metadata={"last_date": last_date, "last_value": 45000.0, **extra},
    )
    path = tmp_path / "front.json"
    path.write_text(json.dumps(fp.to_dict()))
    return path


def test_front_params_replace_the_front_and_set_the_start_area(tmp_path: Path) -> None:
    # deterministic front: −50 km²/day from the fitted last value 45,000 km² (not the scenario's
    # 40,000), no manoeuvre phases; talks never open so every run fights the whole horizon
    path = _front_file(tmp_path, "2022-11-08")
    out = tmp_path / "o"
    r = parley(
        "simulate", str(_no_talks(tmp_path)), "--runs", "20", "--horizon", "28", "--front-params", str(path),
        "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    q = pd.read_csv(out / "front_quantiles.csv")
    expected = [45000.0 - 50.0 * 7 * w for w in (1, 2, 3, 4)]
    for col in COLUMNS[1:]:
        np.testing.assert_allclose(q[col], expected, rtol=1e-6)


def test_front_params_from_an_earlier_day_keep_the_scenario_area(tmp_path: Path) -> None:
    path = _front_file(tmp_path, "2022-10-01")  # 38 days before the start: not the start area
    out = tmp_path / "o"
    r = parley(
        "simulate", str(_no_talks(tmp_path)), "--runs", "5", "--horizon", "7", "--front-params", str(path),
        "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    q = pd.read_csv(out / "front_quantiles.csv")
    np.testing.assert_allclose(q["q50"], [40000.0 - 350.0], rtol=1e-6)


def test_parameter_uncertainty_widens_the_intervals(tmp_path: Path) -> None:
    # a fitted file with an asymptotic covariance (as written by parley calibrate front): drift
    # known to ±20 km²/day; the point estimate gives a degenerate (σ = 0.01) fan, the draws do not
    names = [
        "drift_positional", "drift_manoeuvre", "sigma_positional", "sigma_manoeuvre",
        "p_positional_to_manoeuvre", "p_manoeuvre_to_positional",
    ]  # fmt: skip
    theta = [0.0, 0.0, float(np.log(0.01)), float(np.log(0.01)), -30.0, 0.0]
    cov = np.zeros((6, 6))
    cov[0, 0] = (20.0 / 100.0) ** 2  # drifts are optimised in units of 100 km²
    meta = {"theta_names": names, "theta": theta, "theta_cov": cov.tolist()}
    fp = FrontParams(sigma_positional=0.01, sigma_manoeuvre=0.01, metadata=meta)
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(fp.to_dict()))
    scenario = _no_talks(tmp_path)
    widths = {}
    for flag in ("--parameter-uncertainty", "--no-parameter-uncertainty"):
        out = tmp_path / flag
        r = parley(
            "simulate", str(scenario), "--runs", "2000", "--horizon", "7", "--front-params",
            str(path), flag, "--out", str(out),
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        q = pd.read_csv(out / "front_quantiles.csv")
        widths[flag] = float(q["q95"].iloc[0] - q["q05"].iloc[0])
    # with draws: 7 days × drift ~ N(0, 20²): the 90 % interval is 2·1.645·140 = 460.6 km² wide
    assert widths["--parameter-uncertainty"] == pytest.approx(2 * 1.6449 * 140, rel=0.08)
    assert widths["--no-parameter-uncertainty"] < 1.0


def _mixture_file(tmp_path: Path, weights: list[float], last_dates: list[str]) -> Path:
    """A hand-made window mixture: deterministic fronts (σ 0, no jumps, no offensives) of drift
    −50 and +30 km²/day ending at 45,000 km²; the top level is the first component."""
    comps = []
    for k, (w, day) in enumerate(zip(weights, last_dates, strict=True)):
        fp = FrontParams(
            drift_positional=(-50.0, 30.0)[k],
            sigma_positional=0.0,
            metadata={
                "last_date": day,
                "last_value": 45000.0,
                "regime_probs_last": [1, 0, 0, 0, 0],
            },
        )
        comps.append(
            {"window_days": 60 * (k + 1), "first_day": "2022-07-01", "weight": w, **fp.to_dict()}
        )
    path = tmp_path / "mix.json"
    path.write_text(
        json.dumps({**{k: comps[0][k] for k in ("params", "stderr", "metadata")}, "mixture": comps})
    )
    return path


def test_a_window_mixture_gives_each_fit_its_share_of_the_runs(tmp_path: Path) -> None:
    # weights 0.7 / 0.3 of 20 runs: 14 and 6 (exact). Talks never open, so after 28 days the 14
    # runs of the first fit stand at 45,000 − 50 × 28 = 43,600 km² and the 6 of the second at
    # 45,000 + 30 × 28 = 45,840 km².
    path = _mixture_file(tmp_path, [0.7, 0.3], ["2022-11-08"] * 2)
    out = tmp_path / "o"
    r = parley(
        "simulate", str(_no_talks(tmp_path)), "--runs", "20", "--horizon", "28", "--front-params", str(path),
        "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    with xr.open_dataset(out / "simulation.nc", engine="h5netcdf") as ds:
        final = np.asarray(ds["final_area_km2"].values)
    assert int(np.isclose(final, 43600.0).sum()) == 14
    assert int(np.isclose(final, 45840.0).sum()) == 6
    summary = json.loads((out / "summary.json").read_text())
    assert summary["front_mixture"] == [
        {"window_days": 60, "weight": 0.7, "runs": 14},
        {"window_days": 120, "weight": 0.3, "runs": 6},
    ]
    assert "window mixture of 60 days 0.700 (14 runs)" in r.stdout


def test_each_run_starts_in_its_windows_filtered_regime(tmp_path: Path) -> None:
    # two windows with the same numbers (offensives move +100 km²/day and never culminate, none
    # can start): the first saw the front positional on its last day, the second in an offensive
    # by A. Of 10 runs at 0.6 / 0.4, 6 stay at 45,000 km² and 4 reach 45,000 + 100 × 28 = 47,800.
    comps = []
    for k, (w, regime) in enumerate(((0.6, 0), (0.4, 2))):  # REGIMES: positional, ..., offensive_A
        probs = [0.0] * 5
        probs[regime] = 1.0
        meta = {"last_date": "2022-11-08", "last_value": 45000.0, "regime_probs_last": probs}
        fp = FrontParams(sigma_positional=0.0, drift_offensive=100.0, metadata=meta)
        comps.append(
            {"window_days": 60 + k, "first_day": "2022-07-01", "weight": w, **fp.to_dict()}
        )
    path = tmp_path / "mix.json"
    path.write_text(
        json.dumps({**{k: comps[0][k] for k in ("params", "metadata")}, "mixture": comps})
    )
    out = tmp_path / "o"
    r = parley(
        "simulate", str(_no_talks(tmp_path)), "--runs", "10", "--horizon", "28", "--front-params", str(path),
        "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    with xr.open_dataset(out / "simulation.nc", engine="h5netcdf") as ds:
        final = np.asarray(ds["final_area_km2"].values)
    assert sorted(final.round(6).tolist()) == [45000.0] * 6 + [47800.0] * 4


@pytest.mark.parametrize(
    "weights,days,words",
    [
        ([-0.3, 1.3], ["2022-11-08"] * 2, "expected a weight >= 0"),
        ([0.5, 0.2], ["2022-11-08"] * 2, "weights must sum to 1"),
        ([0.5, 0.5], ["2022-11-08", "2022-11-01"], "same series to the same day"),
    ],
)
def test_bad_mixture_file_is_one_line(
    tmp_path: Path, weights: list[float], days: list[str], words: str
) -> None:
    path = _mixture_file(tmp_path, weights, days)
    r = parley("simulate", str(WAR), "--front-params", str(path), "--out", str(tmp_path / "o"))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert words in r.stderr and "mix.json" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args,words",
    [
        (["tests/data/nope.yaml"], "nope.yaml"),
        ([str(DATA / "ec_minimal.yaml")], "no 'war' section"),
        ([str(WAR), "--start", "8 Nov"], "--start must be a date"),
        ([str(WAR), "--horizon", "-3"], "--horizon must be a positive"),
        ([str(WAR), "--format", "csv"], "--format must be netcdf or zarr"),
        ([str(WAR), "--runs", "0"], "--runs"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    r = parley("simulate", *args, "--out", str(tmp_path / "o"))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert words in r.stderr


@pytest.mark.parametrize(
    "content,words",
    [
        ("{not json", "malformed JSON"),
        ('{"params": {"drift_sideways": 1}}', "unknown front parameter"),
        ('{"params": {"sigma_positional": -4}}', "expected a value >= 0"),
        ('{"params": {"sigma_positional": "wide"}}', "expected a number"),
    ],
)
def test_bad_front_params_file(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "fp.json"
    path.write_text(content)
    r = parley("simulate", str(WAR), "--front-params", str(path), "--out", str(tmp_path / "o"))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert words in r.stderr and "fp.json" in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2


def test_weekly_status_losses_and_aid(run_dir: Path) -> None:
    """status.csv, losses_quantiles.csv, aid_quantiles.csv: the column contract and the runs."""
    ds = xr.open_dataset(run_dir / "simulation.nc", engine="h5netcdf")
    status = pd.read_csv(run_dir / "status.csv")
    assert list(status.columns) == [
        "date", "ongoing", "settled", "collapse_A", "collapse_B", "catastrophe",
    ]  # fmt: skip
    assert len(status) == 52
    np.testing.assert_allclose(status.iloc[:, 1:].sum(axis=1), 1.0)
    # last week: the share of each final outcome among the runs
    outcome = ds["outcome"].values
    last = status.iloc[-1]
    assert last["settled"] == pytest.approx(np.mean(outcome == 1))
    assert last["ongoing"] == pytest.approx(np.mean(outcome == 0))
    # week 8 (row 7): runs that ended by step 7 are in their final state
    ended = (ds["end_step"].values <= 7) & (outcome > 0)
    assert status["ongoing"].iloc[7] == pytest.approx(1 - ended.mean())
    band = ["q05", "q25", "q50", "q75", "q95"]
    losses = pd.read_csv(run_dir / "losses_quantiles.csv")
    assert list(losses.columns) == ["date", "side", *band]
    assert sorted(set(losses["side"])) == ["north", "south"] and len(losses) == 104
    final = losses[(losses["date"] == "2023-11-07") & (losses["side"] == "north")]
    cas = ds["casualties"].sel(side="north").values.astype(float)  # per run, at its end
    assert float(final["q50"].iloc[0]) == pytest.approx(np.median(cas), rel=1e-5)
    aid = pd.read_csv(run_dir / "aid_quantiles.csv")
    assert list(aid.columns) == ["date", "supporter", *band]
    assert set(aid["supporter"]) == {"ally"} and len(aid) == 52
    first = aid.iloc[0]  # one week of aid at 40 or 10 EUR bn/year (high or low regime)
    assert 10 * 7 / 365.25 - 1e-6 <= first["q05"] <= first["q95"] <= 40 * 7 / 365.25 + 1e-6
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["policy"] == "scenario"
    assert len(summary["scenario_hash"]) == 64 and summary["parley_version"]


def test_policy_and_assumptions(tmp_path: Path) -> None:
    flagship = Path(__file__).parents[2] / "scenarios" / "ukraine-2022-11.yaml"
    r = parley("simulate", str(flagship), "--runs", "40", "--out", str(tmp_path), "--horizon", "70",
               "--policy", "support_then_negotiate", "--assumptions", "negotiation_critics")  # fmt: skip
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["policy"] == "support_then_negotiate"
    assert summary["assumptions"] == "negotiation_critics"
    bad = parley("simulate", str(flagship), "--runs", "4", "--out", str(tmp_path),
                 "--policy", "no_such_policy")  # fmt: skip
    assert bad.returncode == 2 and "unknown policy" in bad.stderr


def test_default_seed_is_the_documented_one(tmp_path: Path, late_talks: Path) -> None:
    out = tmp_path / "default"
    r = parley("simulate", str(late_talks), "--runs", "50", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "summary.json").read_text())["seed"] == 20221108  # parley.seeds


UKRAINE = Path(__file__).resolve().parents[2] / "src" / "parley" / "data" / "ukraine"


def test_losses_and_aid_fits_drive_the_engine(tmp_path: Path, late_talks: Path) -> None:
    """calibrate losses/aid --out, then simulate --losses-fit/--aid-fit: the fitted processes
    set the loss and aid laws (the same seed without them gives other quantiles)."""
    lf, af = tmp_path / "losses.json", tmp_path / "aid.json"
    r = parley(
        "calibrate", "losses", str(UKRAINE / "russia_losses_claimed_daily.csv"), "--front",
        str(UKRAINE / "occupied_area_daily_deepstate.csv"), "--until", "2022-11-08",
        "--out", str(lf),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = parley(
        "calibrate", "aid", str(UKRAINE / "kiel_aid_data_explorer.csv"), "--until", "2022-10",
        "--out", str(af),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    fit = json.loads(lf.read_text())
    assert fit["fitted"]["until"] == "2022-11-08" and fit["estimate"]["alpha"] > 0
    assert json.loads(af.read_text())["p_high_to_low"][0] > 0
    base = ["simulate", str(late_talks), "--runs", "300", "--seed", "4", "--horizon", "182"]
    assert parley(*base, "--out", str(tmp_path / "a")).returncode == 0
    r = parley(*base, "--losses-fit", str(lf), "--aid-fit", str(af), "--out", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    for name in ("losses_quantiles.csv", "aid_quantiles.csv"):
        a = pd.read_csv(tmp_path / "a" / name)
        b = pd.read_csv(tmp_path / "b" / name)
        assert list(a.columns) == list(b.columns) and len(a) == len(b)
        q = ["q05", "q25", "q50", "q75", "q95"]
        assert not np.allclose(a[q].to_numpy(), b[q].to_numpy()), name


@pytest.mark.parametrize(
    "option,content,words",
    [
        ("--losses-fit", "{not json", "not a readable JSON file"),
        ("--losses-fit", '{"estimate": {"alpha": 0.1}}', "estimate.beta_intensity"),
        ("--aid-fit", '{"p_high_to_low": [2, 0.1]}', "expected p_high_to_low"),
        ("--aid-fit", "[1, 2]", "expected a JSON object"),
    ],
)
def test_bad_fit_files_are_one_line(tmp_path: Path, option: str, content: str, words: str) -> None:
    path = tmp_path / "fit.json"
    path.write_text(content)
    r = parley(
        "simulate", str(WAR), option, str(path), "--runs", "10", "--out", str(tmp_path / "o")
    )
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert words in r.stderr and "fit.json" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
