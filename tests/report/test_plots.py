"""The report's plotly figures: every row labelled, paths readable, plain-number axes."""

from __future__ import annotations

import pandas as pd

from parley.report.plots import forecast_figure, grouped_bars_figure, paths_figure

ISSUES = pd.DataFrame(
    [
        {"id": "line", "name": "Line", "unit": "km2", "scale_min": 0.0, "scale_max": 100.0,
         "labels": [(0.0, "none"), (100.0, "all")]},
    ]
)  # fmt: skip
MODELS = [f"model_{k}" for k in range(10)]


def test_forecast_figure_labels_every_model_row() -> None:
    rows = [
        {"model": m, "issue": "line", "base": 10.0 * k, "q05": 10.0 * k - 1, "q95": 10.0 * k + 1}
        for k, m in enumerate(MODELS)
    ]
    fig = forecast_figure(pd.DataFrame(rows), ISSUES)
    # plotly thins categorical tick labels when rows are crowded; every model must be named
    assert list(fig.layout.yaxis.tickvals) == MODELS
    assert list(fig.layout.yaxis.ticktext) == MODELS
    assert fig.layout.height >= 26 * len(MODELS)


def test_paths_figure_has_no_overlapping_bands_and_one_final_range_per_actor() -> None:
    rows = []
    for a, actor in enumerate(["A", "B", "C"]):
        for state in range(3):
            base = 10.0 * a + state
            rows.append({"model": "eum", "actor": actor, "issue": "line", "state": state,
                         "base": base, "q05": base - 5, "q50": base, "q95": base + 7})  # fmt: skip
    fig = paths_figure(pd.DataFrame(rows), "eum", ISSUES)
    assert not [t for t in fig.data if t.fill == "tonexty"]  # no translucent bands
    ends = [t for t in fig.data if t.error_y is not None and t.error_y.array is not None]
    assert len(ends) == 3
    for a, t in enumerate(ends):
        # final state 2: base = 10 a + 2; range from q05 = base - 5 to q95 = base + 7
        assert t.y[0] == 10.0 * a + 2
        assert t.error_y.arrayminus[0] == 5.0 and t.error_y.array[0] == 7.0
        assert t.x[0] > 2  # drawn right of the last round


def test_axes_use_plain_numbers_not_si_prefixes() -> None:
    frame = pd.DataFrame(
        {"measure": ["hazard"] * 2, "set": ["a", "b"], "policy": ["p", "p"],
         "estimate": [4e-5, 5e-5], "lo": [3e-5, 4e-5], "hi": [5e-5, 6e-5]}
    )  # fmt: skip
    fig = grouped_bars_figure(frame, "measure", "set", "policy", "estimate", "lo", "hi", "t")
    assert fig.layout.yaxis.exponentformat == "none"  # plotly would print "40µ"
    assert fig.layout.yaxis.separatethousands is True
