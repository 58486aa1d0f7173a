"""The cells table of a war comparison on hand-made runs (expected values worked out by hand)."""

from __future__ import annotations

import numpy as np
import pytest
from war_runs import STEP_DAYS, hand_runs, wilson

from parley.analysis.war_measures import cell_measures, settle_months


def test_settle_months_counts_the_settling_step() -> None:
    # (settle_step + 1) months at 30.4375 days a step
    months = settle_months(hand_runs()[:4], STEP_DAYS)
    assert months[:3] == pytest.approx([3.0, 13.0, 25.0])
    assert np.isnan(months[3])


def test_cells_of_hand_runs() -> None:
    cells = cell_measures(hand_runs(), STEP_DAYS, ["land"], ["A", "B"], {"land": "km2"})
    talk = cells[cells.policy == "talk"].set_index("measure")
    # settled within 6 months: 1 of 4 (month 3); within 12: still 1 (month 13 > 12); within 24: 2
    for measure, k in (("p_settle_6m", 1), ("p_settle_12m", 1), ("p_settle_24m", 2)):
        assert talk.loc[measure, "estimate"] == pytest.approx(k / 4)
        assert (talk.loc[measure, "lo"], talk.loc[measure, "hi"]) == pytest.approx(wilson(k, 4))
    # holds 5 years: 1 of the 3 settled runs (the unsettled run does not count)
    assert talk.loc["p_held_5y", "estimate"] == pytest.approx(1 / 3)
    assert talk.loc["p_held_5y", "n"] == 3
    # terms among settled runs: (10 + 30 + 20) / 3 = 20, unit from the issue
    assert talk.loc["terms.land", "estimate"] == pytest.approx(20.0)
    assert talk.loc["terms.land", "unit"] == "km2"
    # territory 100, 101, 102, 103: mean 101.5, sd 1.29099, half-width 1.959964 * 1.29099 / 2
    assert talk.loc["territory_after_km2", "estimate"] == pytest.approx(101.5)
    assert talk.loc["territory_after_km2", "hi"] == pytest.approx(101.5 + 1.959964 * 1.290994 / 2)
    # casualties 10 + 20 per run; the war still on in the one unsettled run
    assert talk.loc["casualties_total", "estimate"] == pytest.approx(30.0)
    assert talk.loc["casualties.B", "estimate"] == pytest.approx(20.0)
    assert talk.loc["p_ongoing", "estimate"] == pytest.approx(0.25)
    fight = cells[cells.policy == "fight"].set_index("measure")
    assert fight.loc["p_settle_24m", "estimate"] == 0.0
    assert fight.loc["p_ongoing", "estimate"] == 1.0
    assert np.isnan(fight.loc["terms.land", "estimate"])  # no settled run
