"""Importer for the DEU data set (Decision-making in the European Union), one scenario per issue.

Thomson, Stokman, Achen & König (eds., 2006), *The European Union Decides*; Thomson et al. (2012),
JEPP 19(4); DEU III release: Arregui & Perarnaud (2022), JEPP, doi:10.1080/13501763.2021.1991983.

The file is tab-separated with quoted strings: ``prnr`` (proposal), ``isnr`` (issue), ``proc``
(COD/CNS), ``counvte`` (QMV/Unan), ``intro`` (dd-mm-yy), then ``p<actor>`` positions and
``s<actor>`` saliences on a 0–100 scale, ``rp`` (reference point, often missing) and ``out`` (the
decision outcome).

Capability — the data has none, so it comes from outside:
- member states: their Council QMV voting weight under the regime in force on the proposal's
  introduction date (EU15 weights before 2004-05-01, the EU25 transitional weights until 2004-10-31,
  Nice weights after; ``src/parley/data/deu/eu_council_voting_weights.csv``). A state that had no
  weight on that date (it joined while the proposal was negotiated) gets its weight from the first
  regime it belongs to.
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
from functools import lru_cache
from importlib import resources

from pydantic import ValidationError

from parley.scenario.errors import ScenarioError
from parley.scenario.load import validation_error
from parley.scenario.schema import Scenario

#: DEU actor codes in the file's column order.
DEU_ACTORS: tuple[str, ...] = (
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
)  # fmt: skip

ACTOR_NAMES: dict[str, str] = {
    "com": "European Commission", "ep": "European Parliament", "at": "Austria", "be": "Belgium",
    "bu": "Bulgaria", "cr": "Croatia", "cy": "Cyprus", "cz": "Czech Republic", "dk": "Denmark",
    "ee": "Estonia", "fi": "Finland", "fr": "France", "de": "Germany", "el": "Greece",
    "hu": "Hungary", "ie": "Ireland", "it": "Italy", "lv": "Latvia", "lt": "Lithuania",
    "lu": "Luxembourg", "mt": "Malta", "nl": "Netherlands", "pl": "Poland", "pt": "Portugal",
    "ro": "Romania", "si": "Slovenia", "sk": "Slovakia", "es": "Spain", "se": "Sweden",
    "uk": "United Kingdom",
}  # fmt: skip

REQUIRED_COLUMNS = ("prnr", "isnr", "proc", "counvte", "intro", "rp", "out")

#: Council voting-weight regimes: (first day in force, column of the weights file).
REGIMES: tuple[tuple[dt.date, str], ...] = (
    (dt.date(1986, 1, 2), "v12"),
    (dt.date(1995, 1, 2), "v15"),
    (dt.date(2004, 5, 2), "v25t"),
    (dt.date(2004, 11, 1), "v25"),
)


@lru_cache(maxsize=1)
def council_weights() -> dict[str, dict[str, float]]:
    """Council QMV voting weights: regime column -> DEU actor code -> weight."""
    text = (
        resources.files("parley.data")
        .joinpath("deu/eu_council_voting_weights.csv")
        .read_text(encoding="utf-8")
    )
    by_name = {v: k for k, v in ACTOR_NAMES.items()}
    out: dict[str, dict[str, float]] = {col: {} for _, col in REGIMES}
    for row in csv.DictReader(io.StringIO(text)):
        code = by_name.get(row["country"].strip())
        if code is None:
            continue
        for _, col in REGIMES:
            cell = (row.get(col) or "").strip()
            if cell:
                out[col][code] = float(cell)
    return out


def regime_for(date: dt.date | None) -> str:
    """Weights column of the regime in force on ``date`` (the latest regime if unknown)."""
    if date is None:
        return REGIMES[-1][1]
    col = REGIMES[0][1]
    for start, name in REGIMES:
        if date >= start:
            col = name
    return col


def parse_intro(text: str) -> dt.date | None:
    """Parse DEU's ``dd-mm-yy`` introduction dates (years 96–99 are 1990s)."""
    parts = text.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    d, m, y = (int(p) for p in parts)
    year = 1900 + y if y >= 50 else 2000 + y
    try:
        return dt.date(year, m, d)
    except ValueError:
        return None


def deu_capability_rule(
    actor: str, regime: str, procedure: str, ep_under_cns: float | None = None
) -> float:
    """Capability of a DEU actor under the importer's documented rule (see module docstring)."""
    weights = council_weights()
    table = weights[regime]
    if actor in ("com", "ep"):
        base = sum(table.values()) / len(table)
        if actor == "ep" and procedure == "CNS" and ep_under_cns is not None:
            return base * ep_under_cns
        return base
    if actor in table:
        return table[actor]
    for _, col in REGIMES:  # joined later: first regime that lists the state
        if actor in weights[col]:
            return weights[col][actor]
    return 0.0


def _number(cell: str, file: str, line: int, column: str) -> float | None:
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


def _row_scenario(row: Mapping[str, str], file: str, line: int) -> Scenario | None:
    isnr = (row.get("isnr") or "").strip()
    if not isnr:
        raise ScenarioError("issue id is empty", file=file, line=line, field="isnr")
    procedure = (row.get("proc") or "").strip()
    intro = parse_intro(row.get("intro") or "")
    regime = regime_for(intro)
    actors = []
    for code in DEU_ACTORS:
        pos = _number(row.get("p" + code) or "", file, line, "p" + code)
        sal = _number(row.get("s" + code) or "", file, line, "s" + code)
        if pos is None or sal is None:
            continue
        actors.append(
            {
                "id": code,
                "name": ACTOR_NAMES[code],
                "capability": deu_capability_rule(code, regime, procedure),
                "positions": {isnr: {"position": pos, "salience": sal / 100.0}},
            }
        )
    if not actors:
        return None
    rp = _number(row.get("rp") or "", file, line, "rp")
    out = _number(row.get("out") or "", file, line, "out")
    data = {
        "id": isnr,
        "name": (row.get("prname") or "").strip(),
        "source": "DEU I/II (Thomson et al. 2012), via the DEU III release",
        "issues": [
            {
                "id": isnr,
                "name": f"{(row.get('prnr') or '').strip()} issue {(row.get('issues') or '').strip()}",
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
            "weights_regime": regime,
            "line": line,
        },
    }
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file).located(line=line) from None


def load_deu(text: str, file: str = "<string>") -> list[Scenario]:
    """Read DEU tab-separated data: one single-issue scenario per row with at least one actor."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t")
    try:
        header = next(reader)
    except StopIteration:
        raise ScenarioError("file is empty, expected a DEU header row", file=file) from None
    except csv.Error as exc:
        raise ScenarioError(f"malformed tab-separated data: {exc}", file=file, line=1) from None
    header = [h.strip() for h in header]
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
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    line = 1
    try:
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
            sc = _row_scenario(dict(zip(header, cells, strict=True)), file, line)
            if sc is None:
                continue
            if sc.id in seen:
                raise ScenarioError(
                    f"duplicate issue id '{sc.id}'", file=file, line=line, field="isnr"
                )
            seen.add(sc.id)
            scenarios.append(sc)
    except csv.Error as exc:
        raise ScenarioError(f"malformed tab-separated data: {exc}", file=file, line=line) from None
    if not scenarios:
        raise ScenarioError("no issue has an actor with both position and salience", file=file)
    return scenarios


def load_shipped_deu() -> list[Scenario]:
    """The DEU I/II issues shipped with parley (``parley/data/deu/deu_waves_I_II.tsv``)."""
    ref = resources.files("parley.data").joinpath("deu/deu_waves_I_II.tsv")
    return load_deu(ref.read_text(encoding="utf-8"), "deu_waves_I_II.tsv")
