"""Importer for the classic expected-utility CSV inputs (one actor per row, one issue per file).

The files used with Bueno de Mesquita's expected-utility model (Bueno de Mesquita 1994; Scholz,
Calbert & Smith 2011; the replication repositories of jmckib and dmasad) have one header line and
four columns in this order or any other:

* actor name — ``Actor``, ``Stakeholder`` or ``Name``;
* capability — ``Capability``, ``Resources``, ``Power`` or ``Influence`` (any non-negative scale);
* ``Position`` — a number on the issue's scale;
* ``Salience`` — either fractions in [0, 1] or percentages in [0, 100].

Header names are case-insensitive and may carry surrounding blanks; a tab-separated file is accepted
as well. **Salience scale, detected per file:** if any salience exceeds 1 the column is read as
0-100 and divided by 100 (values above 100 are an error); otherwise it is read as a fraction. A
0-100 file whose saliences are all 0 or 1 is therefore read as fractions — write ``1.0`` as ``100``
in such files. **Issue scale:** the files carry no scale, so the issue's scale is the range of the
positions (the same range R the expected-utility model normalises distances by); if all actors share
one position the scale is that position ± 0.5. Capabilities must be finite, non-negative and not
all zero.

The scenario id is the file's stem, the issue id ``"issue"``; actor ids are the names as written.
"""

from __future__ import annotations

from pathlib import PurePath

from pydantic import ValidationError

from parley.scenario._common import csv_rows, parse_number
from parley.scenario.errors import ScenarioError
from parley.scenario.load import validation_error
from parley.scenario.schema import Scenario

#: Accepted header names (lower case) for each column.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "actor": ("actor", "stakeholder", "name"),
    "capability": ("capability", "resources", "power", "influence"),
    "position": ("position",),
    "salience": ("salience",),
}

ISSUE_ID = "issue"


def _header(cells: list[str], file: str) -> dict[str, int]:
    lookup = {alias: key for key, aliases in COLUMN_ALIASES.items() for alias in aliases}
    found: dict[str, int] = {}
    for col, cell in enumerate(cells):
        name = cell.strip().lower()
        key = lookup.get(name)
        if key is None:
            raise ScenarioError(
                f"unknown column '{cell.strip()}'; expected the columns Actor, Capability, "
                "Position, Salience (or Stakeholder/Name, Resources/Power/Influence)",
                file=file,
                field=cell.strip() or f"column {col + 1}",
                line=1,
            )
        if key in found:
            raise ScenarioError(
                f"column '{cell.strip()}' repeats the {key} column", file=file, field=key, line=1
            )
        found[key] = col
    missing = [k for k in COLUMN_ALIASES if k not in found]
    if missing:
        raise ScenarioError(
            f"missing column(s) {', '.join(missing)}; expected Actor, Capability, Position, "
            "Salience",
            file=file,
            line=1,
        )
    return found


def _number(cell: str, file: str, line: int, column: str) -> float:
    return parse_number(
        cell,
        file=file,
        line=line,
        field=column,
        not_a_number=f"'{cell.strip()}' is not a number",
        not_finite=f"'{cell.strip()}' is not a finite number",
    )


def _rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    first = next((ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return csv_rows(text, file, delimiter=delimiter)


def load_eum_csv(text: str, file: str = "<string>") -> list[Scenario]:
    """Read a classic expected-utility CSV (Actor, Capability, Position, Salience) as one scenario.

    See the module docstring for the accepted headers and the salience and scale conventions.
    Every problem is a :class:`ScenarioError` naming the file, the column and the line.
    """
    rows = _rows(text, file)
    if not rows:
        raise ScenarioError("file is empty, expected a header and one row per actor", file=file)
    header_line, header = rows[0]
    cols = _header(header, file)
    if len(rows) < 2:
        raise ScenarioError("no actor rows after the header", file=file, line=header_line + 1)
    names: list[str] = []
    values: list[tuple[float, float, float]] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            raise ScenarioError(
                f"row has {len(cells)} cells, expected {len(header)} like the header",
                file=file,
                line=line,
            )
        name = cells[cols["actor"]].strip()
        if not name:
            raise ScenarioError("actor name is empty", file=file, field="actor", line=line)
        if len(name) > 200:
            raise ScenarioError(
                "actor name is longer than 200 characters", file=file, field="actor", line=line
            )
        if name in seen:
            raise ScenarioError(
                f"actor '{name}' already appears on line {seen[name]}",
                file=file,
                field="actor",
                line=line,
            )
        seen[name] = line
        capability = _number(cells[cols["capability"]], file, line, "capability")
        if capability < 0:
            raise ScenarioError(
                f"capability {capability} is negative, expected a value >= 0",
                file=file,
                field="capability",
                line=line,
            )
        position = _number(cells[cols["position"]], file, line, "position")
        salience = _number(cells[cols["salience"]], file, line, "salience")
        if not 0.0 <= salience <= 100.0:
            raise ScenarioError(
                f"salience {salience} is outside [0, 1] (fractions) or [0, 100] (percent)",
                file=file,
                field="salience",
                line=line,
            )
        names.append(name)
        values.append((capability, position, salience))
        lines.append(line)
    if not any(v[0] > 0 for v in values):
        raise ScenarioError(
            "all capabilities are 0; at least one actor needs a positive capability",
            file=file,
            field="capability",
        )
    percent = any(v[2] > 1.0 for v in values)
    positions = [v[1] for v in values]
    lo, hi = min(positions), max(positions)
    if hi == lo:
        lo, hi = lo - 0.5, hi + 0.5
    stem = PurePath(file).stem if file and not file.startswith("<") else "eum"
    data = {
        "id": stem or "eum",
        "name": stem or "eum",
        "source": f"expected-utility CSV {file}",
        "issues": [
            {
                "id": ISSUE_ID,
                "name": stem or ISSUE_ID,
                "scale_min": lo,
                "scale_max": hi,
                "description": "scale = range of the actors' positions (the file gives none)",
            }
        ],
        "actors": [
            {
                "id": name,
                "name": name,
                "capability": cap,
                "positions": {
                    ISSUE_ID: {"position": pos, "salience": sal / 100 if percent else sal}
                },
            }
            for name, (cap, pos, sal) in zip(names, values, strict=True)
        ],
        "metadata": {"salience_scale": "0-100" if percent else "0-1"},
    }
    try:
        return [Scenario.model_validate(data)]
    except ValidationError as exc:
        err = validation_error(exc, file)
        loc = err.field or ""
        if loc.startswith("actors["):
            idx = int(loc[len("actors[") : loc.index("]")])
            err = ScenarioError(err.message, file=file, field=err.field, line=lines[idx])
        raise err from None
