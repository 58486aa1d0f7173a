"""Reading a daily series of km² from a CSV for ``parley calibrate front`` and ``parley backtest``.

One reader for every series the front commands take (the shipped DeepState and liveuamap files, or
a user's): a ``date`` column of days, a numeric column chosen with ``--column``, and an optional
``observed`` flag (a carried-forward row is not an observation). A bad file is one
:class:`~parley.scenario.errors.ScenarioError` naming the file, the row and the field.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parley.scenario.errors import ScenarioError
from parley.scenario.load import read_text

_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def read_series(path: Path, column: str) -> Any:
    """Read ``date`` and ``column`` of a CSV as a daily series (NaN where not observed).

    Dates are ``YYYY-MM-DD``, optionally followed by a midnight time (``00:00:00``). Rows stay in
    file order (a caller that needs sorted dates checks them).

    Raises :class:`ScenarioError` naming the file, the column or the row that is wrong.
    """
    import pandas as pd  # noqa: PLC0415 (keeps the CLI start fast)

    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(f"not a readable CSV file: {exc}", file=path) from None
    if "date" not in frame.columns:
        raise ScenarioError(
            f"needs a 'date' column (columns: {', '.join(map(str, frame.columns))})",
            file=path,
            field="date",
        )
    if column not in frame.columns:
        numeric = [str(c) for c in frame.columns if c != "date"]
        raise ScenarioError(
            f"no column '{column}' (columns: {', '.join(numeric)}); choose one with --column",
            file=path,
            field=column,
        )
    # a day, optionally with a midnight time (the liveuamap file writes "2022-02-20 00:00:00")
    day = (
        frame["date"]
        .str.strip()
        .str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$", r"\1", regex=True)
    )
    dates = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    _first_bad(
        dates.isna(), path, "date", lambda r: f"date '{frame['date'].iloc[r]}' is not YYYY-MM-DD"
    )
    raw = frame[column].str.strip()
    values = pd.to_numeric(raw, errors="coerce")
    bad_v = values.isna() & (raw != "") & (raw.str.lower() != "nan")
    _first_bad(bad_v, path, column, lambda r: f"'{raw.iloc[r]}' is not a number")
    infinite = values.abs() == float("inf")
    _first_bad(infinite, path, column, lambda r: f"'{raw.iloc[r]}' is not a finite number")
    if "observed" in frame.columns:
        flag = frame["observed"].str.strip().str.lower()
        _first_bad(
            ~flag.isin(_TRUE | _FALSE | {""}),
            path,
            "observed",
            lambda r: f"observed must be True or False, got '{frame['observed'].iloc[r]}'",
        )
        values = values.where(~flag.isin(_FALSE))
    series = pd.Series(values.to_numpy(dtype=float), index=pd.DatetimeIndex(dates), name=column)
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()][0]
        raise ScenarioError(f"date {dup.date()} appears twice", file=path, field="date")
    return series


def _first_bad(mask: Any, path: Path, field: str, what: Callable[[int], str]) -> None:
    """Raise a ScenarioError for the first data row flagged in ``mask`` (line = row + 2)."""
    hits = mask.to_numpy().nonzero()[0]
    if hits.size:
        row = int(hits[0])
        raise ScenarioError(f"row {row + 1}: {what(row)}", file=path, field=field, line=row + 2)
