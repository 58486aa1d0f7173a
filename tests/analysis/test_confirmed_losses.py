"""Claimed losses against the photo-confirmed (Oryx) lower bound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis import confirmed_losses as cl
from parley.scenario.errors import ScenarioError

UKRAINE = Path(__file__).resolve().parents[2] / "src" / "parley" / "data" / "ukraine"


def _oryx(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(cl.ORYX_COLUMNS))


def _claims(dates: list[str], **columns: list[float]) -> pd.DataFrame:
    return pd.DataFrame(columns, index=pd.DatetimeIndex(dates))


def test_ratios_increments_and_a_claim_below_the_bound_by_hand() -> None:
    conf = cl.confirmed_totals(
        _oryx([("Russia", "Aircraft", 10, "2022-05-01"), ("Russia", "Aircraft", 20, "2022-06-01"),
               ("Russia", "Aircraft", 40, "2022-07-01"), ("Ukraine", "Aircraft", 99, "2022-07-01")])
    )  # fmt: skip
    claims = _claims(["2022-05-01", "2022-06-01", "2022-07-01"], aircraft=[50.0, 70.0, 35.0])
    table = cl.claims_against_confirmed(claims, conf)
    np.testing.assert_allclose(table["ratio"], [5.0, 3.5, 0.875])  # 50/10, 70/20, 35/40
    lines = cl.lower_bound_lines(table, pd.Timestamp("2022-06-01"))
    # increments from 1 June: (35 - 70) / (40 - 20) = -1.75
    assert lines[0].endswith("-1.75 (-35 / 20)")
    assert "5.00 on 2022-05-01, 0.88 on 2022-07-01" in lines[1]
    assert lines[2].startswith("warning: Aircraft claims below the confirmed lower bound on 1")


def test_vehicles_split_then_merged() -> None:
    # before the merge: military auto + fuel tank; after: the merged column
    dates = ["2022-04-01", "2022-05-01"]
    base = {c: [1.0, 1.0] for c in cl.EQUIPMENT}
    claims = _claims(dates, **base, **{"military auto": [10.0, np.nan], "fuel tank": [5.0, np.nan],
                                        "vehicles and fuel tanks": [np.nan, 30.0]})  # fmt: skip
    conf = cl.confirmed_totals(_oryx([("Russia", "All Types", 12, d) for d in dates]))
    table = cl.claims_against_confirmed(claims, conf)
    # 9 base columns of 1 each, plus 15 split vehicles, then 30 merged ones
    np.testing.assert_allclose(table["claimed"], [24.0, 39.0])


def test_shipped_series_first_aircraft_ratio_is_95_over_13() -> None:
    # 19 March 2022: claims 95 aircraft (russia_losses_claimed_daily.csv), Oryx 13 confirmed
    frame = pd.read_csv(UKRAINE / "oryx_confirmed_losses.csv")
    claims = pd.read_csv(UKRAINE / "russia_losses_claimed_daily.csv", index_col="date")
    claims.index = pd.DatetimeIndex(claims.index)
    table = cl.claims_against_confirmed(claims, cl.confirmed_totals(frame))
    air = table[table["category"] == "Aircraft"]
    assert air.iloc[0]["ratio"] == pytest.approx(95 / 13)
    assert (table["claimed"] >= table["confirmed"]).all()  # the claims respect the lower bound


def test_bad_oryx_frames_are_scenario_errors() -> None:
    with pytest.raises(ScenarioError, match="needs the columns"):
        cl.confirmed_totals(pd.DataFrame({"country": ["Russia"]}))
    with pytest.raises(ScenarioError, match="no rows for country"):
        cl.confirmed_totals(_oryx([("Ukraine", "Aircraft", 1, "2022-05-01")]))
    with pytest.raises(ScenarioError, match="row 1: date_recorded"):
        cl.confirmed_totals(_oryx([("Russia", "Aircraft", 1, "May 2022")]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Russia", "Ukraine", ""]),
            st.sampled_from(["Aircraft", "All Types", "Tanks"]),
            st.one_of(st.floats(allow_nan=True), st.text(max_size=3)),
            st.sampled_from(["2022-05-01", "2022-05-02", "2022-5-3", "x", ""]),
        ),
        max_size=6,
    )
)
def test_any_oryx_frame_loads_or_raises_a_scenario_error(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    try:
        out = cl.confirmed_totals(_oryx(rows))
    except ScenarioError as exc:
        assert exc.format()
    else:
        assert out.index.is_monotonic_increasing and len(out) >= 1
