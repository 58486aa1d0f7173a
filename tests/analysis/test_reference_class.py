"""The COW reference class: conditional end shares by hand, on the real data, and their bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.reference_class import (
    MONTH_DAYS,
    bootstrap_end_shares,
    conditional_end_share,
    load_cow_wars,
    outcome_shares,
    outcome_type,
    reference_cells,
    still_going,
    wars_from_frame,
)


def test_uncensored_shares_by_hand() -> None:
    t = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    ended = np.ones(5, dtype=bool)
    # Aged 15 days: 20, 30, 40, 50 (4 wars); ending by day 35: 20 and 30 -> 2/4.
    # Aged 30 days: 30, 40, 50 (a war ending on day 30 had lasted 30 days); by day 40: 30, 40 -> 2/3.
    # Aged 60 days: none -> undefined.
    got = conditional_end_share(t, ended, [15.0, 30.0, 60.0], [20.0, 10.0])
    assert got[0, 0] == pytest.approx(2 / 4)
    assert got[1, 1] == pytest.approx(2 / 3)
    assert got[0, 1] == pytest.approx(1 / 4)  # aged 15, by day 25: only the war of 20 days
    assert np.isnan(got[2]).all()


def test_censored_shares_by_hand() -> None:
    # Durations 10, 20 (still going: censored), 30, 40. Kaplan-Meier by hand:
    # S(10) = 3/4; the censored war leaves the risk set at 20; S(30) = 3/4 * (1 - 1/2) = 3/8;
    # S(40) = 0. Aged 15, ending by day 35: 1 - S(35) / S(15-) = 1 - (3/8) / (3/4) = 1/2.
    t = np.array([10.0, 20.0, 30.0, 40.0])
    ended = np.array([True, False, True, True])
    got = conditional_end_share(t, ended, [15.0], [20.0, 5.0])
    assert got[0, 0] == pytest.approx(0.5)
    assert got[0, 1] == pytest.approx(0.0)  # nothing ends between day 15 and day 20
    # Ties: two of four wars end on day 5 and a third is censored on day 5 (still at risk then):
    # S(5) = 1 - 2/4 = 1/2, then the last war ends on day 10: S(10) = 0.
    t2 = np.array([5.0, 5.0, 5.0, 10.0])
    e2 = np.array([True, True, False, True])
    assert conditional_end_share(t2, e2, [0.0], [7.0, 10.0])[0] == pytest.approx([0.5, 1.0])


def test_tiny_table_in_months_and_outcome_types() -> None:
    frame = pd.DataFrame(
        {
            "name": ["w1", "w2", "w3", "w4"],
            # 2, 5, 8 and 20 months of 30.4375 days
            "dur_days": [60.875, 152.1875, 243.5, 608.75],
            "outcomes": ["1,2", "3", "1,2,8", "6"],
        }
    )
    wars = wars_from_frame(frame)
    assert wars.outcome == ("victory", "compromise", "victory", "stalemate")
    cells = reference_cells(wars, ages_months=[3], within_months=[6, 12], n_boot=50, seed=1)
    # Aged 3 months: w2, w3, w4. By 9 months: w2 (5), w3 (8) -> 2/3; by 15 months: still 2/3.
    assert cells["cow"].tolist() == pytest.approx([2 / 3, 2 / 3])
    shares = outcome_shares(wars, n_boot=50, seed=1)
    assert shares.loc["victory", "share"] == pytest.approx(0.5)
    assert shares["n"].tolist() == [2, 1, 1, 0, 0]
    assert outcome_type("4") == "transformed" and outcome_type("1,5") == "ongoing"
    with pytest.raises(ValueError):
        outcome_type("9")


@pytest.mark.slow
def test_real_cow_numbers_the_issue_quotes() -> None:
    # Issue 10: of the COW inter-state wars that lasted at least 257 days, 26 % ended within six
    # more months, 56 % within 12, 65 % within 24, 74 % within 36.
    wars = load_cow_wars()
    assert len(wars) == 95 and wars.ended.all()
    windows = [m * MONTH_DAYS for m in (6, 12, 24, 36)]
    got = conditional_end_share(wars.duration_days, wars.ended, [257.0], windows)[0]
    assert np.round(got, 2).tolist() == [0.26, 0.56, 0.65, 0.74]
    # The data set's README: the median inter-state war lasted 162 days.
    assert np.median(wars.duration_days) == 162
    # P(still going) is the complement.
    sg = still_going(wars, 257.0, [6, 12, 24, 36], n_boot=200, seed=3)
    assert sg["cow"].to_numpy() == pytest.approx(1 - got)
    # Outcome codes counted in the CSV by hand: 77 wars with a winner and a loser ("1,2" or
    # "1,2,8"), 2 compromises (3), 8 stalemates (6), 8 transformed (4).
    shares = outcome_shares(wars, n_boot=200, seed=3)
    assert shares["n"].tolist() == [77, 2, 8, 8, 0]


def test_bootstrap_band_contains_the_point_and_is_seeded() -> None:
    wars = load_cow_wars()
    cells = reference_cells(wars, n_boot=400, seed=11)
    assert len(cells) == 16
    assert (cells["cow_lo"] <= cells["cow"]).all() and (cells["cow"] <= cells["cow_hi"]).all()
    assert (cells["cow_hi"] - cells["cow_lo"] > 0.05).all()  # 95 wars cannot pin a share down
    again = reference_cells(wars, n_boot=400, seed=11)
    pd.testing.assert_frame_equal(cells, again)
    other = reference_cells(wars, n_boot=400, seed=12)
    assert not np.allclose(other["cow_lo"], cells["cow_lo"])
    with pytest.raises(ValueError):
        bootstrap_end_shares(wars, [90.0], [180.0], n_boot=1)


def _km_reference(t: np.ndarray, e: np.ndarray, x: float, *, left: bool) -> float:
    """Kaplan-Meier S(x) (or S(x-)) by its textbook definition, one distinct event time at a time."""
    s = 1.0
    for u in np.unique(t[e]):
        if u < x or (u == x and not left):
            s *= 1.0 - np.sum((t == u) & e) / np.sum(t >= u)
    return s


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(st.tuples(st.integers(1, 40), st.booleans()), min_size=1, max_size=30),
    age=st.integers(0, 30),
    window=st.integers(1, 20),
)
def test_kaplan_meier_matches_the_textbook_product(
    data: list[tuple[int, bool]], age: int, window: int
) -> None:
    t = np.array([d for d, _ in data], dtype=float)
    e = np.array([b for _, b in data])
    got = conditional_end_share(t, e, [float(age)], [float(window)])[0, 0]
    at_age = _km_reference(t, e, age, left=True)
    if at_age == 0:
        assert np.isnan(got)
        return
    expected = 1.0 - _km_reference(t, e, age + window, left=False) / at_age
    assert got == pytest.approx(expected, abs=1e-12)
    if e.all():  # no censoring: the plain empirical share
        aged = t >= age
        assert got == pytest.approx(np.mean(t[aged] <= age + window))
