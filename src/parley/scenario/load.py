"""Read scenario files of every supported format into validated :class:`Scenario` objects.

Formats: parley's own YAML/JSON, the DEU tab-separated data, KTAB's SMP CSV, the classic
expected-utility CSVs and the exchange-model format. Every importer is a function
``(text, file) -> list[Scenario]``; every failure is a :class:`ScenarioError` naming the file, the
field path and, where possible, the line.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from parley.scenario.errors import ScenarioError
from parley.scenario.limits import check_data, load_json, load_yaml
from parley.scenario.observed import check_series
from parley.scenario.schema import Scenario

#: Files larger than this are refused before they are read (bytes).
MAX_FILE_BYTES = 64 * 1024 * 1024

Importer = Callable[[str, str], list[Scenario]]

#: Format name -> "module:function" of its importer (imported lazily).
IMPORTERS: dict[str, str] = {
    "yaml": "parley.scenario.load:load_native",
    "json": "parley.scenario.load:load_native",
    "deu": "parley.scenario.importers.deu:load_deu",
    "ktab": "parley.scenario.importers.ktab:load_ktab",
    "eum": "parley.scenario.importers.eum_csv:load_eum_csv",
    "exchange": "parley.scenario.importers.exchange:load_exchange",
}

FORMATS = tuple(IMPORTERS)


def _importer(fmt: str) -> Importer:
    module, func = IMPORTERS[fmt].split(":")
    fn: Importer = getattr(importlib.import_module(module), func)
    return fn


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the file extension and, for CSV/TSV, from the first lines."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    head = text.lstrip("\ufeff").splitlines()[:3]
    first = head[0] if head else ""
    if first.startswith("'#") or first.startswith('"#'):
        return "exchange"
    if "prnr" in first and "isnr" in first:
        return "deu"
    # KTAB: line 2 is "Actor,Description,<capability column>,..." (KTAB's own files call that
    # column Power or Influence)
    if len(head) > 1 and head[1].replace(" ", "").lower().startswith("actor,description,"):
        return "ktab"
    if suffix in (".csv", ".tsv", ".txt"):
        return "eum"
    raise ScenarioError(
        f"cannot tell the format of this file (extension '{suffix}'); pass --input-format one of "
        f"{', '.join(FORMATS)}",
        file=path,
    )


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, refusing missing, huge, binary or empty files with a ScenarioError."""
    p = Path(path)
    if not p.exists():
        raise ScenarioError("file not found", file=p)
    if p.is_dir():
        raise ScenarioError("is a directory, expected a scenario file", file=p)
    size = p.stat().st_size
    if size > max_bytes:
        raise ScenarioError(
            f"file is {size / 1e6:.1f} MB, larger than the limit of {max_bytes / 1e6:.0f} MB",
            file=p,
        )
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start} cannot be decoded)", file=p
        ) from None
    if not text.strip():
        raise ScenarioError("file is empty", file=p)
    return text


def load_scenarios(
    path: str | Path, fmt: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> list[Scenario]:
    """Load every scenario in a file (a DEU file holds one scenario per issue)."""
    p = Path(path)
    text = read_text(p, max_bytes)
    if fmt is None:
        fmt = detect_format(p, text)
    if fmt not in IMPORTERS:
        raise ScenarioError(f"unknown format '{fmt}', expected one of {', '.join(FORMATS)}", file=p)
    try:
        if fmt in ("yaml", "json"):  # parley's own format: may name files beside it
            return load_native(text, str(p), base_dir=p.parent)
        return _importer(fmt)(text, str(p))
    except ScenarioError as exc:
        raise exc.located(file=p) from None


def load_scenario(path: str | Path, fmt: str | None = None) -> Scenario:
    """Load a file that holds exactly one scenario.

    Parameters
    ----------
    path : str or Path
        The scenario file.
    fmt : str, optional
        One of :data:`FORMATS` (parley YAML/JSON, exchange, EUM CSV, KTAB, DEU); detected from
        the file name and content when omitted.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        An unreadable or invalid file (with its line and field), or a file with several
        scenarios (use :func:`load_scenarios`).
    """
    scenarios = load_scenarios(path, fmt)
    if len(scenarios) != 1:
        raise ScenarioError(
            f"file holds {len(scenarios)} scenarios, expected exactly one", file=path
        )
    return scenarios[0]


# --- parley's own format ---------------------------------------------------------------------


def _line_index(
    node: yaml.Node, path: tuple[str | int, ...], out: dict[tuple[Any, ...], int]
) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_index(value_node, path + (key,), out)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            _line_index(item, path + (k,), out)


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # pydantic puts validator names such as "function-after[...]" into locations; drop them.
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p and "]" in p)))


#: A message that starts with a field path below the failing model ("policy.concession > 0 ...").
_LEADING_PATH = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\b")


def _refine(
    loc: tuple[Any, ...], msg: str, lines: dict[tuple[Any, ...], int] | None
) -> tuple[Any, ...]:
    """Extend a model-level location by the field path its message starts with, when that path
    exists in the file (so ``war`` + "policy.concession > 0 needs ..." names
    ``war.policy.concession`` and its line)."""
    match = _LEADING_PATH.match(msg)
    if match is None or not lines:
        return loc
    parts = tuple(match.group(1).split("."))
    if parts[: len(loc)] == loc:  # the message repeats the location ("war.sides.A names ...")
        parts = parts[len(loc) :]
    longer = loc + parts
    return longer if longer in lines else loc


def validation_error(
    exc: ValidationError, file: str | None, lines: dict[tuple[Any, ...], int] | None = None
) -> ScenarioError:
    """Turn pydantic's first validation error into a located :class:`ScenarioError`."""
    err = exc.errors(include_url=False)[0]
    loc = _clean_loc(tuple(err.get("loc", ())))
    msg = str(err.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    if err.get("type") == "missing":
        msg = "required field is missing"
    elif err.get("type") == "extra_forbidden":
        msg = "unknown field (check the spelling; see docs/scenario.schema.json)"
    loc = _refine(loc, msg, lines)
    line = None
    if lines:
        probe = loc
        while probe and probe not in lines:
            probe = probe[:-1]
        line = lines.get(probe)
    more = len(exc.errors()) - 1
    if more > 0:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return ScenarioError(msg, file=file, field=_format_loc(loc) or None, line=line)


def parse_scenario(
    data: Any,
    file: str | None = None,
    lines: dict[tuple[Any, ...], int] | None = None,
    base_dir: Path | None = None,
) -> Scenario:
    """Validate a decoded mapping as a :class:`Scenario`.

    ``base_dir`` is the folder of the scenario file, where its observed series
    (:mod:`parley.scenario.observed`) are looked up before parley's packaged data.
    """
    if not isinstance(data, dict):
        raise ScenarioError(
            f"expected a mapping with 'id', 'issues' and 'actors' at the top level, "
            f"got {type(data).__name__}",
            file=file,
            line=1 if lines else None,
        )
    check_data(data, file, lines)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file, lines) from None
    except (ValueError, TypeError) as exc:  # raised by before-validators outside pydantic's wrap
        raise ScenarioError(str(exc), file=file) from None
    return _resolve_observed(scenario, file, lines, base_dir)


def _resolve_observed(
    scenario: Scenario,
    file: str | None,
    lines: dict[tuple[Any, ...], int] | None,
    base_dir: Path | None,
) -> Scenario:
    """Locate and check the scenario's observed series (:mod:`parley.scenario.observed`)."""
    if not scenario.observed:
        return scenario
    resolved = {}
    for name, series in scenario.observed.items():
        try:
            resolved[name] = check_series(name, series, base_dir)
        except ScenarioError as exc:
            key = tuple(str(exc.field or "").split("."))
            line = (lines or {}).get(key) or (lines or {}).get(key[:2])
            raise exc.located(file=file, line=line) from None
    return scenario.model_copy(update={"observed": resolved})


def load_native(text: str, file: str = "<string>", base_dir: Path | None = None) -> list[Scenario]:
    """Parse parley's own YAML or JSON scenario format (JSON is a subset of YAML).

    Both go through the guarded readers of :mod:`parley.scenario.limits` (nesting depth, alias
    expansion, finite numbers of bounded magnitude, bounded texts) before the schema.
    """
    lines: dict[tuple[Any, ...], int] = {}
    if file.lower().endswith(".json"):
        data = load_json(text, file)
    else:
        data, node = load_yaml(text, file)
        if node is not None:
            _line_index(node, (), lines)
    if data is None:
        raise ScenarioError("file is empty, expected a scenario", file=file)
    return [parse_scenario(data, file, lines, base_dir)]
