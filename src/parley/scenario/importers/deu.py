"""Importer for the DEU data set (Decision-making in the European Union), one scenario per issue.

Thomson, Stokman, Achen & König (eds., 2006), *The European Union Decides*; Thomson et al. (2012),
JEPP 19(4); DEU III release: Arregui & Perarnaud (2022), JEPP, doi:10.1080/13501763.2021.1991983.

The file is tab-separated with quoted strings: ``prnr`` (proposal), ``isnr`` (issue), ``proc``
(COD/CNS), ``counvte`` (QMV/Unan), ``intro`` (introduction date), then ``p<actor>`` positions and
``s<actor>`` saliences on a 0–100 scale, ``rp`` (reference point, often missing) and ``out`` (the
decision outcome).

Layouts (:func:`detect_layout`): the DEU III release layout has the columns ``prnrnmc``,
``isnrnmc`` and ``issues``; there ``issues`` counts the proposal's issues and ``isnrnmc`` numbers the
issues across the file; an issue is named from its own id ``isnr`` = ``<prnr>i<k>`` as "<prnr> issue
<k>" (else by its id). A row on line 2 without a proposal and issue id, carrying numbers in the ``p<actor>``
columns, is the release's capability row: those numbers become the actors' capabilities for every
issue of the file instead of the rule below. The source label names the wave by introduction date
(DEU I/II: proposals introduced before 2010; DEU III: later) and the layout.

Dates (:func:`parse_intro`): ``dd-mm-yy``, ``dd-mm-yyyy`` and ``yyyy-mm-dd``. In files that write
dates with two-digit years, ``yyyy-mm-dd`` values are a spreadsheet's reading of ``dd-mm-yy`` as
``yy-mm-dd`` (years 00–29 became 20xx, 30–99 19xx: "30-05-05" became "1930-05-05"), and are read
back as ``dd-mm-yy``; in files without two-digit years they are ISO dates.

Capability — the data has none, so it comes from outside:
- member states: their Council QMV voting weight under the regime in force on the proposal's
  introduction date (EU15 weights before 2004-05-01, the EU25 transitional weights until 2004-10-31,
  Nice weights after; ``src/parley/data/deu/eu_council_voting_weights.csv``). A state that had no
  weight on that date (it joined while the proposal was negotiated) gets its weight from the first
  regime it belongs to. From 1 November 2014 the Council decides by double majority (55 % of the
  members representing 65 % of the population, Art. 16(4) TEU): **documented choice** — a member's
  capability is the mean of its share of the members and its share of the population, both
  criteria counted once, times 100 (``council_population_2014.csv``; see its provenance).
- the Commission and the Parliament: **documented choice** — each gets the mean member-state weight of
  the regime (one "average member state"). Under the consultation procedure (CNS) the Parliament's
  opinion is not binding, but it is kept with the same weight so that the choice is one simple rule;
  :func:`deu_capability_rule` makes the alternative explicit for the accuracy analysis.

An actor needs both a position and a salience to take part (46 positions in the shared copy have no
salience and are left out). Issues where no actor has both are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from pydantic import ValidationError

from parley.scenario.errors import ScenarioError
from parley.scenario.importers.deu_council import (
    ACTOR_NAMES,
    DEU_ACTORS,
    deu_capability_rule,
    has_two_digit_years,
    parse_intro,
    regime_for,
)
from parley.scenario.load import validation_error
from parley.scenario.schema import Scenario

__all__ = [
    "ACTOR_NAMES",
    "DEU_ACTORS",
    "deu_capability_rule",
    "detect_layout",
    "load_deu",
    "load_shipped_deu",
    "parse_intro",
    "regime_for",
    "source_label",
]

REQUIRED_COLUMNS = ("prnr", "isnr", "proc", "counvte", "intro", "rp", "out")

#: Columns that only the DEU III release layout has.
RELEASE_COLUMNS = ("prnrnmc", "isnrnmc", "issues")


def detect_layout(header: list[str]) -> str:
    """``"deu3-release"`` if the header has the DEU III release's own columns, else ``"deu"``."""
    return "deu3-release" if all(c in header for c in RELEASE_COLUMNS) else "deu"


def source_label(intro: dt.date | None, layout: str) -> str:
    """Where an issue comes from: its wave (by introduction date) and the file layout."""
    wave = (
        "DEU III (Arregui & Perarnaud 2022)"
        if intro is not None and intro.year >= 2010
        else "DEU I/II (Thomson et al. 2012)"
    )
    return wave + (", DEU III release layout" if layout == "deu3-release" else ", DEU layout")


def _score(cell: str, file: str, line: int, column: str) -> float | None:
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ScenarioError(
            f"expected a number, got '{cell[:40]}'", file=file, line=line, field=column
        ) from None
    if not 0.0 <= value <= 100.0:
        raise ScenarioError(
            f"expected a value on the 0–100 scale, got {value}", file=file, line=line, field=column
        )
    return value


@dataclass(frozen=True)
class _FileInfo:
    """What the importer learns about a whole file before reading its rows."""

    layout: str
    spreadsheet_iso: bool
    capability: dict[str, float] | None


def _issue_name(row: Mapping[str, str], isnr: str) -> str:
    """ "<proposal> issue <k>" from the issue's own id ``<prnr>i<k>``, else the id itself (the
    release's ``issues`` column counts the proposal's issues and ``isnrnmc`` numbers issues across
    the file, so neither names an issue)."""
    prnr = (row.get("prnr") or "").strip()
    if prnr and isnr.startswith(prnr + "i") and isnr[len(prnr) + 1 :].isdigit():
        return f"{prnr} issue {isnr[len(prnr) + 1 :]}"
    return isnr


def _row_scenario(row: Mapping[str, str], file: str, line: int, info: _FileInfo) -> Scenario | None:
    isnr = (row.get("isnr") or "").strip()
    if not isnr:
        raise ScenarioError("issue id is empty", file=file, line=line, field="isnr")
    procedure = (row.get("proc") or "").strip()
    intro = parse_intro(row.get("intro") or "", info.spreadsheet_iso)
    regime = regime_for(intro)
    actors = []
    for code in DEU_ACTORS:
        pos = _score(row.get("p" + code) or "", file, line, "p" + code)
        sal = _score(row.get("s" + code) or "", file, line, "s" + code)
        if pos is None or sal is None:
            continue
        if info.capability is not None:
            capability = info.capability.get(code, 0.0)
        else:
            capability = deu_capability_rule(code, regime, procedure)
        actors.append(
            {
                "id": code,
                "name": ACTOR_NAMES[code],
                "capability": capability,
                "positions": {isnr: {"position": pos, "salience": sal / 100.0}},
            }
        )
    if not actors:
        return None
    rp = _score(row.get("rp") or "", file, line, "rp")
    out = _score(row.get("out") or "", file, line, "out")
    data = {
        "id": isnr,
        "name": (row.get("prname") or "").strip(),
        "source": source_label(intro, info.layout),
        "issues": [
            {
                "id": isnr,
                "name": _issue_name(row, isnr),
                "scale_min": 0.0,
                "scale_max": 100.0,
                "reference_point": rp,
                "outcome": out,
            }
        ],
        "actors": actors,
        "metadata": {
            "proposal": (row.get("prnr") or "").strip(),
            "procedure": procedure,
            "voting_rule": (row.get("counvte") or "").strip(),
            "intro": intro.isoformat() if intro else None,
            "weights_regime": "file" if info.capability is not None else regime,
            "layout": info.layout,
            "line": line,
        },
    }
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file).located(line=line) from None


def _capability_row(row: Mapping[str, str], file: str) -> dict[str, float] | None:
    """The release's capability row (line 2): no proposal or issue id, numbers in the actor
    columns (``c<actor>`` if the file has them, else ``p<actor>``)."""
    if (row.get("prnr") or "").strip() or (row.get("isnr") or "").strip():
        return None
    prefix = "c" if any("c" + code in row for code in DEU_ACTORS) else "p"
    out: dict[str, float] = {}
    for code in DEU_ACTORS:
        cell = (row.get(prefix + code) or "").strip()
        if not cell:
            continue
        try:
            out[code] = float(cell)
        except ValueError:
            raise ScenarioError(
                f"capability row: expected a number, got '{cell[:40]}'",
                file=file,
                line=2,
                field=prefix + code,
            ) from None
        if out[code] < 0:
            raise ScenarioError(
                f"capability row: expected a non-negative number, got {out[code]}",
                file=file,
                line=2,
                field=prefix + code,
            )
    return out or None


def _check_header(header: list[str], file: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ScenarioError(
            f"not a DEU header: missing column(s) {', '.join(missing)} "
            f"(expected prnr, isnr, proc, counvte, intro, p<actor>, s<actor>, rp, out)",
            file=file,
            line=1,
        )
    if not any(("p" + a) in header for a in DEU_ACTORS):
        raise ScenarioError(
            "not a DEU header: no position column p<actor> for any known actor", file=file, line=1
        )


def _read_rows(text: str, file: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and non-empty rows ``(line, row)`` of a tab-separated file, checked for width."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t")
    line = 1
    try:
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise ScenarioError("file is empty, expected a DEU header row", file=file) from None
        _check_header(header, file)
        rows: list[tuple[int, dict[str, str]]] = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise ScenarioError(
                    f"row has {len(cells)} fields, the header has {len(header)}",
                    file=file,
                    line=line,
                )
            rows.append((line, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        raise ScenarioError(f"malformed tab-separated data: {exc}", file=file, line=line) from None
    return header, rows


def load_deu(text: str, file: str = "<string>") -> list[Scenario]:
    """Read DEU tab-separated data: one single-issue scenario per row with at least one actor.

    Detects the layout (:func:`detect_layout`), the release's capability row on line 2 and how the
    file writes dates (:func:`parse_intro`); see the module docstring.
    """
    header, rows = _read_rows(text, file)
    capability = None
    if rows and rows[0][0] == 2:
        capability = _capability_row(rows[0][1], file)
        if capability is not None:
            rows = rows[1:]
    info = _FileInfo(
        layout=detect_layout(header),
        spreadsheet_iso=has_two_digit_years([r.get("intro") or "" for _, r in rows]),
        capability=capability,
    )
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for line, row in rows:
        sc = _row_scenario(row, file, line, info)
        if sc is None:
            continue
        if sc.id in seen:
            raise ScenarioError(f"duplicate issue id '{sc.id}'", file=file, line=line, field="isnr")
        seen.add(sc.id)
        scenarios.append(sc)
    if not scenarios:
        raise ScenarioError("no issue has an actor with both position and salience", file=file)
    return scenarios


def load_shipped_deu() -> list[Scenario]:
    """The DEU I/II issues shipped with parley (``parley/data/deu/deu_waves_I_II.tsv``)."""
    ref = resources.files("parley.data").joinpath("deu/deu_waves_I_II.tsv")
    return load_deu(ref.read_text(encoding="utf-8"), "deu_waves_I_II.tsv")
