"""Importer for KTAB's SMP CSV format (the input of KTAB's ``smpc``, ``smpread.cpp``).

Layout (KTAB, github lsyaseen/KTAB, MIT)::

    <scenario name>,<description>,<number of actors>,<number of dimensions>,
    Actor,Description,Power,<dim 1> position,<dim 1> salience,...,
    <actor>,<description>,<power>,<position 1>,<salience 1>,...,

Positions are on a 0-100 scale and saliences 0-100 per dimension, summing to at most 100 per actor.
One file is ONE scenario whose issues are the KTAB dimensions; saliences become [0, 1] (value / 100,
the same division smpc performs, so no digits are lost) and positions stay on the 0-100 scale.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from parley.scenario._common import csv_rows, parse_number
from parley.scenario.errors import ScenarioError
from parley.scenario.load import validation_error
from parley.scenario.schema import Scenario

#: Smallest / largest number of actors smpc accepts (``kmodel.h``).
MIN_ACTORS = 3
MAX_ACTORS = 250


def _count(cell: str, what: str, low: int, high: int, file: str, column: int) -> int:
    text = cell.strip()
    try:
        value = int(text)
    except ValueError:
        raise ScenarioError(
            f"column {column} ({what}): expected a whole number, got '{text[:40]}'",
            file=file,
            line=1,
        ) from None
    if not low <= value <= high:
        raise ScenarioError(
            f"column {column} ({what}): expected {low} to {high}, got {value}", file=file, line=1
        )
    return value


def _number(cell: str, what: str, file: str, line: int, column: int) -> float:
    return parse_number(
        cell,
        file=file,
        line=line,
        field=None,
        not_a_number=f"column {column} ({what}): expected a number, got '{cell.strip()[:40]}'",
        not_finite=f"column {column} ({what}): expected a finite number, got '{cell.strip()}'",
    )


def _rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    # KTAB lines end with a comma
    return csv_rows(text, file, skipinitialspace=True, trim_trailing=True)


def load_ktab(text: str, file: str = "<string>") -> list[Scenario]:
    """Read a KTAB SMP CSV file into one :class:`Scenario` (issues = KTAB dimensions).

    Bad input raises :class:`ScenarioError` with the file, the line and the column.
    """
    rows = _rows(text, file)
    if len(rows) < 2:
        raise ScenarioError(
            "expected a first line 'name,description,actors,dimensions' and a header line",
            file=file,
            line=1,
        )
    line0, first = rows[0]
    if len(first) < 4:
        raise ScenarioError(
            f"first line: expected 'name,description,actors,dimensions', got {len(first)} field(s)",
            file=file,
            line=line0,
        )
    n_actors = _count(first[2], "number of actors", MIN_ACTORS, MAX_ACTORS, file, 3)
    n_dims = _count(first[3], "number of dimensions", 1, 1000, file, 4)
    line1, header = rows[1]
    width = 3 + 2 * n_dims
    if len(header) < width:
        raise ScenarioError(
            f"header: expected Actor, Description, Power and a position and salience column for "
            f"each of the {n_dims} dimensions ({width} columns), got {len(header)}",
            file=file,
            line=line1,
        )
    dims: list[str] = []
    for k in range(n_dims):
        name = header[3 + 2 * k].strip() or f"dim{k + 1}"
        dims.append(name if name not in dims else f"{name}_{k + 1}")
    body = rows[2:]
    if len(body) != n_actors:
        where = body[n_actors][0] if len(body) > n_actors else (body[-1][0] if body else line1)
        raise ScenarioError(
            f"the first line announces {n_actors} actors, the file has {len(body)} actor rows",
            file=file,
            line=where,
        )
    actors = []
    seen: dict[str, int] = {}
    for line, cells in body:
        if len(cells) < width:
            raise ScenarioError(
                f"expected {width} columns (actor, description, power, then position and salience "
                f"for {n_dims} dimension(s)), got {len(cells)}",
                file=file,
                line=line,
            )
        actor_id = cells[0].strip()
        if not actor_id:
            raise ScenarioError("column 1 (Actor): the actor name is empty", file=file, line=line)
        if actor_id in seen:
            raise ScenarioError(
                f"column 1 (Actor): actor '{actor_id}' already appears on line {seen[actor_id]}",
                file=file,
                line=line,
            )
        seen[actor_id] = line
        power = _number(cells[2], header[2].strip() or "Power", file, line, 3)
        if power <= 0:
            raise ScenarioError(
                f"column 3 ({header[2].strip()}): capability must be > 0, got {power}",
                file=file,
                line=line,
            )
        stances = {}
        total = 0.0
        for k, dim in enumerate(dims):
            col = 4 + 2 * k
            pos = _number(cells[col - 1], f"{dim} position", file, line, col)
            sal = _number(cells[col], f"{dim} salience", file, line, col + 1)
            if not 0.0 <= pos <= 100.0:
                raise ScenarioError(
                    f"column {col} ({dim} position): expected 0 to 100, got {pos}",
                    file=file,
                    line=line,
                )
            if not 0.0 <= sal <= 100.0:
                raise ScenarioError(
                    f"column {col + 1} ({dim} salience): expected 0 to 100, got {sal}",
                    file=file,
                    line=line,
                )
            total += sal
            stances[dim] = {"position": pos, "salience": sal / 100.0}
        if total > 100.0 + 1e-6 or total <= 0.0:
            raise ScenarioError(
                f"saliences sum to {total:g}; expected more than 0 and at most 100",
                file=file,
                line=line,
            )
        actors.append(
            {
                "id": actor_id,
                "name": cells[1].strip(),
                "capability": power,
                "positions": stances,
            }
        )
    name = first[0].strip()
    data = {
        "id": name or Path(file).stem or "ktab",
        "name": name,
        "description": first[1].strip(),
        "source": f"KTAB SMP CSV {Path(file).name}",
        "issues": [{"id": dim, "name": dim, "scale_min": 0.0, "scale_max": 100.0} for dim in dims],
        "actors": actors,
        "metadata": {"format": "ktab", "ktab_dimensions": dims},
    }
    try:
        return [Scenario.model_validate(data)]
    except ValidationError as exc:
        raise validation_error(exc, file) from None
