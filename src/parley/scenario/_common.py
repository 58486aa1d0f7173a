"""Pieces shared by the scenario schemas and importers (private to :mod:`parley.scenario`).

- :class:`StrictModel` / :class:`FiniteModel`: the frozen, no-extra-fields pydantic base of every
  schema section (the second also rejects NaN and infinity in float fields);
- :func:`unit_field`: a float field with a default, description and bounds;
- :func:`finite`: the finite-number check of the schema validators;
- :func:`parse_number`: one cell of an imported table as a finite float, or a one-line
  :class:`~parley.scenario.errors.ScenarioError` worded by the importer;
- :func:`csv_rows`: the non-empty rows of a CSV text with their line numbers.
"""

from __future__ import annotations

import csv
import io
import math

from pydantic import BaseModel, ConfigDict, Field, field_validator

from parley.scenario.errors import ScenarioError


class StrictModel(BaseModel):
    """Frozen pydantic model that rejects unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FiniteModel(StrictModel):
    """:class:`StrictModel` whose float fields must be finite."""

    @field_validator("*", mode="after")
    @classmethod
    def _finite_numbers(cls, v: object) -> object:
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"must be a finite number, got {v}")
        return v


def unit_field(
    default: float, desc: str, ge: float | None = None, le: float | None = None
) -> float:
    """A float field with ``default``, description ``desc`` and optional bounds."""
    out: float = Field(default=default, description=desc, ge=ge, le=le)
    return out


def finite(value: float, what: str) -> float:
    """``value`` if finite, else ``ValueError`` naming ``what`` (for pydantic validators)."""
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value}")
    return value


def parse_number(
    cell: str,
    *,
    file: str,
    line: int,
    field: str | None,
    not_a_number: str,
    not_finite: str,
) -> float:
    """``float(cell)``; a :class:`ScenarioError` with message ``not_a_number`` or ``not_finite``
    (at ``file``, ``line``, ``field``) when the cell is not a number or not finite."""
    try:
        value = float(cell.strip())
    except ValueError:
        raise ScenarioError(not_a_number, file=file, field=field, line=line) from None
    if not math.isfinite(value):
        raise ScenarioError(not_finite, file=file, field=field, line=line)
    return value


def csv_rows(
    text: str,
    file: str,
    *,
    delimiter: str = ",",
    skipinitialspace: bool = False,
    trim_trailing: bool = False,
) -> list[tuple[int, list[str]]]:
    """``(line number, cells)`` of every row of ``text`` with a non-blank cell (a leading BOM is
    dropped; ``trim_trailing`` drops empty cells at the end of a row); malformed CSV is a
    :class:`ScenarioError` at its line."""
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""),
        delimiter=delimiter,
        skipinitialspace=skipinitialspace,
    )
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if trim_trailing:
                while cells and not cells[-1].strip():
                    cells = cells[:-1]
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ScenarioError(f"malformed CSV: {exc}", file=file, line=reader.line_num) from None
    return rows
