"""The report's plotly chart kinds: plain-number axes."""

from __future__ import annotations

import pandas as pd

from parley.report.plots import grouped_bars_figure


def test_axes_use_plain_numbers_not_si_prefixes() -> None:
    frame = pd.DataFrame(
        {"measure": ["hazard"] * 2, "set": ["a", "b"], "policy": ["p", "p"],
         "estimate": [4e-5, 5e-5], "lo": [3e-5, 4e-5], "hi": [5e-5, 6e-5]}
    )  # fmt: skip
    fig = grouped_bars_figure(frame, "measure", "set", "policy", "estimate", "lo", "hi", "t")
    assert fig.layout.yaxis.exponentformat == "none"  # plotly would print "40µ"
    assert fig.layout.yaxis.separatethousands is True
