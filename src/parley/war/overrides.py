"""The override language of experiments: dotted paths into a scenario's ``war`` section.

A path names one parameter as written in YAML, with or without the leading ``war.``:
``"war.front.drift_km2_per_day"``, ``"war.beliefs.A.mean"``,
``"war.supporters.usa.aid_high_bn_per_year"`` (list items are addressed by their ``actor`` or
``issue`` id, or by a 0-based index). A value is a number, a string or bool for option fields, or
an array of shape ``(n_runs,)`` — one value per Monte Carlo run. Arrays are validated at their
minimum and maximum against the schema (:class:`parley.scenario.war_schema.WarSpec`), so a bad
value is a :class:`~parley.scenario.errors.ScenarioError` naming the field.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from parley.scenario.errors import ScenarioError
from parley.scenario.load import validation_error
from parley.scenario.war_schema import WarSpec

Overrides = Mapping[str, "float | int | str | bool | NDArray[np.float64]"]
#: Keys that identify an item of a list in the war section.
ITEM_KEYS = ("actor", "issue", "id")


def _item_index(node: list[Any], part: str) -> int | None:
    for j, item in enumerate(node):
        if isinstance(item, dict) and any(item.get(k) == part for k in ITEM_KEYS):
            return j
    if part.isdigit() and int(part) < len(node):
        return int(part)
    return None


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the parameter named by ``path`` in the dumped war section ``data`` (in place)."""
    parts = path.split(".")
    if parts and parts[0] == "war":
        parts = parts[1:]
    node: Any = data
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if isinstance(node, list):
            idx = _item_index(node, part)
            if idx is None:
                raise ScenarioError(f"no list item '{part}' in the war section", field=path)
            if last:
                raise ScenarioError("cannot override a whole list item", field=path)
            node = node[idx]
            continue
        if not isinstance(node, dict) or part not in node:
            raise ScenarioError("unknown war parameter (check the spelling)", field=path)
        if last:
            if isinstance(node[part], dict | list):
                raise ScenarioError("override must name a single parameter", field=path)
            node[part] = value
        else:
            node = node[part]


def validate_section(data: dict[str, Any]) -> WarSpec:
    """Validate a dumped war section; a failure is a ScenarioError on ``war.<field>``."""
    try:
        return WarSpec.model_validate(data)
    except ValidationError as exc:
        err = validation_error(exc, None)
        raise ScenarioError(err.message, field="war." + (err.field or "")) from None


def _restore_types(data: Any, like: Any) -> Any:
    """Make 0.0/1.0 overrides of boolean fields booleans again before validation."""
    if isinstance(data, dict):
        return {
            k: _restore_types(v, like.get(k) if isinstance(like, dict) else None)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [
            _restore_types(v, like[i] if isinstance(like, list) and i < len(like) else None)
            for i, v in enumerate(data)
        ]
    if isinstance(like, bool) and isinstance(data, float | int):
        return bool(data)
    return data


def _run_array(path: str, arr: NDArray[Any], n_runs: int | None) -> tuple[NDArray[Any], int]:
    if n_runs is None:
        n_runs = int(arr.shape[0])
    if arr.shape[0] != n_runs:
        raise ScenarioError(
            f"override has {arr.shape[0]} values, expected n_runs = {n_runs}", field=path
        )
    if not np.issubdtype(arr.dtype, np.number) and arr.dtype != np.bool_:
        raise ScenarioError("array overrides must be numeric", field=path)
    a = arr.astype(float)
    if not np.all(np.isfinite(a)):
        raise ScenarioError("override contains NaN or infinite values", field=path)
    return a, n_runs


def apply_overrides(
    spec: WarSpec, overrides: Overrides, n_runs: int | None
) -> tuple[dict[str, Any], int | None]:
    """The dumped war section with ``overrides`` applied, and the run count they imply.

    Raises :class:`ScenarioError` for an unknown path, an array of the wrong length or with
    non-finite values, or a value that makes the section invalid (checked at each array's
    minimum and maximum).
    """
    base = spec.model_dump()
    lo, hi, out = copy.deepcopy(base), copy.deepcopy(base), copy.deepcopy(base)
    for path, value in overrides.items():
        arr = np.asarray(value)
        if arr.ndim > 1:
            raise ScenarioError("override must be a number or a 1-d array over runs", field=path)
        if arr.ndim == 1:
            a, n_runs = _run_array(path, arr, n_runs)
            set_path(lo, path, float(a.min()))
            set_path(hi, path, float(a.max()))
            set_path(out, path, a)
        else:
            v = value.item() if isinstance(value, np.generic | np.ndarray) else value
            for d in (lo, hi, out):
                set_path(d, path, v)
    validate_section(_restore_types(lo, base))
    validate_section(_restore_types(hi, base))
    return out, n_runs
