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
FIT_OFFENSIVE = DATA / "front_fit_offensive_2022-11-08.json"


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


def test_front_parameters_are_the_shipped_offensive_fit(scenario) -> None:  # type: ignore[no-untyped-def]
    fit = json.loads(FIT_OFFENSIVE.read_text(encoding="utf-8"))["params"]
    f = scenario.war.front
    pairs = [
        (f.drift_km2_per_day, fit["drift_positional"]),
        (f.sigma_km2_per_sqrt_day, fit["sigma_positional"]),
        (f.offensive_drift_km2_per_day, fit["drift_offensive"]),
        (f.offensive_sigma_km2_per_sqrt_day, fit["sigma_offensive"]),
        (f.offensive_jump_rate_per_day, fit["jump_rate_offensive"]),
        (f.offensive_jump_size_km2, fit["jump_size_mean"]),
        (f.offensive_jump_sd_km2, fit["jump_size_sd"]),
        (f.p_offensive_A_per_day, fit["p_offensive_A"]),
        (f.p_offensive_B_per_day, fit["p_offensive_B"]),
        (f.p_culminate_per_day, fit["p_culminate"]),
        (f.p_recover_per_day, fit["p_recover"]),
    ]
    for value, fitted in pairs:
        assert value == pytest.approx(fitted, rel=0.005)
    # the offensive model has no manoeuvre state
    assert f.p_to_manoeuvre_per_day == fit["p_positional_to_manoeuvre"] == 0.0


def test_every_assumption_value_has_a_sentence_and_a_source(scenario) -> None:  # type: ignore[no-untyped-def]
    sources = scenario.metadata["assumption_sources"]
    groups = {n: a for n, a in scenario.experiment.assumptions.items() if n in sources}
    assert set(groups) == {f"{c}_{g}" for c in ("advocates", "critics")
                           for g in ("battlefield", "reciprocity", "western")}  # fmt: skip
    for camp in ("advocates", "critics"):
        # the command-line sets are exactly the union of their camp's groups
        union: dict[str, object] = {}
        for g in ("battlefield", "reciprocity", "western"):
            union.update(groups[f"{camp}_{g}"].overrides)
        assert scenario.experiment.assumptions[f"negotiation_{camp}"].overrides == union
    for name, aset in groups.items():
        for path in aset.overrides:
            text = sources[name][path]
            assert len(text.split()) >= 6, (name, path)
            # a source: a document, a data file, a fit, a reference class, or the label
            assert any(
                k in text for k in ("illustrative", "fit", "DeepState", "(", "202", "199")
            ), (name, path)


_MONTHS = "January February March April May June July August September October November December"


def test_no_source_cites_anything_after_the_forecast_origin(scenario) -> None:  # type: ignore[no-untyped-def]
    import re

    texts = [str(v) for v in scenario.metadata["war_sources"].values()]
    texts += [t for d in scenario.metadata["assumption_sources"].values() for t in d.values()]
    texts += [str(c["source"]) for c in scenario.metadata["capabilities"].values()]
    texts += [str(i["source"]) for a in scenario.metadata["stances"].values() for i in a.values()]
    texts += [str(x.source) for x in scenario.issues]
    day = re.compile(r"(\d{1,2}) (" + "|".join(_MONTHS.split()) + r") (\d{4})")
    # a forecast's target date or a model horizon is not evidence: "before 30 April 2023",
    # "to November 2025"
    target = re.compile(
        r"\b(before|to|until) (\d{1,2} )?((" + "|".join(_MONTHS.split()) + r") )?\d{4}"
    )
    for text in (target.sub("", t) for t in texts):
        assert not re.search(r"\b20(2[3-9]|[3-9]\d)\b", text), text
        for d, month, year in day.findall(text):
            when = date(int(year), _MONTHS.split().index(month) + 1, int(d))
            assert when <= date(2022, 11, 8), text


def test_the_three_assumptions_are_two_camps_of_the_same_parameters(scenario) -> None:  # type: ignore[no-untyped-def]
    sets = scenario.experiment.assumptions
    for group in ("battlefield", "reciprocity", "western"):
        adv, crit = sets[f"advocates_{group}"], sets[f"critics_{group}"]
        assert set(adv.overrides) == set(crit.overrides) or group == "battlefield"
    combos = scenario.metadata["report"]["combos"]
    assert combos["advocates"] == ["advocates_battlefield", "advocates_reciprocity",
                                   "advocates_western"]  # fmt: skip
    for group in ("battlefield", "reciprocity", "western"):
        mixed = combos[f"advocates_but_{group}_wrong"]
        assert f"critics_{group}" in mixed and sum(s.startswith("critics") for s in mixed) == 1


def test_advocates_battlefield_implies_no_ukrainian_gains_in_expectation(scenario) -> None:  # type: ignore[no-untyped-def]
    # No Ukrainian offensive can start, and every remaining regime drifts towards Russia: the
    # positional drift range is >= 0 and offensives by Russia drift +75 km2/day; so the mean
    # simulated front (talks never open) ends at or above the line of 8 November 2022.
    import numpy as np

    from parley.analysis.front_fan import front_fan

    over = scenario.experiment.assumptions["advocates_battlefield"].overrides
    assert over["war.front.p_offensive_B_per_day"] == 0.0
    assert over["war.front.drift_km2_per_day"].low >= 0
    fan = front_fan(scenario, [("advocates_battlefield",)], 200, 7)
    start = scenario.war.region.initial_area_km2
    assert (fan["q50"].to_numpy() >= start - 1).all()
    assert np.median(fan["q50"].to_numpy()[-10:]) > start


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
