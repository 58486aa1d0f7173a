"""The flagship scenario: its issues and actors, and the provenance of its fitted and data numbers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from parley.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "scenarios" / "ukraine-2022-11.yaml"
DATA = ROOT / "src" / "parley" / "data" / "ukraine"
FIT = DATA / "front_fit_2022-11-08.json"


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load_scenario(FLAGSHIP)


def test_issues_and_named_lines(scenario) -> None:  # type: ignore[no-untyped-def]
    issues = {i.id: i for i in scenario.issues}
    assert {"territory", "security", "sanctions"} <= set(issues)
    t = issues["territory"]
    assert t.unit == "km2"
    labels = {p.label: p.value for p in t.labels}
    assert labels["1991 borders"] == 0
    assert labels["24 February 2022 line"] == 43980
    assert labels["Russia's annexation claims (30 September 2022)"] == 135787
    # the claims are the sum of the official areas listed in the source
    assert 26081 + 864 + 26517 + 26684 + 27180 + 28461 == 135787


def test_actors(scenario) -> None:  # type: ignore[no-untyped-def]
    ids = {a.id for a in scenario.actors}
    assert {"UKR", "RUS", "USA", "EU", "DEU", "FRA", "GBR"} <= ids
    war = scenario.war
    assert (war.sides.A, war.sides.B) == ("RUS", "UKR")


def test_lines_from_the_shipped_deepstate_series(scenario) -> None:  # type: ignore[no-untyped-def]
    df = pd.read_csv(DATA / "occupied_area_daily_deepstate.csv", index_col="date")
    # initial area = occupied_total_km2 on the start date
    assert scenario.war.region.initial_area_km2 == round(df.loc["2022-11-08", "occupied_total_km2"])
    # the 24 February line = total minus post-2022 occupation (within 50 km2 of mapping noise)
    r = df.loc["2022-11-07"]
    assert abs(r.occupied_total_km2 - r.occupied_post2022_km2 - 43980) < 50


def test_aid_levels_from_the_shipped_kiel_data(scenario) -> None:  # type: ignore[no-untyped-def]
    kiel = pd.read_csv(DATA / "kiel_aid_data_explorer.csv")
    total = kiel[kiel.year == 2022].groupby("iso").total.sum()
    for sup in scenario.war.supporters:
        # allocations to October 2022 annualised over February-October (12 / 9)
        assert sup.aid_high_bn_per_year == pytest.approx(total[sup.actor] * 12 / 9, abs=0.06)


def test_front_parameters_are_the_shipped_fit(scenario) -> None:  # type: ignore[no-untyped-def]
    fit = json.loads(FIT.read_text(encoding="utf-8"))["params"]
    f = scenario.war.front
    pairs = [
        (f.drift_km2_per_day, fit["drift_positional"]),
        (f.sigma_km2_per_sqrt_day, fit["sigma_positional"]),
        (f.manoeuvre_drift_km2_per_day, fit["drift_manoeuvre"]),
        (f.manoeuvre_sigma_km2_per_sqrt_day, fit["sigma_manoeuvre"]),
        (f.manoeuvre_jump_rate_per_day, fit["jump_rate_manoeuvre"]),
        (f.manoeuvre_jump_mean_km2, fit["jump_mean_manoeuvre"]),
        (f.manoeuvre_jump_sd_km2, fit["jump_sd_manoeuvre"]),
        (f.p_to_manoeuvre_per_day, fit["p_positional_to_manoeuvre"]),
        (f.p_to_positional_per_day, fit["p_manoeuvre_to_positional"]),
    ]
    for value, fitted in pairs:
        assert value == pytest.approx(fitted, rel=0.005)


@pytest.mark.slow
def test_shipped_fit_is_reproduced_by_calibration() -> None:
    # the same path as `parley calibrate front ... --until 2022-11-08`: carried-forward rows
    # (observed = False) lengthen the next interval instead of counting as "no change"
    from parley.analysis.calibrate import fit_front
    from parley.cli.calibrate import read_series

    series = read_series(DATA / "occupied_area_daily_deepstate.csv", "occupied_total_km2")
    params, diag = fit_front(series, date(2022, 11, 8))
    shipped = json.loads(FIT.read_text(encoding="utf-8"))
    assert diag.n_obs == shipped["metadata"]["n_obs"] == 163
    assert diag.log_likelihood == pytest.approx(shipped["metadata"]["log_likelihood"], abs=0.05)
    assert params.drift_positional == pytest.approx(shipped["params"]["drift_positional"], rel=0.02)
    assert params.jump_mean_manoeuvre == pytest.approx(
        shipped["params"]["jump_mean_manoeuvre"], rel=0.02
    )
