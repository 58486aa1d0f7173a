"""The EU Council's voting rules by date, as the DEU importer turns them into capabilities.

Member states' Council QMV voting weights per enlargement regime (EU12, EU15, the EU25 transitional
weights, the Nice weights; ``src/parley/data/deu/eu_council_voting_weights.csv``) and, from
1 November 2014, the double majority (55 % of the members representing 65 % of the population,
Art. 16(4) TEU, Art. 238(3) TFEU; ``council_population_2014.csv``). Both data files and their
sources are described in ``src/parley/data/deu/PROVENANCE.md``; the capability rule built on them is
documented in :mod:`parley.scenario.importers.deu`. Also the parsing of DEU introduction dates,
which decide the regime.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import lru_cache
from importlib import resources

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

#: Council voting-weight regimes: (first day in force, column of the weights file).
REGIMES: tuple[tuple[dt.date, str], ...] = (
    (dt.date(1986, 1, 2), "v12"),
    (dt.date(1995, 1, 2), "v15"),
    (dt.date(2004, 5, 2), "v25t"),
    (dt.date(2004, 11, 1), "v25"),
)

#: The double-majority rule (Art. 16(4) TEU, Art. 238(3) TFEU) and its first day.
DOUBLE_MAJORITY = "dm"
DOUBLE_MAJORITY_FROM = dt.date(2014, 11, 1)


@lru_cache(maxsize=1)
def council_weights() -> dict[str, dict[str, float]]:
    """Council voting weights: regime column -> DEU actor code -> weight.

    The double-majority regime ``"dm"`` has 100 x (1/N + population share) / 2 per member state
    (the importer's documented choice, module docstring).
    """
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
    pop = council_population()
    total = sum(pop.values())
    out[DOUBLE_MAJORITY] = {
        code: 100.0 * (1.0 / len(pop) + value / total) / 2.0 for code, value in pop.items()
    }
    return out


@lru_cache(maxsize=1)
def council_population() -> dict[str, float]:
    """Population per member state for the double majority (DEU actor code -> persons)."""
    text = (
        resources.files("parley.data")
        .joinpath("deu/council_population_2014.csv")
        .read_text(encoding="utf-8")
    )
    by_name = {v: k for k, v in ACTOR_NAMES.items()}
    return {
        by_name[row["country"].strip()]: float(row["population"])
        for row in csv.DictReader(io.StringIO(text))
    }


def regime_for(date: dt.date | None) -> str:
    """Weights column of the regime in force on ``date`` (the Nice weights if unknown).

    ``"dm"`` (double majority) from 1 November 2014; before that the QMV weights of
    :data:`REGIMES`.
    """
    if date is None:
        return REGIMES[-1][1]
    if date >= DOUBLE_MAJORITY_FROM:
        return DOUBLE_MAJORITY
    col = REGIMES[0][1]
    for start, name in REGIMES:
        if date >= start:
            col = name
    return col


def _two_digit_year(y: int) -> int:
    return 1900 + y if y >= 50 else 2000 + y


def parse_intro(text: str, spreadsheet_iso: bool = False) -> dt.date | None:
    """Parse a DEU introduction date: ``dd-mm-yy`` (years 50–99 are 19xx), ``dd-mm-yyyy`` or
    ``yyyy-mm-dd``; None if it is none of these or not a calendar date.

    With ``spreadsheet_iso`` a ``yyyy-mm-dd`` value is read as a spreadsheet's rendering of
    ``dd-mm-yy`` (day = the last two digits of its year, year = its day): see the module docstring.
    """
    parts = text.strip().strip('"').split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    a, m, c = (int(p) for p in parts)
    if len(parts[0]) == 4 and len(parts[2]) <= 2:  # yyyy-mm-dd
        y, d = (_two_digit_year(c), a % 100) if spreadsheet_iso else (a, c)
    elif len(parts[0]) <= 2 and len(parts[2]) == 4:  # dd-mm-yyyy
        d, y = a, c
    elif len(parts[0]) <= 2 and len(parts[2]) <= 2:  # dd-mm-yy
        d, y = a, _two_digit_year(c)
    else:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def has_two_digit_years(dates: list[str]) -> bool:
    """Whether any of the ``dd-mm-yy`` dates has a two-digit year (see :func:`parse_intro`)."""
    for text in dates:
        parts = text.strip().strip('"').split("-")
        if len(parts) == 3 and len(parts[0]) <= 2 and len(parts[2]) == 2:
            return True
    return False


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
