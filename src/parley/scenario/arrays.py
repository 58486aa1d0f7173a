"""Scenarios to arrays: the batched layout every stakeholder model consumes.

Models take arrays with a leading batch axis, ``(batch, actors, issues)``, with NaN where an actor
has no position on an issue. Scenarios of different sizes are padded with NaN (and zero capability)
so that many negotiations are forecast in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.scenario.schema import Scenario

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class StakeholderBatch:
    """Positions, saliences and capabilities of many negotiations, padded to a common shape.

    Attributes
    ----------
    position:
        ``(batch, actors, issues)`` positions on each issue's own scale, NaN where missing.
    salience:
        ``(batch, actors, issues)`` saliences in [0, 1], NaN where missing.
    capability:
        ``(batch, actors)`` capabilities, 0 for padding actors.
    scale_min, scale_max:
        ``(batch, issues)`` scale bounds (padding issues get 0 and 1).
    reference:
        ``(batch, issues)`` reference point / status quo, NaN if unknown.
    outcome:
        ``(batch, issues)`` actual outcome, NaN if unknown.
    scenario_ids, actor_ids, issue_ids:
        Labels; ``actor_ids[b]`` and ``issue_ids[b]`` list the real (unpadded) entries of scenario b.
    """

    position: FloatArray
    salience: FloatArray
    capability: FloatArray
    scale_min: FloatArray
    scale_max: FloatArray
    reference: FloatArray
    outcome: FloatArray
    scenario_ids: tuple[str, ...]
    actor_ids: tuple[tuple[str, ...], ...]
    issue_ids: tuple[tuple[str, ...], ...]

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(batch, actors, issues)``."""
        b, a, i = self.position.shape
        return int(b), int(a), int(i)

    def normalised_position(self) -> FloatArray:
        """Positions mapped to [0, 1] on each issue's scale."""
        span = (self.scale_max - self.scale_min)[:, None, :]
        return (self.position - self.scale_min[:, None, :]) / span

    def to_scale(self, unit_values: FloatArray) -> FloatArray:
        """Map ``(batch, issues)`` values in [0, 1] back to each issue's own scale."""
        return self.scale_min + unit_values * (self.scale_max - self.scale_min)


def stakeholder_batch(scenarios: Sequence[Scenario] | Scenario) -> StakeholderBatch:
    """Stack one or many scenarios into a :class:`StakeholderBatch` (NaN-padded)."""
    if isinstance(scenarios, Scenario):
        scenarios = [scenarios]
    if not scenarios:
        raise ValueError("need at least one scenario")
    n_b = len(scenarios)
    n_a = max(len(s.actors) for s in scenarios)
    n_i = max(len(s.issues) for s in scenarios)
    position = np.full((n_b, n_a, n_i), np.nan)
    salience = np.full((n_b, n_a, n_i), np.nan)
    capability = np.zeros((n_b, n_a))
    scale_min = np.zeros((n_b, n_i))
    scale_max = np.ones((n_b, n_i))
    reference = np.full((n_b, n_i), np.nan)
    outcome = np.full((n_b, n_i), np.nan)
    for b, sc in enumerate(scenarios):
        col = {issue.id: k for k, issue in enumerate(sc.issues)}
        for k, issue in enumerate(sc.issues):
            scale_min[b, k] = issue.scale_min
            scale_max[b, k] = issue.scale_max
            if issue.reference_point is not None:
                reference[b, k] = issue.reference_point
            if issue.outcome is not None:
                outcome[b, k] = issue.outcome
        for a, actor in enumerate(sc.actors):
            capability[b, a] = actor.capability
            for issue_id, stance in actor.positions.items():
                position[b, a, col[issue_id]] = stance.position
                salience[b, a, col[issue_id]] = stance.salience
    return StakeholderBatch(
        position=position,
        salience=salience,
        capability=capability,
        scale_min=scale_min,
        scale_max=scale_max,
        reference=reference,
        outcome=outcome,
        scenario_ids=tuple(s.id for s in scenarios),
        actor_ids=tuple(tuple(a.id for a in s.actors) for s in scenarios),
        issue_ids=tuple(tuple(i.id for i in s.issues) for s in scenarios),
    )
