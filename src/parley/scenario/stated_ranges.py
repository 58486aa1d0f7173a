"""Stated ranges of the stakeholder inputs: capabilities, positions and saliences.

A scenario states each actor's capability, position and salience as a point value, and may state a
range for each under ``metadata.capabilities.<actor>.range`` and
``metadata.stances.<actor>.<issue>.position_range`` / ``salience_range`` (each with a ``source``).
:func:`input_ranges` reads and checks them; the Monte Carlo analysis of
:mod:`parley.analysis.stakeholder_bands` draws inside them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.scenario.arrays import stakeholder_batch
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class InputRanges:
    """Lower and upper bounds of every stakeholder input, shaped like a one-scenario batch.

    ``position_lo/hi`` and ``salience_lo/hi`` are ``(actors, issues)`` (NaN where an actor takes no
    position), ``capability_lo/hi`` are ``(actors,)``; ``sources`` maps a parameter path such as
    ``UKR.territory.position`` to its stated source.
    """

    position_lo: FloatArray
    position_hi: FloatArray
    salience_lo: FloatArray
    salience_hi: FloatArray
    capability_lo: FloatArray
    capability_hi: FloatArray
    sources: Mapping[str, str]


def _range(value: Any, where: str, lo_ok: float, hi_ok: float, base: float) -> tuple[float, float]:
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        raise ScenarioError(
            f"expected a range [low, high] of two numbers, got {value!r}", field=where
        )
    lo, hi = float(value[0]), float(value[1])
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
        raise ScenarioError(f"expected low <= high, got [{lo}, {hi}]", field=where)
    if lo < lo_ok or hi > hi_ok:
        raise ScenarioError(
            f"range [{lo}, {hi}] leaves the allowed [{lo_ok}, {hi_ok}]", field=where
        )
    if not lo <= base <= hi:
        raise ScenarioError(
            f"range [{lo}, {hi}] does not contain the scenario's value {base}", field=where
        )
    return lo, hi


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ScenarioError(f"expected a mapping, got {type(value).__name__}", field=where)
    return value


def input_ranges(scenario: Scenario) -> InputRanges:
    """Read the stated ranges of capabilities, positions and saliences from ``metadata``.

    An input without a stated range is held at its value. Raises :class:`ScenarioError` naming the
    metadata field when a range is malformed, leaves the issue's scale or excludes the point value.
    """
    batch = stakeholder_batch(scenario)
    pos, sal, cap = batch.position[0], batch.salience[0], batch.capability[0]
    p_lo, p_hi, s_lo, s_hi = pos.copy(), pos.copy(), sal.copy(), sal.copy()
    c_lo, c_hi = cap.copy(), cap.copy()
    sources: dict[str, str] = {}
    caps = _mapping(scenario.metadata.get("capabilities"), "metadata.capabilities")
    stances = _mapping(scenario.metadata.get("stances"), "metadata.stances")
    actor_ids = [a.id for a in scenario.actors]
    issue_ids = [i.id for i in scenario.issues]
    for name in list(caps) + list(stances):
        if name not in actor_ids:
            raise ScenarioError(
                f"unknown actor '{name}' (known actors: {', '.join(actor_ids)})",
                field=f"metadata.{'capabilities' if name in caps else 'stances'}.{name}",
            )
    for a, actor in enumerate(scenario.actors):
        sources[f"{actor.id}.capability"] = actor.source
        entry = _mapping(caps.get(actor.id), f"metadata.capabilities.{actor.id}")
        if "range" in entry:
            where = f"metadata.capabilities.{actor.id}.range"
            c_lo[a], c_hi[a] = _range(entry["range"], where, 0.0, math.inf, cap[a])
        if entry.get("source"):
            sources[f"{actor.id}.capability"] = str(entry["source"])
        per_issue = _mapping(stances.get(actor.id), f"metadata.stances.{actor.id}")
        for issue_id in per_issue:
            if issue_id not in actor.positions:
                raise ScenarioError(
                    f"actor '{actor.id}' takes no position on '{issue_id}' "
                    f"(positions: {', '.join(actor.positions)})",
                    field=f"metadata.stances.{actor.id}.{issue_id}",
                )
        for k, issue_id in enumerate(issue_ids):
            if issue_id not in actor.positions:
                continue
            issue = scenario.issues[k]
            where = f"metadata.stances.{actor.id}.{issue_id}"
            stance = _mapping(per_issue.get(issue_id), where)
            if "position_range" in stance:
                p_lo[a, k], p_hi[a, k] = _range(
                    stance["position_range"],
                    f"{where}.position_range",
                    issue.scale_min,
                    issue.scale_max,
                    pos[a, k],
                )
            if "salience_range" in stance:
                s_lo[a, k], s_hi[a, k] = _range(
                    stance["salience_range"], f"{where}.salience_range", 0.0, 1.0, sal[a, k]
                )
            source = str(stance.get("source") or actor.source)
            sources[f"{actor.id}.{issue_id}.position"] = source
            sources[f"{actor.id}.{issue_id}.salience"] = source
    return InputRanges(p_lo, p_hi, s_lo, s_hi, c_lo, c_hi, sources)
