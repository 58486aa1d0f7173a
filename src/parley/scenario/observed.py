"""Observed series a scenario declares (``observed``), located and checked when it is loaded.

A scenario may name real data to draw beside its simulations, e.g. the observed front::

    observed:
      front:
        file: ukraine/occupied_area_daily_deepstate.csv
        column: occupied_total_km2
        keep_where: observed
        source: DeepStateMap (parley/data/ukraine/PROVENANCE.md)

``file`` is a relative path to a CSV file with a ``date`` column (ISO dates; ``date_column``
names another). It is looked up next to the scenario file (when the scenario is loaded from a
file), then under parley's packaged data (``parley/data``). Absolute paths, ``..`` and files other
than ``.csv`` are refused, so a scenario can only point at its own folder and the shipped data: a
scenario typed into the dashboard cannot make the server read its other files. A missing file or
column is a :class:`~parley.scenario.errors.ScenarioError` naming the field, raised when the
scenario loads.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from pydantic import Field, PrivateAttr, field_validator

from parley.scenario._common import StrictModel
from parley.scenario.errors import ScenarioError


class ObservedSeries(StrictModel):
    """One observed series: a column of a CSV file over dates."""

    file: str = Field(
        min_length=1,
        max_length=1000,
        description="CSV file, relative to the scenario file or to parley's packaged data.",
    )
    column: str = Field(min_length=1, max_length=200, description="The column of values.")
    date_column: str = Field(default="date", min_length=1, max_length=200)
    keep_where: str | None = Field(
        default=None,
        max_length=200,
        description="A true/false column: rows where it is false are left out (e.g. days "
        "without a new observation).",
    )
    unit: str = Field(default="", max_length=50)
    source: str = Field(default="", max_length=2000, description="Where the data come from.")
    #: The scenario file's folder when the file was found there (set by the loader).
    _base_dir: Path | None = PrivateAttr(default=None)

    @field_validator("file")
    @classmethod
    def _relative_csv(cls, v: str) -> str:
        p = Path(v)
        if p.is_absolute() or p.anchor or ".." in p.parts:
            raise ValueError(
                f"expected a path relative to the scenario file or to parley/data, got '{v[:80]}'"
            )
        if p.suffix.lower() != ".csv":
            raise ValueError(f"expected a .csv file, got '{v[:80]}'")
        return v

    def path(self) -> Path | None:
        """The file this series reads (:func:`locate`), or None when it is not found."""
        return locate(self.file, self._base_dir)


def locate(file: str, base_dir: Path | None = None) -> Path | None:
    """The file a series names: under ``base_dir`` (the scenario file's folder) when there, else
    under parley's packaged data; None when neither has it."""
    p = Path(file)
    if base_dir is not None and (base_dir / p).is_file():
        return base_dir / p
    data = resources.files("parley.data").joinpath(*p.parts)
    return Path(str(data)) if data.is_file() else None


def _header(path: Path, where: str) -> list[str]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read '{path}' as CSV ({exc})", field=where) from None


def check_series(name: str, series: ObservedSeries, base_dir: Path | None = None) -> ObservedSeries:
    """Locate ``series`` (next to the scenario file in ``base_dir``, else in parley/data) and check
    that its columns exist; return it, remembering ``base_dir`` when the file was found there.

    Raises
    ------
    ScenarioError
        The file is not found (field ``observed.<name>.file``) or lacks a named column (the field
        that names it).
    """
    where = f"observed.{name}"
    path = locate(series.file, base_dir)
    if path is None:
        looked = "next to the scenario file or " if base_dir is not None else ""
        raise ScenarioError(
            f"file '{series.file}' not found ({looked}under parley's packaged data)",
            field=f"{where}.file",
        )
    header = _header(path, f"{where}.file")
    for key in ("column", "date_column", "keep_where"):
        col = getattr(series, key)
        if col is not None and col not in header:
            raise ScenarioError(
                f"no column '{col}' in {path.name} (columns: {', '.join(header)[:300]})",
                field=f"{where}.{key}",
            )
    if base_dir is None or path != base_dir / series.file:
        return series
    found = series.model_copy()
    found._base_dir = base_dir
    return found
