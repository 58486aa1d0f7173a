"""The conclusion examined by the war analysis, and how often it holds per assumption set."""

from __future__ import annotations

from pathlib import Path

import pytest
from war_runs import hand_runs

from parley.analysis.conclusion import Conclusion, conclusion_by_set, default_conclusion
from parley.scenario.load import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"


def test_share_and_paired_difference_by_hand() -> None:
    # talk minus fight, paired by (point, replicate): 100-103, 101-103, 102-103, 103-103
    # = -3, -2, -1, 0: the conclusion (difference <= 0) holds in all 4; mean -1.5,
    # sd 1.290994, t(3, 0.975) = 3.182446: interval -1.5 -+ 3.182446 * 1.290994 / 2
    c = Conclusion("talk", "fight", "territory_after_km2", "talking leaves no more")
    assert c.difference == "territory_after_km2@talk - territory_after_km2@fight"
    assert c.holds == "territory_after_km2@talk <= territory_after_km2@fight"
    row = conclusion_by_set(hand_runs(), c).iloc[0]
    assert row.assumptions == "base" and row.n == 4
    assert row.share == 1.0
    assert row.difference == pytest.approx(-1.5)
    half = 3.182446 * 1.290994 / 2
    assert (row.diff_lo, row.diff_hi) == pytest.approx((-1.5 - half, -1.5 + half), rel=1e-5)


def test_default_conclusion_reads_the_scenario() -> None:
    c = default_conclusion(load_scenario(FLAGSHIP))
    assert (c.policy_a, c.policy_b) == ("push_now_border_on_table", "support_then_negotiate")
    assert c.measure == "territory_after_km2"
    assert c.text.startswith("pushing negotiations now")
