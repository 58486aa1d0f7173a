"""``parley simulate --aid-fit`` with per-donor fits: each supporter's regime follows its own
donor's fitted two-state Markov chain (checked against the chain's closed form), its levels come
from the fit in EUR bn/year, and the same seed gives the same runs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from scipy import stats

from ._cli import parley, run

WAR = Path(__file__).parents[1] / "data" / "war_minimal.yaml"  # 7-day steps
RUNS = 4000
STEP_MONTHS = 7 * 12 / 365.25  # the engine's months per 7-day step (365.25-day year)
# Two donors with tight posteriors; "fast" leaves its high regime far more often than "slow".
FAST_HL, SLOW_HL, BOTH_LH = (120.0, 180.0), (5.0, 195.0), (60.0, 140.0)  # Beta (a, b)
FIT = {
    "p_high_to_low": [0.2, 0.05],
    "p_low_to_high": [0.3, 0.05],
    "mean_correlation": [0.0, 0.0, 0.0],  # no common shock
    "substitution": {"fast": [0.0, 0.0, 0.0]},  # no substitution
    "prior_high_to_low": {"mean": 0.2, "strength": 10.0, "at_bound": ""},
    "prior_low_to_high": {"mean": 0.3, "strength": 10.0, "at_bound": ""},
    "per_donor": {
        name: {
            "high_to_low": {"a": hl[0], "b": hl[1]},
            "low_to_high": {"a": BOTH_LH[0], "b": BOTH_LH[1]},
            "high_bn_per_month": [2.0, 0.0, 2.0, 2.0],  # 24 EUR bn/year in every run
            "low_bn_per_month": [0.5, 0.0, 0.5, 0.5],  # 6 EUR bn/year
        }
        for name, hl in (("fast", FAST_HL), ("slow", SLOW_HL))
    },
    "supporters": {"ally": "fast", "friend": "slow"},
}


def p_low_closed_form(hl: tuple[float, float], lh: tuple[float, float], steps: int) -> float:
    """P(low after ``steps`` steps | high at the start), averaged over the Beta laws.

    Per step the monthly probabilities become p = 1 − (1 − p_month)^m and q likewise (m months a
    step). A two-state chain started high is low after k steps with probability
    π_low·(1 − (1 − p − q)^k), π_low = p/(p + q) (the stationary share of the low state).
    """

    # the average over independent Beta laws, by the midpoint rule on 400 quantiles of each
    u = (np.arange(400) + 0.5) / 400
    p = 1 - (1 - stats.beta.ppf(u, *hl)[:, None]) ** STEP_MONTHS
    q = 1 - (1 - stats.beta.ppf(u, *lh)[None, :]) ** STEP_MONTHS
    return float(np.mean(p / (p + q) * (1 - (1 - p - q) ** steps)))


@pytest.fixture(scope="module")
def two_donors(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    doc = yaml.safe_load(WAR.read_text())
    doc["actors"].append(
        {"id": "friend", "capability": 0.5,
         "positions": {"territory": {"position": 20, "salience": 0.3}}}
    )  # fmt: skip
    # aid adds no force, so a run's aid regime is independent of when the run ends
    doc["war"]["supporters"] = [
        {"actor": "ally", "side": "B", "force_per_bn": 0.0},
        {"actor": "friend", "side": "B", "force_per_bn": 0.0},
    ]
    doc["war"]["policy"] = {"negotiate_from_step": 1000}  # no talks: most runs go on
    d = tmp_path_factory.mktemp("aid")
    (d / "scenario.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    (d / "fit.json").write_text(json.dumps(FIT))
    return d / "scenario.yaml", d / "fit.json"


def _simulate(scenario: Path, fit: Path, out: Path) -> xr.Dataset:
    r = parley("simulate", str(scenario), "--aid-fit", str(fit), "--runs", str(RUNS),
               "--seed", "11", "--horizon", "182", "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "own switching and levels for ally=fast, friend=slow" in r.stdout
    return xr.load_dataset(out / "simulation.nc", engine="h5netcdf")


@pytest.fixture(scope="module")
def first_run(two_donors: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory):
    return _simulate(*two_donors, tmp_path_factory.mktemp("run"))


def test_each_supporter_follows_its_donors_chain(first_run: xr.Dataset) -> None:
    ds = first_run
    high = ds["aid_high"].values.astype(bool)
    active = ds["active"].values.astype(bool)
    for j in (12, 25):  # the state after 13 and 26 weekly steps (3 and 6 months)
        live = active[:, j]
        n = int(live.sum())
        assert n > RUNS / 4
        for k, hl in enumerate((FAST_HL, SLOW_HL)):
            expected = p_low_closed_form(hl, BOTH_LH, j + 1)
            share = float(np.mean(~high[live, j, k]))
            tol = 4 * math.sqrt(expected * (1 - expected) / n)
            assert abs(share - expected) < tol, (j, k, share, expected)
    # the fast donor is low far more often than the slow one (about 0.5 against 0.07)
    assert np.mean(~high[active[:, 25], 25, 0]) > 4 * np.mean(~high[active[:, 25], 25, 1])
    # levels from the fit, EUR bn/month x 12: a step delivers 24 or 6 EUR bn/year x 7/365.25
    cum = ds["aid_cumulative"].values.astype(float)
    both = active[:, 1:] & active[:, :-1]
    step_aid = np.diff(cum, axis=1)[both]
    level = np.where(high[:, 1:][both], 24.0, 6.0) * 7 / 365.25
    assert np.allclose(step_aid, level, rtol=1e-4)


def test_same_seed_same_runs(
    two_donors: tuple[Path, Path], first_run: xr.Dataset, tmp_path: Path
) -> None:
    again = _simulate(*two_donors, tmp_path)
    assert np.array_equal(first_run["aid_high"].values, again["aid_high"].values)
    assert np.array_equal(first_run["aid_cumulative"].values, again["aid_cumulative"].values)


@pytest.mark.parametrize(
    "args,words",
    [
        (["--map", "ally"], "expected SUPPORTER=DONOR"),
        (["--map", "ally=FRA"], "donor 'FRA' is not fitted"),
    ],
)
def test_calibrate_aid_bad_map_is_one_line(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    kiel = Path(__file__).parents[2] / "src/parley/data/ukraine/kiel_aid_data_explorer.csv"
    code, _, err = run(["calibrate", "aid", str(kiel), "--until", "2022-10", *args], capsys)
    assert code == 2 and words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_per_donor_fit_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {**FIT, "per_donor": {"ally": {**FIT["per_donor"]["fast"],
                                         "high_to_low": {"a": -1.0, "b": 2.0}}},
           "supporters": None}  # fmt: skip
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(bad))
    argv = ["simulate", str(WAR), "--aid-fit", str(path), "--runs", "5", "--out", str(tmp_path)]
    code, _, err = run(argv, capsys)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "fit.json" in err and "per_donor.ally.high_to_low" in err and "> 0" in err


def test_calibrate_aid_writes_per_donor_fit_and_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kiel = Path(__file__).parents[2] / "src/parley/data/ukraine/kiel_aid_data_explorer.csv"
    out = tmp_path / "aid.json"
    argv = ["calibrate", "aid", str(kiel), "--until", "2022-10", "--map", "USA=USA,POL=others"]
    code, stdout, err = run([*argv, "--out", str(out)], capsys)
    assert code == 0, err
    assert "prior high->low" in stdout
    fit = json.loads(out.read_text())
    assert fit["supporters"] == {"USA": "USA", "POL": "others"}
    assert set(fit["per_donor"]) == {"USA", "EU", "GBR", "DEU", "others"}
    # the shipped file, Feb-Oct 2022, USA in EUR bn: 0.36 1.07 2.76 1.08 4.64 3.52 9.69 2.43 1.65,
    # mean 3.02, high >= 1.51: L L H L H H H H H -> high 5 months (one to low), low 3 (two up)
    assert fit["per_donor"]["USA"]["counts"] == [1, 5, 2, 3]
    assert fit["fitted"]["until"] == "2022-10"
