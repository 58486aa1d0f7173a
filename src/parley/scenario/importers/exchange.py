"""Importer for the input format of the Decide exchange model (Stokman's vote-trading model).

The format (foarsitter/decide-exchange-model; used for the Paris COP21 and Copenhagen data of
Sprinz et al. 2016, *Politics and Governance* 4(3)) is a delimited text file with quoted fields, one
record per row, the first field saying what the row is:

* ``'#A' key name [description]`` — an actor;
* ``'#P' key name [description]`` — an issue;
* ``'#M' issue value [label]`` — a labelled point of an issue's scale; the scale runs from the
  lowest to the highest point (0–100 if an issue has no ``#M`` rows);
* ``'#D' actor issue position salience power`` — a stance.

Saliences are read on 0–1; a file whose saliences exceed 1 is taken to use 0–100 (the reference
accepts both) and is divided by 100. Power becomes the actor's capability, so it must be the same on
every issue of an actor. Fields are separated by tabs (or, in files without tabs, by ``;``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from pydantic import ValidationError

from parley.scenario._common import parse_number
from parley.scenario.errors import ScenarioError
from parley.scenario.load import validation_error
from parley.scenario.schema import Scenario

_KINDS = ("#A", "#P", "#M", "#D")


@dataclass
class _Issue:
    name: str
    description: str
    line: int
    points: list[tuple[float, str, int]] = field(default_factory=list)


@dataclass
class _Stance:
    issue: str
    position: float
    salience: float
    power: float
    line: int


def _number(text: str, what: str, file: str, line: int) -> float:
    return parse_number(
        text,
        file=file,
        line=line,
        field=what,
        not_a_number=f"expected a number for {what}, got '{text}'",
        not_finite=f"expected a finite number for {what}, got '{text}'",
    )


def _rows(text: str) -> list[tuple[int, list[str]]]:
    lines = text.lstrip("\ufeff").splitlines()
    delimiter = "\t" if "\t" in text else ";"
    out: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            fields = next(csv.reader([raw], delimiter=delimiter, quotechar="'"))
        except (csv.Error, StopIteration):
            fields = []
        out.append((number, [f.strip().strip('"') for f in fields]))
    return out


def _scenario_id(file: str) -> str:
    stem = PurePath(file).stem if file and not file.startswith("<") else "exchange"
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("_")[:200]
    return clean or "exchange"


def load_exchange(text: str, file: str = "<string>") -> list[Scenario]:
    """Read a Decide exchange-model input file into one :class:`Scenario`.

    Actors and issues keep the file's order of ``#A`` and ``#P`` rows; every problem becomes a
    :class:`ScenarioError` naming the file, the line and the field.
    """
    actors: dict[str, tuple[str, int]] = {}
    issues: dict[str, _Issue] = {}
    stances: dict[str, dict[str, _Stance]] = {}
    for line, fields in _rows(text):
        kind = fields[0] if fields else ""
        if kind not in _KINDS:
            raise ScenarioError(
                f"unknown row type '{kind[:40]}', expected one of {', '.join(_KINDS)} "
                "(fields separated by tabs, quoted with ')",
                file=file,
                field="row type",
                line=line,
            )
        if kind in ("#A", "#P"):
            what = "actor" if kind == "#A" else "issue"
            if len(fields) < 2 or not fields[1]:
                raise ScenarioError(
                    f"a '{kind}' row needs a key (and optionally a name)",
                    file=file,
                    field=f"{what}.key",
                    line=line,
                )
            key = fields[1][:200]
            name = fields[2] if len(fields) > 2 else ""
            description = fields[3] if len(fields) > 3 else ""
            if key in (actors if kind == "#A" else issues):
                raise ScenarioError(
                    f"{what} '{key}' is declared twice", file=file, field=f"{what}.key", line=line
                )
            if kind == "#A":
                actors[key] = (name, line)
            else:
                issues[key] = _Issue(name, description, line)
        elif kind == "#M":
            if len(fields) < 3:
                raise ScenarioError(
                    "a '#M' row needs an issue and a scale value",
                    file=file,
                    field="scale point",
                    line=line,
                )
            if fields[1] not in issues:
                raise ScenarioError(
                    f"scale point for undeclared issue '{fields[1][:60]}' (declare it with a "
                    "'#P' row first)",
                    file=file,
                    field="scale point.issue",
                    line=line,
                )
            value = _number(fields[2], "scale point.value", file, line)
            label = fields[3] if len(fields) > 3 and fields[3] else f"{value:g}"
            issues[fields[1]].points.append((value, label, line))
        else:
            if len(fields) < 6:
                raise ScenarioError(
                    f"a '#D' row needs actor, issue, position, salience and power; got "
                    f"{len(fields) - 1} field(s)",
                    file=file,
                    field="stance",
                    line=line,
                )
            actor, issue = fields[1], fields[2]
            if actor not in actors:
                raise ScenarioError(
                    f"stance of undeclared actor '{actor[:60]}' (declare it with a '#A' row)",
                    file=file,
                    field="stance.actor",
                    line=line,
                )
            if issue not in issues:
                raise ScenarioError(
                    f"stance on undeclared issue '{issue[:60]}' (declare it with a '#P' row)",
                    file=file,
                    field="stance.issue",
                    line=line,
                )
            if issue in stances.get(actor, {}):
                raise ScenarioError(
                    f"actor '{actor}' has two stances on issue '{issue}'",
                    file=file,
                    field="stance",
                    line=line,
                )
            position = _number(fields[3], "stance.position", file, line)
            salience = _number(fields[4], "stance.salience", file, line)
            power = _number(fields[5], "stance.power", file, line)
            if not 0.0 <= salience <= 100.0:
                raise ScenarioError(
                    f"salience {salience:g} outside 0–1 (or 0–100)",
                    file=file,
                    field="stance.salience",
                    line=line,
                )
            if power < 0.0:
                raise ScenarioError(
                    f"power {power:g} is negative, expected >= 0",
                    file=file,
                    field="stance.power",
                    line=line,
                )
            stances.setdefault(actor, {})[issue] = _Stance(issue, position, salience, power, line)
    return [_build(actors, issues, stances, file)]


def _build(
    actors: dict[str, tuple[str, int]],
    issues: dict[str, _Issue],
    stances: dict[str, dict[str, _Stance]],
    file: str,
) -> Scenario:
    if not actors:
        raise ScenarioError("no actors ('#A' rows) found", file=file, field="actors")
    if not issues:
        raise ScenarioError("no issues ('#P' rows) found", file=file, field="issues")
    all_stances = [s for per in stances.values() for s in per.values()]
    salience_scale = 100.0 if any(s.salience > 1.0 for s in all_stances) else 1.0
    issue_rows: list[dict[str, object]] = []
    bounds: dict[str, tuple[float, float]] = {}
    for key, issue in issues.items():
        values = [v for v, _, _ in issue.points]
        lo, hi = (min(values), max(values)) if values else (0.0, 100.0)
        if not hi > lo:
            raise ScenarioError(
                f"issue '{key}' needs at least two different scale points, got {values}",
                file=file,
                field=f"issues.{key}.scale",
                line=issue.points[0][2] if issue.points else issue.line,
            )
        bounds[key] = (lo, hi)
        labels: dict[float, str] = {}
        for value, label, _ in issue.points:
            labels.setdefault(value, label)
        issue_rows.append(
            {
                "id": key,
                "name": issue.name,
                "description": issue.description,
                "scale_min": lo,
                "scale_max": hi,
                "labels": [{"value": v, "label": t} for v, t in sorted(labels.items())],
            }
        )
    actor_rows: list[dict[str, object]] = []
    for key, (name, line) in actors.items():
        per = stances.get(key, {})
        if not per:
            raise ScenarioError(
                f"actor '{key}' has no stance ('#D' row)", file=file, field="actors", line=line
            )
        powers = {s.power for s in per.values()}
        if len(powers) > 1:
            first = next(iter(per.values()))
            odd = next(s for s in per.values() if s.power != first.power)
            raise ScenarioError(
                f"actor '{key}' has power {odd.power:g} here but {first.power:g} on issue "
                f"'{first.issue}'; parley needs one power (capability) per actor",
                file=file,
                field="stance.power",
                line=odd.line,
            )
        for s in per.values():
            lo, hi = bounds[s.issue]
            if not lo <= s.position <= hi:
                raise ScenarioError(
                    f"position {s.position:g} lies outside the scale [{lo:g}, {hi:g}] of issue "
                    f"'{s.issue}'",
                    file=file,
                    field="stance.position",
                    line=s.line,
                )
        actor_rows.append(
            {
                "id": key,
                "name": name,
                "capability": powers.pop(),
                "positions": {
                    issue: {"position": s.position, "salience": s.salience / salience_scale}
                    for issue, s in per.items()
                },
            }
        )
    data = {
        "id": _scenario_id(file),
        "name": _scenario_id(file),
        "source": "Decide exchange-model input format (foarsitter/decide-exchange-model)",
        "issues": issue_rows,
        "actors": actor_rows,
        "metadata": {"format": "exchange", "salience_scale": salience_scale},
    }
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file) from None
