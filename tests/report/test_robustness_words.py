"""The robustness table in words, on a hand-made holds-up table."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from parley.report.robustness_words import holds_up_words, robustness_caption


def _war() -> SimpleNamespace:
    # one set, two policies: p best; q 4,500 km2 worse [1,000, 8,000]; shares 0.25 and 0.1
    holds = pd.DataFrame(
        {
            "assumptions": ["advocates_but_battlefield_wrong"],
            "best_policy": ["p"],
            "p": [(0.0, 0.0, 0.0, 0.25, 0.2, 0.3)],
            "q": [(4500.0, 1000.0, 8000.0, 0.1, 0.05, 0.15)],
        }
    )
    return SimpleNamespace(
        holds_up=holds, policy_names={"p": "push", "q": "wait"}, side_names=("Russia", "Ukraine"),
        thresholds={"territory_after_km2": 113286.0}, n_runs=50,
    )  # fmt: skip


def test_cells_in_words() -> None:
    t = holds_up_words(_war(), best="**best**")
    assert list(t.columns) == ["assumptions", "push", "wait"]
    assert t.iloc[0, 0] == "advocates' case but the critics' battlefield assumption"
    assert t.iloc[0, 1] == "**best**\nmeets thresholds 25 % [20 %, 30 %]"
    assert t.iloc[0, 2] == "+4,500 km² [1,000 km², 8,000 km²]\nmeets thresholds 10 % [5 %, 15 %]"


def test_caption_names_side_thresholds_and_runs() -> None:
    text = robustness_caption(_war())
    assert "how much more territory Russia holds" in text
    assert "113,286 km²" in text
    assert "50 runs per policy and set" in text
