"""Observed series a scenario declares (``observed``), located and checked when it is loaded.

A scenario may name real data to draw beside its simulations, e.g. the observed front::

    observed:
      front:
        file: ukraine/occupied_area_daily_deepstate.csv
        column: occupied_total_km2
        keep_where: observed
        source: DeepStateMap (parley/data/ukraine/PROVENANCE.md)

``file`` is a CSV with a ``date`` column (ISO dates; ``date_column`` names another). A relative
path is looked up next to the scenario file first, then under parley's packaged data
(``parley/data``); one found next to the scenario file is stored as an absolute path, so the
scenario keeps pointing at it wherever it is used. A scenario read from a string (no file) only
resolves paths under the packaged data or absolute paths. A missing file or column is a
:class:`~parley.scenario.errors.ScenarioError` naming the field, raised when the scenario loads.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from pydantic import Field

from parley.scenario._common import StrictModel
from parley.scenario.errors import ScenarioError


class ObservedSeries(StrictModel):
    """One observed series: a column of a CSV file over dates."""

    file: str = Field(
        min_length=1,
        max_length=1000,
        description="CSV file: absolute, relative to the scenario file, or under parley/data.",
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


def locate(file: str, base_dir: Path | None = None) -> Path | None:
    """The file a series names: absolute, else under ``base_dir``, else under ``parley/data``.

    Paths under the packaged data may not climb out of it (no ``..``). None when not found.
    """
    p = Path(file)
    if p.is_absolute():
        return p if p.is_file() else None
    if base_dir is not None and (base_dir / p).is_file():
        return (base_dir / p).resolve()
    if ".." in p.parts:
        return None
    data = resources.files("parley.data").joinpath(*p.parts)
    return Path(str(data)) if data.is_file() else None


def _header(path: Path, where: str) -> list[str]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read '{path}' as CSV ({exc})", field=where) from None


def check_series(name: str, series: ObservedSeries, base_dir: Path | None = None) -> ObservedSeries:
    """Locate ``series`` and check that its columns exist; return it with the path it resolved to
    when that is next to the scenario file (else unchanged).

    Raises
    ------
    ScenarioError
        The file is not found (field ``observed.<name>.file``) or lacks a named column (the field
        that names it).
    """
    where = f"observed.{name}"
    path = locate(series.file, base_dir)
    if path is None:
        looked = "next to the scenario file and " if base_dir is not None else ""
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
    if base_dir is not None and path == (base_dir / series.file).resolve():
        return series.model_copy(update={"file": str(path)})
    return series
