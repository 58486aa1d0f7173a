"""The executive summary: every number equal to the analysis data."""

from __future__ import annotations

import re

from hand_models import two_actor_scenario, weighted_mean
from parley.report.pipeline import analyse
from parley.report.summary_text import executive_summary


def test_summary_numbers_equal_the_data() -> None:
    meta = {"stances": {"A": {"land": {"position_range": [0, 20000], "source": "assumption"}}}}
    a = analyse(
        two_actor_scenario(meta), n_runs=40, seed=5, models={"compromise": weighted_mean}, war=False
    )
    text = "\n".join(executive_summary(a))
    f = a.stakeholder.forecasts.set_index("issue")
    # hand calculation (see two_actor_scenario): base forecast 50,000 km² and 60.0
    assert "the compromise model forecasts 50,000 km²" in text
    assert "the compromise model forecasts 60.0" in text
    # the 90 % band printed is the one in the table
    lo, hi = f.loc["land", "q05"], f.loc["land", "q95"]
    assert f"between {lo:,.0f} km² and {hi:,.0f} km²" in text
    # A varies in [0, 20000] with weights 1 and 1: (x_A + 100,000) / 2 lies in [50,000, 60,000] km²
    assert 50000 <= lo <= hi <= 60000
    assert "2 actors negotiate over 2 issues" in text
    assert "1 stakeholder model forecasts the outcome, each over 40 Monte Carlo draws" in text
    # parameter count: 2 capabilities + 4 positions + 4 saliences + 1 reference point = 11,
    # of which 2 (A's land position and salience) cite an assumption
    assert "Of the 11 parameters listed at the end, 2 are illustrative assumptions" in text
    # every number in the text is one of the numbers above or a count
    numbers = set(re.findall(r"\d[\d,]*(?:\.\d+)?", text))
    allowed = {
        "2022", "11", "08", "1", "2", "40", "90", "50,000", "60.0", f"{lo:,.0f}", f"{hi:,.0f}",
        f"{f.loc['guarantee', 'q05']:.1f}", f"{f.loc['guarantee', 'q95']:.1f}", "40,000", "100,000",
    }  # fmt: skip
    assert numbers <= allowed, numbers - allowed
