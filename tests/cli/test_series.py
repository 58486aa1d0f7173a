"""The series reader of ``parley calibrate front`` and ``parley backtest`` (``cli/series.py``):
days with or without a midnight time, and one ScenarioError for any bad cell."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.cli.series import read_series
from parley.scenario.errors import ScenarioError


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.csv"
    path.write_text(text)
    return path


def test_dates_with_a_midnight_time_are_days_other_times_are_errors(tmp_path: Path) -> None:
    ok = _csv(tmp_path, "date,area\n2022-02-20 00:00:00,1.5\n2022-02-21 00:00:00,2.5\n")
    s = read_series(ok, "area")
    assert list(s.index.strftime("%Y-%m-%d")) == ["2022-02-20", "2022-02-21"]
    assert list(s) == [1.5, 2.5]
    bad = _csv(tmp_path, "date,area\n2022-02-20 12:00:00,1.5\n")
    with pytest.raises(ScenarioError, match="not YYYY-MM-DD"):
        read_series(bad, "area")


@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(
                ["2022-01-01", "2022-01-02", "2022-1-3", "x", "2022-01-04 00:00:00", ""]
            ),
            st.sampled_from(["1", "2.5", "-3", "nan", "", "abc", "1e400"]),
        ),
        min_size=0,
        max_size=6,
    )
)
@settings(max_examples=80, deadline=None)
def test_read_series_loads_or_raises_a_scenario_error(cells: list[tuple[str, str]]) -> None:
    text = "date,v\n" + "".join(f"{d},{v}\n" for d, v in cells)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.csv"
        path.write_text(text)
        try:
            s = read_series(path, "v")
        except ScenarioError as exc:
            assert exc.format()
        else:
            assert len(s) == len(cells) and not s.index.has_duplicates
            assert not s.abs().eq(float("inf")).any()
