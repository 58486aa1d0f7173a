"""Simulated wars in the reference table's terms: durations, censoring, ages, the generic war."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from parley.analysis import reference_model as rm
from parley.analysis.reference_class import MONTH_DAYS
from parley.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
GENERIC = ROOT / "scenarios" / "generic-war.yaml"
FLAGSHIP = ROOT / "scenarios" / "ukraine-2022-11.yaml"


def _dataset(outcome: list[int], end_step: list[int], step_days: float, horizon: int) -> xr.Dataset:
    return xr.Dataset(
        {
            "outcome": ("run", np.array(outcome, dtype=np.int8)),
            "end_step": ("run", np.array(end_step, dtype=np.int64)),
        },
        attrs={"step_days": step_days, "horizon_steps": horizon},
    )


def test_simulated_durations_and_censoring_by_hand() -> None:
    # Steps of 30.4375 days (one month), horizon 24 steps. Runs: still going (censored at 24
    # months), settled in step 0 (1 month), collapse of A in step 3 (4 months), catastrophe in
    # step 8 (9 months), collapse of B in step 14 (15 months).
    ds = _dataset([0, 1, 2, 4, 3], [24, 0, 3, 8, 14], MONTH_DAYS, 24)
    wars = rm.simulated_wars(ds)
    assert wars.duration_days / MONTH_DAYS == pytest.approx([24, 1, 4, 9, 15])
    assert wars.ended.tolist() == [False, True, True, True, True]
    assert wars.outcome == ("ongoing", "settlement", "victory", "catastrophe", "victory")
    shares = rm.model_end_shares(wars, 24 * MONTH_DAYS, ages_months=[3, 12], within_months=[6, 12])
    # Aged 3 months: runs 0, 2, 3, 4. By 9 months: runs 2 and 3 -> 1/2; by 15: 2, 3, 4 -> 3/4.
    # Aged 12 months: runs 0 and 4; by 18 months: run 4 -> 1/2; 12 + 12 = 24 months is the
    # horizon itself (observed): 1/2. Beyond the horizon nothing is observed.
    assert shares[0] == pytest.approx([0.5, 0.75])
    assert shares[1] == pytest.approx([0.5, 0.5])
    beyond = rm.model_end_shares(wars, 20 * MONTH_DAYS, ages_months=[12], within_months=[6, 12])
    assert beyond[0, 0] == pytest.approx(0.5) and np.isnan(beyond[0, 1])
    assert rm.runs_aged(wars, [3, 12]) == [4, 2]
    out = rm.model_outcome_shares(wars)
    assert out == pytest.approx(
        {"ongoing": 0.2, "settlement": 0.2, "victory": 0.4, "catastrophe": 0.2}
    )


def test_war_age_of_the_flagship() -> None:
    sc = load_scenario(FLAGSHIP)
    # 24 February 2022 to 8 November 2022: 4 days of February, then 31 + 30 + 31 + 30 + 31 + 31
    # + 30 + 31 = 245, then 8 days of November: 257 days.
    assert rm.war_age_days(sc, "2022-02-24") == 257
    assert rm.war_age_days(sc) == int(sc.metadata.get("war_start_date") is not None) * 257
    with pytest.raises(ValueError):
        rm.war_age_days(sc, "2023-01-01")
    with pytest.raises(ValueError):
        rm.war_age_days(sc, "24 Feb 2022")


def test_generic_war_is_shipped_unchanged() -> None:
    shipped = ROOT / "src" / "parley" / "data" / "wars" / "generic-war.yaml"
    assert shipped.read_text() == GENERIC.read_text()


def test_same_seed_same_wars_and_horizon_extension() -> None:
    sc = load_scenario(GENERIC)
    a = rm.simulate_scenario(sc, runs=300, seed=5)
    b = rm.simulate_scenario(sc, runs=300, seed=5)
    assert np.array_equal(a["end_step"], b["end_step"])
    assert np.array_equal(a["outcome"], b["outcome"])
    long = rm.simulate_scenario(sc, runs=10, seed=5, min_horizon_days=400 * 7.0)
    assert int(long.attrs["horizon_steps"]) == 400
    with pytest.raises(ValueError):
        rm.simulate_scenario(sc, runs=0, seed=5)


def test_still_going_table_shape() -> None:
    sc = load_scenario(FLAGSHIP)
    frame = rm.still_going_vs_base_rates(
        sc, policy="support_then_negotiate", age_days=257, runs=200, seed=1, n_boot=50
    )
    assert frame["after_months"].tolist() == [12, 24, 36]
    assert ((frame["model"] >= 0) & (frame["model"] <= 1)).all()
    # Still going is non-increasing in the window, for the model and the base rate alike.
    assert (np.diff(frame["model"]) <= 0).all() and (np.diff(frame["cow"]) <= 0).all()
    # COW base rates for a war 257 days old: 1 - (56 %, 65 %, 74 %) quoted in issue 10.
    assert np.round(frame["cow"], 2).tolist() == [0.44, 0.35, 0.26]
