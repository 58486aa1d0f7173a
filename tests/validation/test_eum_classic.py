"""The expected-utility model on the classic inputs, beside what actually happened.

Known outcomes (``src/parley/data/eum/PROVENANCE.md``): EC car emissions — decided at 8.833 years
(Bueno de Mesquita 1994 forecast 8.35); Iran 2013 — Rouhani (RUH, position 8) won; UK euro entry —
the UK did not join. The sultan-oil and China-1989 files come without a coded outcome. The table in
``docs/eum.md`` records these verdicts, hits and misses alike; these tests keep it honest.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from parley.negotiation.eum import eum_model
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.importers.eum_csv import load_eum_csv
from parley.scenario.schema import Scenario

NAMES = (
    "ec_car_emissions_1994.csv",
    "iran_election_2013.csv",
    "uk_emu_labour.csv",
    "china_1989.csv",
    "sultan_oil_1997.csv",
)
EC_OUTCOME, EC_BDM_FORECAST = 8.833, 8.35
IRAN_WINNER = "RUH"


def classic() -> list[Scenario]:
    return [
        load_eum_csv((resources.files("parley.data") / "eum" / n).read_text(), n)[0] for n in NAMES
    ]


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    scenarios = classic()
    batch = stakeholder_batch(scenarios)
    return {
        "scenarios": scenarios,
        "sc": eum_model(batch),
        "pl": eum_model(batch, profile="paper-literal"),
    }


def nearest_actor(sc: Scenario, value: float) -> str:
    gaps = {a.id: abs(a.positions["issue"].position - value) for a in sc.actors}
    return min(gaps, key=lambda k: gaps[k])


def test_initial_medians_by_hand(results: dict) -> None:
    med = results["sc"].extra["median"][:, 0, 0]
    # EC: weights c*s at 4 years sum to .248 of .677, adding 7 years gives .341 > .3385 -> 7.
    # Iran: weights .168 (1), .08 (2), .13 (4), .6575 (5) of 1.4555: cumulative passes half at 5.
    assert med[0] == 7.0 and med[1] == 5.0


def test_ec_forecast_misses_more_than_bdm(results: dict) -> None:
    final = results["sc"].outcome[0, 0]
    # The reconstruction oscillates (8.4 -> 9.96 -> 7.5 -> 9.7 -> 7.0); the round-10 median is the
    # input median 7.0, 1.83 years from the decision - further than Bueno de Mesquita's own 8.35.
    assert final == pytest.approx(7.0)
    assert abs(final - EC_OUTCOME) > abs(EC_BDM_FORECAST - EC_OUTCOME)
    medians = results["sc"].extra["median"][0, 1:, 0]
    assert medians.min() >= 7.0 and medians.max() < 10.0


def test_iran_forecast_misses_rouhani(results: dict) -> None:
    sc = results["scenarios"][1]
    for profile in ("sc", "pl"):
        final = results[profile].outcome[1, 0]
        assert nearest_actor(sc, final) != IRAN_WINNER  # a miss under both rule sets
    # Regression check, not a reference value (no published trajectory exists for this input):
    # the Scholz-code forecast lands on BAF's position 5 (Ghalibaf, who came second).
    assert results["sc"].outcome[1, 0] == 5.0


def test_uk_emu_forecast_undecided(results: dict) -> None:
    # Scale 1 (against) .. 10 (join), midpoint 5.5. The UK did not join. The Scholz-code median
    # alternates between 6.0 (leaning to join) and about 5.3 (leaning against) every round, so the
    # forecast depends on the round at which one stops: not a usable hit. (A regression check of
    # parley's own runs; no published trajectory exists for this input.)
    med = results["sc"].extra["median"][2, 1:, 0]
    assert (med[0::2] > 5.5).all() and (med[1::2] < 5.5).all()
    pl = results["pl"].extra["median"][2, 1:, 0]
    assert (pl < 5.5).all()  # the paper-literal rules settle below the midpoint (not joining)


def test_no_outcome_cases_stay_in_range(results: dict) -> None:
    for b, sc in ((3, results["scenarios"][3]), (4, results["scenarios"][4])):
        issue = sc.issues[0]
        hist = results["sc"].history[b, :, : len(sc.actors), 0]
        assert np.isfinite(hist).all()
        assert issue.scale_min <= hist.min() and hist.max() <= issue.scale_max
    # Sultan's oil: every EU pair falls in a region without a move under the Scholz-code rules
    # (the capitulation branch is disabled there), so no actor moves.
    assert (results["sc"].extra["moves"]["batch"] != 4).all()


@pytest.mark.slow
def test_all_deu_issues_in_one_call() -> None:
    from parley.scenario.importers.deu import load_shipped_deu

    scenarios = [
        s
        for s in load_shipped_deu()
        if s.issues[0].outcome is not None
        and sum(1 for a in s.actors if s.issues[0].id in a.positions) >= 3
    ]
    assert len(scenarios) == 322  # the documented count of scoreable DEU I/II issues
    batch = stakeholder_batch(scenarios)
    res = eum_model(batch, rounds=10)
    assert res.outcome.shape == (322, 1)
    assert np.isfinite(res.outcome).all()
    assert ((res.outcome >= 0) & (res.outcome <= 100)).all()
    assert res.history is not None
    np.testing.assert_array_equal(res.history[:, 0], batch.position)
    assert res.history.shape == (322, 11, batch.shape[1], 1)
