"""Limits on what a scenario file may hold, and the guarded YAML and JSON readers that apply them.

A scenario is a small document: tens of actors and issues, numbers of everyday magnitude, short
texts. Files that are not — a YAML "billion laughs" whose aliases expand to a billion nodes, JSON
nested thousands deep, a number of 1e308 that turns every forecast into ``inf``, a megabyte-long
actor name — are refused here with one located :class:`ScenarioError` before any model sees them.
The limits and their defaults are listed in ``docs/security.md``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import yaml

from parley.scenario.errors import ScenarioError

#: Deepest nesting of mappings and lists (the richest scenario section nests about 6 deep).
MAX_DEPTH = 64
#: Most YAML alias references (``*name``) in one file.
MAX_ALIASES = 1000
#: Most nodes a YAML document may hold once every alias is expanded.
MAX_NODES = 200_000
#: Largest magnitude of any number (1e15: beyond any area in km², population, or money in $).
MAX_MAGNITUDE = 1e15
#: Longest text of any string field or key (characters); ids are capped at 200 by the schema.
MAX_TEXT = 20_000

Path_ = tuple[str | int, ...]


def format_path(path: Path_) -> str:
    """``("actors", 0, "capability")`` -> ``actors[0].capability``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def value_problem(value: Any) -> str | None:
    """What is wrong with one scalar (non-finite, too large, too long), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if abs(value) > MAX_MAGNITUDE:
            return f"number too large (magnitude above the limit of {MAX_MAGNITUDE:g})"
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"must be a finite number, got {value}"
        if abs(value) > MAX_MAGNITUDE:
            return f"number {value:g} is too large (magnitude above the limit of {MAX_MAGNITUDE:g})"
        return None
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"text of {len(value)} characters is longer than the limit of {MAX_TEXT}"
        if _EXPONENT.fullmatch(value.strip()):  # YAML 1.1 reads 1e308 (no dot) as text
            return value_problem(float(value))
    return None


#: A number in exponent form without a dot, which YAML 1.1 leaves as a string but pydantic
#: converts to a float.
_EXPONENT = re.compile(r"[+-]?[0-9]+[eE][+-]?[0-9]+")


def _children(node: Any, path: Path_) -> Iterator[tuple[Any, Path_]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield v, path + (k if isinstance(k, str | int) else str(k),)
    elif isinstance(node, list | tuple):
        for k, v in enumerate(node):
            yield v, path + (k,)


def check_tree(data: Any) -> tuple[Path_, str] | None:
    """The first problem in decoded data (depth, numbers, texts) as ``(path, message)``, or None.

    Iterative, so arbitrarily deep input cannot exhaust the stack.
    """
    stack: list[tuple[Any, Path_]] = [(data, ())]
    seen = 0
    while stack:
        node, path = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            return path, f"document holds more than {MAX_NODES} values"
        if len(path) > MAX_DEPTH:
            return path[:MAX_DEPTH], f"nested deeper than the limit of {MAX_DEPTH} levels"
        if isinstance(node, dict):
            for key in node:
                if isinstance(key, str) and len(key) > MAX_TEXT:
                    return path, f"a key of {len(key)} characters is longer than {MAX_TEXT}"
        problem = value_problem(node)
        if problem is not None:
            return path, problem
        children = list(_children(node, path))
        stack.extend(reversed(children))
    return None


def check_data(data: Any, file: str | None = None, lines: dict[Any, int] | None = None) -> None:
    """Raise a located :class:`ScenarioError` for the first problem :func:`check_tree` finds."""
    found = check_tree(data)
    if found is None:
        return
    path, message = found
    line = None
    if lines:
        probe = tuple(path)
        while probe and probe not in lines:
            probe = probe[:-1]
        line = lines.get(probe)
    raise ScenarioError(message, file=file, field=format_path(path) or None, line=line)


# --- YAML -------------------------------------------------------------------------------------


def _scan_events(text: str, file: str | None) -> None:
    """Refuse deep nesting and too many aliases from the event stream (iterative, no nodes)."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ScenarioError(
                    f"nested deeper than the limit of {MAX_DEPTH} levels",
                    file=file,
                    line=_line(event.start_mark),
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise ScenarioError(
                    f"more than {MAX_ALIASES} aliases (*name); write the values out",
                    file=file,
                    line=_line(event.start_mark),
                )


def _line(mark: Any) -> int | None:
    return None if mark is None else int(mark.line) + 1


def _check_nodes(root: yaml.Node, file: str | None) -> None:
    """Refuse recursive aliases, duplicate keys and an expanded size beyond :data:`MAX_NODES`."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = _node_children(node)
            total = 1 + sum(size[id(k)] for k in kids)
            if total > MAX_NODES:
                raise ScenarioError(
                    f"aliases expand this document beyond {MAX_NODES} values; write it without "
                    "nested aliases",
                    file=file,
                    line=node.start_mark.line + 1,
                )
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise ScenarioError(
                "recursive alias (an anchor refers to itself)",
                file=file,
                line=node.start_mark.line + 1,
            )
        on_path.add(key)
        if isinstance(node, yaml.MappingNode):
            names: set[str] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in names:
                        raise ScenarioError(
                            f"duplicate key '{key_node.value[:80]}' in one mapping",
                            file=file,
                            line=key_node.start_mark.line + 1,
                        )
                    names.add(key_node.value)
        stack.append((node, True))
        stack.extend((k, False) for k in _node_children(node) if id(k) not in size)


def _node_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _yaml_error(exc: yaml.YAMLError, file: str | None) -> ScenarioError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return ScenarioError(f"malformed YAML: {exc.problem or exc.context}", file=file, line=line)
    return ScenarioError(f"malformed YAML: {exc}", file=file)


def load_yaml(text: str, file: str | None = None) -> tuple[Any, yaml.Node | None]:
    """Parse YAML with the safe loader under the depth, alias and size limits.

    Returns the data and the root node (for line numbers). Every problem is a ScenarioError.
    """
    try:
        _scan_events(text, file)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, None
            _check_nodes(node, file)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except ScenarioError:
        raise
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    except RecursionError:
        raise ScenarioError(
            f"nested deeper than the limit of {MAX_DEPTH} levels", file=file
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a timestamp or number out of range
        raise ScenarioError(f"malformed YAML value: {exc}", file=file) from None
    return data, node


# --- JSON -------------------------------------------------------------------------------------


def load_json(text: str, file: str | None = None) -> Any:
    """Parse JSON under the depth limit; NaN/Infinity tokens and huge numbers are refused later
    by :func:`check_data`. Every problem is a ScenarioError."""
    if json_depth(text) > MAX_DEPTH:
        raise ScenarioError(f"nested deeper than the limit of {MAX_DEPTH} levels", file=file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"malformed JSON: {exc.msg}", file=file, line=exc.lineno) from None
    except (RecursionError, ValueError) as exc:  # e.g. an integer of more than 4300 digits
        raise ScenarioError(f"malformed JSON: {exc}", file=file) from None


def json_depth(text: str | bytes) -> int:
    """Deepest bracket nesting of JSON text, ignoring brackets inside strings (vectorised scan)."""
    import numpy as np  # noqa: PLC0415 (only JSON needs it)

    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    structure = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    if not structure:
        return 0
    codes = np.frombuffer(structure, dtype=np.uint8)
    steps = np.where((codes == 0x5B) | (codes == 0x7B), 1, -1)
    return int(np.cumsum(steps).max())


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
