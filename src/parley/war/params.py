"""Compile a scenario's ``war`` section into :class:`WarParams`, a frozen tree of plain arrays.

The tree is derived from the schema mechanically (:func:`to_arrays`): each section of
:class:`~parley.scenario.war_schema.WarSpec` becomes a :class:`Section` whose attributes are the
schema's own field names, so a new schema field reaches the engine without a hand-kept copy:

- numbers and booleans become float arrays of shape ``()`` or ``(runs,)`` (``None`` → NaN);
- a section with sub-sections ``A`` and ``B`` (side-specific parameters) is stacked on a trailing
  side axis: ``p.forces.initial`` has shape ``(..., 2)``;
- a list of items (``supporters``, ``issue_bounds``) is stacked on a trailing item axis:
  ``p.supporters.aid_high_bn_per_year`` has shape ``(..., supporters)``; strings become tuples;
- option strings stay strings and cannot vary by run.

A few values are derived once here because every mechanism needs them in engine form: the side
indices of the supporters, the threatener and the initiator (−1 none, 0 A, 1 B), the territorial
issue's index, the front process (:class:`~parley.war.front.FrontParams`, by the front's own
``front_params_from_spec``),
the stakeholders, and the issue bounds as a range of A's share. Overrides (the experiments'
language) are applied first by :mod:`parley.war.overrides`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario
from parley.war.front import FrontParams, front_params_from_spec
from parley.war.front_parameters import SPEC_FIELDS
from parley.war.overrides import Overrides, apply_overrides

FloatArray = NDArray[np.float64]

#: war.front field -> FrontParams field (the front process's own mapping).
FRONT_FIELDS: dict[str, str] = dict(SPEC_FIELDS)
SIDES = ("A", "B")
WHO = {"none": -1, "A": 0, "B": 1}


class Section:
    """Read-only attribute view of one compiled schema section (field name → array or option)."""

    __slots__ = ("_name", "_values")

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):  # not a parameter (pickling and copying look these up)
            raise AttributeError(key)
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"war.{self._name} has no parameter '{key}'") from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("compiled war parameters are read-only")

    def __getstate__(self) -> tuple[str, dict[str, Any]]:
        return self._name, self._values

    def __setstate__(self, state: tuple[str, dict[str, Any]]) -> None:
        object.__setattr__(self, "_name", state[0])
        object.__setattr__(self, "_values", state[1])

    def names(self) -> tuple[str, ...]:
        """The parameter names of this section."""
        return tuple(self._values)

    def __repr__(self) -> str:
        return f"Section({self._name!r}, {sorted(self._values)})"


def _leaf(value: Any) -> Any:
    if value is None:
        return np.asarray(math.nan)
    if isinstance(value, str):
        return value
    return np.asarray(value, dtype=float)


def _stack(name: str, items: list[Any]) -> Any:
    """Stack one field over sides or list items on a trailing axis."""
    if not items:
        return np.zeros((0,))
    if all(isinstance(v, str) for v in items):
        return tuple(items)
    if all(isinstance(v, dict) for v in items):
        keys = items[0].keys()
        return Section(name, {k: _stack(f"{name}.{k}", [v[k] for v in items]) for k in keys})
    arrs = np.broadcast_arrays(*(np.asarray(_leaf(v), dtype=float) for v in items))
    return np.stack(arrs, axis=-1)


def to_arrays(name: str, value: Any) -> Any:
    """The engine form of one dumped schema value (see the module docstring for the rules)."""
    if isinstance(value, list):
        if not value:
            return Section(name, {})
        keys = value[0].keys()
        return Section(name, {k: _stack(f"{name}.{k}", [v[k] for v in value]) for k in keys})
    if isinstance(value, dict):
        if set(SIDES) <= value.keys() and all(isinstance(value[s], dict) for s in SIDES):
            sides = {k: _stack(f"{name}.{k}", [value["A"][k], value["B"][k]]) for k in value["A"]}
            rest = {k: to_arrays(f"{name}.{k}", v) for k, v in value.items() if k not in SIDES}
            return Section(name, {**sides, **rest})
        if all(isinstance(v, str) for v in value.values()) and set(value) == set(SIDES):
            return Section(name, dict(value))
        return Section(name, {k: to_arrays(f"{name}.{k}", v) for k, v in value.items()})
    return _leaf(value)


@dataclass(frozen=True)
class Stakeholders:
    """Positions of all scenario actors for multi-issue settlement terms."""

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    position: FloatArray  # (actors, issues), NaN where missing
    salience: FloatArray  # (actors, issues)
    capability: FloatArray  # (actors,)
    scale_min: FloatArray  # (issues,)
    scale_max: FloatArray  # (issues,)
    index_A: int
    index_B: int


@dataclass(frozen=True)
class WarParams:
    """Everything the engine needs. Schema sections are attributes (``p.forces.initial``)."""

    scenario_id: str
    start_date: str | None
    side_ids: tuple[str, str]
    supporter_ids: tuple[str, ...]
    supporter_side: NDArray[np.int64]  # (supporters,) 0 = A, 1 = B
    stakeholders: Stakeholders
    front_params: FrontParams
    threatener: int  # -1 none, 0 A, 1 B
    initiator: int  # -1 none, 0 A, 1 B
    territory_issue: int  # -1 if none
    bounds_share: FloatArray  # (..., 2): range [lo, hi] of A's share that every issue bound allows
    step_days: float
    horizon_steps: int
    sections: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        sections = self.__dict__.get("sections", {})
        if name in sections:
            return sections[name]
        raise AttributeError(f"WarParams has no attribute or war section '{name}'")


def _stakeholders(scenario: Scenario, war: dict[str, Any]) -> Stakeholders:
    actors = [a.id for a in scenario.actors]
    issues = [i.id for i in scenario.issues]
    pos = np.full((len(actors), len(issues)), np.nan)
    sal = np.full((len(actors), len(issues)), np.nan)
    for a, actor in enumerate(scenario.actors):
        for issue_id, stance in actor.positions.items():
            k = issues.index(issue_id)
            pos[a, k] = stance.position
            sal[a, k] = stance.salience
    return Stakeholders(
        actor_ids=tuple(actors),
        issue_ids=tuple(issues),
        position=pos,
        salience=sal,
        capability=np.array([a.capability for a in scenario.actors], dtype=float),
        scale_min=np.array([i.scale_min for i in scenario.issues], dtype=float),
        scale_max=np.array([i.scale_max for i in scenario.issues], dtype=float),
        index_A=actors.index(war["sides"]["A"]),
        index_B=actors.index(war["sides"]["B"]),
    )


def _front_params(front: dict[str, Any], region: dict[str, Any]) -> FrontParams:
    """FrontParams from the dumped ``war.front`` (:func:`parley.war.front.front_params_from_spec`)."""
    return front_params_from_spec(
        front,
        area_min=float(np.min(region["area_min_km2"])),
        area_max=float(np.max(region["area_max_km2"])),
    )


def bounds_on_share(stake: Stakeholders, bounds: list[dict[str, Any]]) -> FloatArray:
    """The range ``[lo, hi]`` of A's share x that keeps every issue inside every side's bounds.

    Terms on issue k move linearly with x between B's and A's positions,
    ``v_k(x) = pos_B + x·(pos_A − pos_B)`` (the ``share`` terms model), so a bound ``v_k ≥ m``
    or ``v_k ≤ M`` is a bound on x. An issue where both sides stand at the same point is either
    always inside a bound or never (then the range is empty: lo = 1, hi = 0).
    """
    lo: Any = np.asarray(0.0)
    hi: Any = np.asarray(1.0)
    for b in bounds:
        k = stake.issue_ids.index(b["issue"])
        pa, pb = stake.position[stake.index_A, k], stake.position[stake.index_B, k]
        slope = pa - pb
        for limit, is_min in ((b["min"], True), (b["max"], False)):
            if limit is None:
                continue
            lim = np.asarray(limit, dtype=float)
            if slope == 0 or not np.isfinite(slope):
                ok = (pb >= lim) if is_min else (pb <= lim)
                lo, hi = np.where(ok, lo, 1.0), np.where(ok, hi, 0.0)
                continue
            x = (lim - pb) / slope
            if (slope > 0) == is_min:
                lo = np.maximum(lo, x)
            else:
                hi = np.minimum(hi, x)
    lo, hi = np.broadcast_arrays(lo, hi)
    return np.stack([lo, hi], axis=-1)


def _check_terms_model(model: str) -> None:
    from parley.negotiation.registry import MODELS  # noqa: PLC0415 (keeps the import graph flat)

    if model != "share" and model not in MODELS:
        raise ScenarioError(
            f"unknown stakeholder model '{model}'; expected 'share' or one of "
            f"{', '.join(sorted(MODELS))}",
            field="war.settlement.terms_model",
        )


def compile_war(
    scenario: Scenario, overrides: Overrides | None = None, n_runs: int | None = None
) -> WarParams:
    """Validate overrides and turn ``scenario.war`` into :class:`WarParams`.

    Raises :class:`ScenarioError` if the scenario has no war section, an override names an unknown
    parameter, has the wrong length, or makes the section invalid (checked at the override's
    minimum and maximum).
    """
    if scenario.war is None:
        raise ScenarioError("scenario has no 'war' section", field="war")
    d, _ = apply_overrides(scenario.war, overrides or {}, n_runs)
    _check_terms_model(str(d["settlement"]["terms_model"]))
    stake = _stakeholders(scenario, d)
    issue = d["settlement"]["territory_issue"]
    sups: list[dict[str, Any]] = d["supporters"]
    sections = {k: to_arrays(k, v) for k, v in d.items() if k not in ("sides",)}
    return WarParams(
        scenario_id=scenario.id,
        start_date=scenario.start_date,
        side_ids=(d["sides"]["A"], d["sides"]["B"]),
        supporter_ids=tuple(s["actor"] for s in sups),
        supporter_side=np.array([WHO[s["side"]] for s in sups], dtype=np.int64),
        stakeholders=stake,
        front_params=_front_params(d["front"], d["region"]),
        threatener=WHO[d["escalation"]["threatener"]],
        initiator=WHO[d["policy"]["initiator"]],
        territory_issue=-1 if issue is None else stake.issue_ids.index(issue),
        bounds_share=bounds_on_share(stake, d["issue_bounds"]),
        step_days=float(d["time"]["step_days"]),
        horizon_steps=int(d["time"]["horizon_steps"]),
        sections=sections,
    )
