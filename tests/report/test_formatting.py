"""Numbers in words: values on an issue's scale, shares, positions among labelled points."""

from __future__ import annotations

import pytest

from parley.report.formatting import describe_position, fmt_percent, fmt_value


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (43980.0, "km2", "43,980 km²"),
        (113286.1, "km2", "113,286 km²"),
        (62.54, "index", "62.5"),
        (8.35, "years", "8.3 years"),
        (float("nan"), "", "n/a"),
    ],
)
def test_fmt_value(value: float, unit: str, text: str) -> None:
    assert fmt_value(value, unit) == text


def test_fmt_percent() -> None:
    assert fmt_percent(0.374) == "37 %"
    assert fmt_percent(1.0) == "100 %"


def test_describe_position_between_and_at_labels() -> None:
    labels = [(0.0, "old border"), (40000.0, "cease-fire line"), (100000.0, "maximal claim")]
    assert describe_position(50000, labels, "km2") == (
        "between 'cease-fire line' (40,000 km²) and 'maximal claim' (100,000 km²)"
    )
    # within 2 % of the scale (2,000 km²) of a label counts as "at" it
    assert describe_position(41500, labels, "km2") == "at about the cease-fire line"
