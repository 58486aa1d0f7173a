"""The dashboard's scenario library: shipped and example files, uploads, and scenarios of past runs.

Scenario files are only ever *parsed* (YAML with the safe loader, JSON, or one of the CSV/TSV
importers in :data:`parley.scenario.load.IMPORTERS`); nothing in an uploaded file is executed.
Errors come back as :class:`ScenarioError` (first problem, with line) or, for an edited scenario, as
a list of field-located problems so that the page can show each one next to its field.
"""

from __future__ import annotations

import importlib
import json
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parley.scenario.errors import ScenarioError
from parley.scenario.load import FORMATS, IMPORTERS, detect_format
from parley.scenario.schema import Scenario

#: File suffixes listed from library folders (other formats can be uploaded).
LIBRARY_SUFFIXES = (".yaml", ".yml", ".json")
#: Library origins whose unreadable files are skipped silently: the shipped data folder holds
#: reference data (JSON fits, tables) beside any scenario, and those are not broken scenarios.
QUIET_ORIGINS = ("data",)
#: File suffixes accepted by an upload.
UPLOAD_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class LibraryEntry:
    """One scenario the user can pick: where it comes from and what it is."""

    key: str
    origin: str
    file: str
    index: int
    id: str
    name: str
    description: str
    n_actors: int
    n_issues: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return dict(self.__dict__)


#: A mapping key written ``.key`` in a field path; any other key is written ``["key"]``.
PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def field_path(loc: tuple[Any, ...]) -> str:
    """Render a pydantic location as ``actors[2].positions.territory.salience``.

    Keys that are not plain names (such as ``war.front.drift_km2_per_day`` in
    ``experiment.uncertainties``) are quoted: ``experiment.uncertainties["war.front.drift"].sd``,
    the same syntax the dashboard's forms use for their ``data-path``.
    """
    out = ""
    for part in loc:
        if isinstance(part, str) and "[" in part and "]" in part:
            continue  # validator names such as "function-after[...]"
        if isinstance(part, int):
            out += f"[{part}]"
        elif PLAIN_KEY.fullmatch(str(part)):
            out += ("." if out else "") + str(part)
        else:
            out += f"[{json.dumps(str(part), ensure_ascii=False)}]"
    return out


def data_loc(data: Any, loc: tuple[Any, ...], missing: bool = False) -> tuple[Any, ...]:
    """The part of a pydantic location that indexes into ``data``.

    Unions add the name of the tried member (``normal``, ``float``, ``tagged-union[...]``) to a
    location; those parts are dropped so that the path names the user's field. With ``missing``
    (a required field is absent) the last part is kept although it is not in ``data``.
    """
    out: list[Any] = []
    node = data
    for k, part in enumerate(loc):
        last = k == len(loc) - 1
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif last and missing:
            node = None
        else:
            continue
        out.append(part)
    return tuple(out)


def error_dict(exc: ScenarioError) -> dict[str, Any]:
    """JSON form of a :class:`ScenarioError`."""
    return {"message": exc.message, "field": exc.field, "line": exc.line, "file": exc.file}


def check_scenario_data(data: Any) -> tuple[Scenario | None, list[dict[str, Any]]]:
    """Validate an edited scenario mapping; return it and *every* problem, each with its field."""
    if not isinstance(data, dict):
        return None, [{"message": "expected a scenario object", "field": None, "line": None}]
    try:
        return Scenario.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors(include_url=False):
            msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            loc = tuple(err.get("loc", ()))
            if err.get("type") == "missing":
                msg = "required field is missing"
            elif err.get("type") == "extra_forbidden":
                msg = "unknown field"
            where = data_loc(data, loc, missing=err.get("type") == "missing")
            errors.append(
                {
                    "message": msg,
                    "field": field_path(where) or None,
                    "line": None,
                    "_union": len(where) < len(loc),
                }
            )
        # a value that fits no member of a union gets one error per member: keep the most precise
        fields = [str(e["field"]) for e in errors]
        errors = [
            {k: v for k, v in e.items() if k != "_union"}
            for e in errors
            if not (
                e["_union"]
                and any(f != e["field"] and f.startswith(str(e["field"])) for f in fields)
            )
        ]
        return None, errors
    except (ValueError, TypeError) as exc:
        return None, [{"message": str(exc), "field": None, "line": None}]


def parse_text(text: str, filename: str, fmt: str | None = None) -> list[Scenario]:
    """Parse the text of a scenario file of any supported format (never executes it)."""
    name = Path(filename).name or "upload"
    if fmt is None:
        fmt = detect_format(Path(name), text)
    if fmt not in IMPORTERS:
        raise ScenarioError(f"unknown format '{fmt}', expected one of {', '.join(FORMATS)}")
    module, func = IMPORTERS[fmt].split(":")
    try:
        importer = getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError):
        raise ScenarioError(
            f"the '{fmt}' format is not available in this installation", file=name
        ) from None
    try:
        scenarios: list[Scenario] = importer(text, name)
    except ScenarioError as exc:
        raise exc.located(file=name) from None
    if not scenarios:
        raise ScenarioError("the file holds no scenario", file=name)
    return scenarios


def decode_upload(raw: bytes, filename: str, max_bytes: int) -> str:
    """Check size, suffix and encoding of an uploaded file and return its text."""
    name = Path(filename).name or "upload"
    if len(raw) > max_bytes:
        raise ScenarioError(
            f"file is {len(raw) / 1024:.0f} KiB, larger than the upload limit of "
            f"{max_bytes / 1024:.0f} KiB",
            file=name,
        )
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ScenarioError(
            f"unsupported file type '{suffix or '(none)'}', expected one of "
            f"{', '.join(UPLOAD_SUFFIXES)}",
            file=name,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start} cannot be decoded)", file=name
        ) from None
    if "\x00" in text:
        raise ScenarioError("binary file, expected a text scenario file", file=name)
    if not text.strip():
        raise ScenarioError("file is empty, expected a scenario", file=name)
    return text


def safe_filename(filename: str) -> str:
    """A file name safe to store: no folders, only ``[A-Za-z0-9._-]``, at most 80 characters."""
    base = Path(filename).name or "upload"
    clean = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".") or "upload"
    return clean[-80:]


class Library:
    """Lists and loads scenarios from folders, from uploads and from the runs of a job manager.

    Parameters
    ----------
    folders:
        ``(origin, folder)`` pairs scanned for ``*.yaml``, ``*.yml`` and ``*.json`` files.
    uploads:
        Folder where accepted uploads are kept (listed with origin ``upload``).
    """

    def __init__(self, folders: list[tuple[str, Path]], uploads: Path) -> None:
        self.folders = [(o, Path(f)) for o, f in folders]
        self.uploads = Path(uploads)
        self.uploads.mkdir(parents=True, exist_ok=True)
        self._cache: dict[Path, tuple[tuple[int, int], list[Scenario] | ScenarioError]] = {}
        self._lock = threading.Lock()

    def _files(self) -> list[tuple[str, Path, Path]]:
        out = []
        for origin, folder in self.folders:
            if folder.is_dir():
                for p in sorted(folder.rglob("*")):
                    if p.is_file() and p.suffix.lower() in LIBRARY_SUFFIXES:
                        out.append((origin, folder, p))
        if self.uploads.is_dir():
            for p in sorted(self.uploads.iterdir()):
                if p.is_file() and p.suffix.lower() in UPLOAD_SUFFIXES:
                    out.append(("upload", self.uploads, p))
        return out

    def _load(self, path: Path) -> list[Scenario] | ScenarioError:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._cache.get(path)
            if hit is not None and hit[0] == stamp:
                return hit[1]
        result: list[Scenario] | ScenarioError
        try:
            text = path.read_text(encoding="utf-8-sig")
            result = parse_text(text, path.name)
        except ScenarioError as exc:
            result = exc
        except (OSError, UnicodeDecodeError) as exc:
            result = ScenarioError(f"cannot read file: {exc}", file=path.name)
        with self._lock:
            self._cache[path] = (stamp, result)
        return result

    def entries(self) -> tuple[list[LibraryEntry], list[dict[str, Any]]]:
        """Every scenario found, and every file that failed to load (with its error)."""
        entries, broken = [], []
        for origin, folder, path in self._files():
            rel = path.relative_to(folder).as_posix()
            loaded = self._load(path)
            if isinstance(loaded, ScenarioError):
                if origin in QUIET_ORIGINS:
                    continue
                broken.append({"origin": origin, "file": rel, "error": error_dict(loaded)})
                continue
            for k, sc in enumerate(loaded):
                entries.append(
                    LibraryEntry(
                        key=f"{origin}:{rel}#{k}",
                        origin=origin,
                        file=rel,
                        index=k,
                        id=sc.id,
                        name=sc.name or sc.id,
                        description=sc.description,
                        n_actors=len(sc.actors),
                        n_issues=len(sc.issues),
                    )
                )
        return entries, broken

    def resolve(self, key: str) -> tuple[Path, int]:
        """The file and index of a library key (``origin:relative/path#index``)."""
        try:
            head, idx = key.rsplit("#", 1)
            origin, rel = head.split(":", 1)
            index = int(idx)
        except ValueError:
            raise KeyError(key) from None
        roots = [f for o, f in self.folders if o == origin]
        if origin == "upload":
            roots = [self.uploads]
        for root in roots:
            path = (root / rel).resolve()
            if path.is_file() and path.is_relative_to(root.resolve()):
                return path, index
        raise KeyError(key)

    def get(self, key: str) -> tuple[Scenario, Path]:
        """The scenario stored under a library key, and its file."""
        path, index = self.resolve(key)
        loaded = self._load(path)
        if isinstance(loaded, ScenarioError):
            raise loaded
        if not 0 <= index < len(loaded):
            raise KeyError(key)
        return loaded[index], path

    def add_upload(self, filename: str, text: str, validated: bool = False) -> list[LibraryEntry]:
        """Validate an uploaded file (unless ``validated`` already) and keep it; return its
        library entries."""
        if not validated:
            parse_text(text, filename)  # raises ScenarioError on any problem
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        name = f"{stamp}-{safe_filename(filename)}"
        (self.uploads / name).write_text(text, encoding="utf-8")
        entries, _ = self.entries()
        return [e for e in entries if e.origin == "upload" and e.file == name]
