"""The scenario format: actors, issues and their stances, validated once at the edge.

A scenario describes who takes part in a negotiation (actors with a capability), what is negotiated
(issues, each on its own numeric scale with labelled points, an optional reference point / status quo
and an optional actual outcome for validation), and where each actor stands on each issue (position
on the issue's own scale, salience in [0, 1]). Optional sections describe the war (``war``) and the
experiment inputs (``uncertainties``, ``assumptions``, ``policies``); they are validated by their own
models so that each part of parley owns its part of the format.

Pydantic lives only in :mod:`parley.scenario`; downstream code receives arrays via
:func:`parley.scenario.arrays.stakeholder_batch`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from parley.scenario._common import StrictModel, finite
from parley.scenario.experiment_schema import ExperimentSpec, check_experiment_paths
from parley.scenario.limits import check_tree, format_path, value_problem
from parley.scenario.observed import ObservedSeries
from parley.scenario.war_schema import WarSpec, check_war_references


class _Strict(StrictModel):
    """Schema sections checked against :mod:`parley.scenario.limits`."""

    @field_validator("*", mode="before")
    @classmethod
    def _within_limits(cls, v: object, info: ValidationInfo) -> object:
        """Every number finite and of bounded magnitude, every text of bounded length
        (:mod:`parley.scenario.limits`), checked before range constraints so that NaN is
        reported as NaN. A number written as text (YAML reads ``1e308`` as a string) is checked
        as the number it becomes."""
        probe = v
        if isinstance(v, str) and info.field_name in _NUMERIC.get(cls, ()):
            try:
                probe = float(v)
            except ValueError:
                probe = v
        problem = value_problem(probe)
        if problem is not None:
            raise ValueError(problem)
        return v


#: Names of the number fields of each model (filled in below the classes).
_NUMERIC: dict[type[BaseModel], frozenset[str]] = {}


class ScalePoint(_Strict):
    """A labelled point on an issue's scale (e.g. ``0: 1991 borders``)."""

    value: float = Field(description="Position on the issue's scale.")
    label: str = Field(min_length=1, description="What this point means.")

    @field_validator("value")
    @classmethod
    def _check_value(cls, v: float) -> float:
        return finite(v, "value")


class Issue(_Strict):
    """One negotiated dimension, on its own numeric scale."""

    id: str = Field(min_length=1, max_length=200, description="Short identifier.")
    name: str = Field(default="", description="Human-readable name.")
    description: str = Field(default="", description="What the scale measures, with units.")
    scale_min: float = Field(default=0.0, description="Lowest value of the scale.")
    scale_max: float = Field(default=100.0, description="Highest value of the scale.")
    unit: str = Field(default="", description="Unit of the scale (e.g. 'km2', 'years').")
    labels: list[ScalePoint] = Field(default_factory=list, description="Labelled scale points.")
    reference_point: float | None = Field(
        default=None, description="Status quo / reversion point if no agreement is reached."
    )
    outcome: float | None = Field(
        default=None, description="The actual outcome, where known (for validation)."
    )
    source: str = Field(default="", description="Where the scale and outcome come from.")

    @field_validator("scale_min", "scale_max", "reference_point", "outcome")
    @classmethod
    def _checkfinite(cls, v: float | None) -> float | None:
        return None if v is None else finite(v, "value")

    @model_validator(mode="after")
    def _check_scale(self) -> Issue:
        if not self.scale_max > self.scale_min:
            raise ValueError(
                f"scale_max ({self.scale_max}) must be greater than scale_min ({self.scale_min})"
            )
        for name in ("reference_point", "outcome"):
            v = getattr(self, name)
            if v is not None and not self.scale_min <= v <= self.scale_max:
                raise ValueError(
                    f"{name} {v} lies outside the scale [{self.scale_min}, {self.scale_max}]"
                )
        for p in self.labels:
            if not self.scale_min <= p.value <= self.scale_max:
                raise ValueError(
                    f"label '{p.label}' at {p.value} lies outside the scale "
                    f"[{self.scale_min}, {self.scale_max}]"
                )
        return self


class Stance(_Strict):
    """An actor's position on one issue (issue's own scale) and how much it cares (salience)."""

    position: float = Field(description="Position on the issue's own scale.")
    salience: float = Field(ge=0.0, le=1.0, description="Salience in [0, 1].")

    @field_validator("position")
    @classmethod
    def _check_position(cls, v: float) -> float:
        return finite(v, "position")


class Actor(_Strict):
    """A stakeholder: who it is, how much it can bring to bear, and where it stands."""

    id: str = Field(min_length=1, max_length=200, description="Short identifier.")
    name: str = Field(default="", description="Human-readable name.")
    capability: float = Field(default=1.0, ge=0.0, description="Relative capability (power).")
    positions: dict[str, Stance] = Field(
        description="Stance per issue id; an actor must take a position on at least one issue."
    )
    source: str = Field(default="", description="Where this actor's numbers come from.")

    @field_validator("capability")
    @classmethod
    def _check_capability(cls, v: float) -> float:
        return finite(v, "capability")

    @field_validator("positions")
    @classmethod
    def _non_empty(cls, v: dict[str, Stance]) -> dict[str, Stance]:
        if not v:
            raise ValueError("an actor needs a position on at least one issue")
        return v


class Scenario(_Strict):
    """A complete scenario: issues, actors and the optional war and experiment sections."""

    id: str = Field(min_length=1, max_length=200, description="Short identifier.")
    name: str = Field(default="", description="Title.")
    description: str = Field(default="", description="What question the scenario answers.")
    source: str = Field(default="", description="Provenance of the data.")
    start_date: str | None = Field(default=None, description="ISO date the scenario starts.")
    issues: list[Issue] = Field(min_length=1, description="The negotiated issues.")
    actors: list[Actor] = Field(min_length=1, description="The stakeholders.")
    war: WarSpec | None = Field(default=None, description="The bargaining-while-fighting model.")
    experiment: ExperimentSpec | None = Field(
        default=None, description="Uncertain inputs, assumption sets and policies."
    )
    metadata: dict[str, Any] = Field(default_factory=dict, description="Free-form notes.")
    observed: dict[str, ObservedSeries] | None = Field(
        default=None,
        description="Observed series drawn beside the simulations (``front``: the area side A "
        "holds); see :mod:`parley.scenario.observed`.",
    )

    @model_validator(mode="before")
    @classmethod
    def _check_limits(cls, data: Any) -> Any:
        """Depth, finite numbers, magnitudes and text lengths of the whole raw document, the
        ``war`` and ``experiment`` sections and ``metadata`` included."""
        found = check_tree(data)
        if found is not None:
            path, message = found
            raise ValueError(f"{format_path(path)}: {message}" if path else message)
        return data

    @field_validator("start_date")
    @classmethod
    def _check_date(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"expected a date YYYY-MM-DD, got '{v[:40]}'") from None
        return v

    @model_validator(mode="before")
    @classmethod
    def _merge_issue_positions(cls, data: Any) -> Any:
        """Accept issue-centric stances: ``issues[k].positions: {actor_id: {position, salience}}``.

        They are moved onto the actors, so both ways of writing a scenario give the same object.
        """
        if not isinstance(data, dict):
            return data
        issues, actors = data.get("issues"), data.get("actors")
        if not isinstance(issues, list) or not isinstance(actors, list):
            return data
        if not any(isinstance(i, dict) and "positions" in i for i in issues):
            return data
        new_actors = [dict(a) if isinstance(a, dict) else a for a in actors]
        by_id = {a.get("id"): a for a in new_actors if isinstance(a, dict)}
        new_issues = []
        for k, issue in enumerate(issues):
            if not isinstance(issue, dict) or "positions" not in issue:
                new_issues.append(issue)
                continue
            issue = dict(issue)
            stances = issue.pop("positions")
            if not isinstance(stances, dict):
                raise ValueError(f"issues[{k}].positions must map actor ids to stances")
            for actor_id, stance in stances.items():
                if actor_id not in by_id:
                    raise ValueError(
                        f"issues[{k}].positions names unknown actor '{actor_id}' "
                        f"(known actors: {', '.join(str(a) for a in by_id)})"
                    )
                actor = by_id[actor_id]
                merged = dict(actor.get("positions") or {})
                merged[issue.get("id")] = stance
                actor["positions"] = merged
            new_issues.append(issue)
        return {**data, "issues": new_issues, "actors": new_actors}

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        issue_ids = [i.id for i in self.issues]
        if len(set(issue_ids)) != len(issue_ids):
            dup = sorted({i for i in issue_ids if issue_ids.count(i) > 1})
            raise ValueError(f"duplicate issue id(s): {', '.join(dup)}")
        actor_ids = [a.id for a in self.actors]
        if len(set(actor_ids)) != len(actor_ids):
            dup = sorted({a for a in actor_ids if actor_ids.count(a) > 1})
            raise ValueError(f"duplicate actor id(s): {', '.join(dup)}")
        known = set(issue_ids)
        for actor in self.actors:
            for issue_id in actor.positions:
                if issue_id not in known:
                    raise ValueError(
                        f"actor '{actor.id}' takes a position on unknown issue '{issue_id}' "
                        f"(known issues: {', '.join(issue_ids)})"
                    )
        by_id = {i.id: i for i in self.issues}
        for actor in self.actors:
            for issue_id, stance in actor.positions.items():
                issue = by_id[issue_id]
                if not issue.scale_min <= stance.position <= issue.scale_max:
                    raise ValueError(
                        f"actor '{actor.id}' position {stance.position} on issue '{issue_id}' "
                        f"lies outside the scale [{issue.scale_min}, {issue.scale_max}]"
                    )
        if self.war is not None:
            check_war_references(self.war, actor_ids, issue_ids)
        check_experiment_paths(self)
        return self

    def issue(self, issue_id: str) -> Issue:
        """Return the issue with this id."""
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def actor(self, actor_id: str) -> Actor:
        """Return the actor with this id."""
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(actor_id)


for _model in (ScalePoint, Issue, Stance, Actor, Scenario):
    _NUMERIC[_model] = frozenset(
        name
        for name, f in _model.model_fields.items()
        if f.annotation in (float, float | None, int, int | None)
    )
