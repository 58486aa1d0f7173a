"""Static PNG/SVG copies of the report's figures: plain-number ticks, a legend off the data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from parley.report.plots import grouped_bars_figure
from parley.report.static_export import plain_number, save_static


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_200_000.0, "1,200,000"),  # matplotlib's default would show 1.2 with a "1e6" offset
        (600_000.0, "600,000"),
        (0.00004, "0.00004"),  # plotly's default would show "40µ"
        (0.0075, "0.0075"),
        (12.5, "12.5"),
        (0.0, "0"),
        (-2500.0, "-2,500"),
    ],
)
def test_plain_number(value: float, text: str) -> None:
    assert plain_number(value) == text


def test_static_figure_has_one_legend_below_the_panels(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = pd.DataFrame(
        {"measure": ["people"] * 4, "set": ["a", "a", "b", "b"], "policy": ["p", "q", "p", "q"],
         "estimate": [1.2e6, 1.1e6, 9e5, 8e5], "lo": [1.1e6, 1e6, 8e5, 7e5],
         "hi": [1.3e6, 1.2e6, 1e6, 9e5]}
    )  # fmt: skip
    fig = grouped_bars_figure(frame, "measure", "set", "policy", "estimate", "lo", "hi", "t")
    before = set(plt.get_fignums())
    files = save_static(fig, tmp_path / "bars", formats=("svg",))
    assert files == [tmp_path / "bars.svg"]
    svg = files[0].read_text()
    assert "1,200,000" in svg or "1,000,000" in svg  # plain tick labels
    assert "1e6" not in svg
    assert set(plt.get_fignums()) == before  # the figure was closed
