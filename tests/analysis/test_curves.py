"""Settlement and durability curves on hand-made runs."""

from __future__ import annotations

import pytest
from war_runs import STEP_DAYS, hand_runs

from parley.analysis.curves import durability_curve, settlement_curve


def test_settlement_curve_steps_at_each_settlement() -> None:
    curve = settlement_curve(hand_runs(), STEP_DAYS, horizon_months=30.9)
    talk = curve[curve.policy == "talk"].set_index("month")["p"]
    assert list(talk.index) == list(range(31))  # whole months 0..30
    # settlements after 3, 13 and 25 months out of 4 runs
    assert talk[2] == 0.0 and talk[3] == 0.25 and talk[12] == 0.25
    assert talk[13] == 0.5 and talk[25] == 0.75 and talk[30] == 0.75
    assert (curve[curve.policy == "fight"]["p"] == 0.0).all()


def test_durability_curve_among_settled_runs() -> None:
    curve = durability_curve(hand_runs())
    talk = curve[curve.policy == "talk"].set_index("years")
    # held 1 year: 2 of 3 settled; 5 and 10 years: 1 of 3; year 0 is 1 by definition
    assert talk["p"].to_dict() == pytest.approx({0: 1.0, 1: 2 / 3, 5: 1 / 3, 10: 1 / 3})
    assert talk.loc[5, "n"] == 3
