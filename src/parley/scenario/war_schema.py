"""The ``war`` section of a scenario: parameters of the bargaining-while-fighting simulator.

Owned by the war simulator (:mod:`parley.war`); every field below has a default, a unit and a
source, documented in ``docs/war-model.md``. Side-specific parameters are written once per
belligerent under the keys ``A`` and ``B`` (``war.beliefs.A.mean``), where ``A`` is the side whose
occupied area the front measures (area rising = A gains) and ``B`` its opponent. A minimal section::

    war:
      sides: {A: russia, B: ukraine}
      supporters: [{actor: usa, side: B}]
      region: {area_min_km2: 0, area_max_km2: 603550, initial_area_km2: 118000}

This module holds the sides, the contested region, the policy levers, the time grid and
:class:`WarSpec`, which assembles the sections; each other section lives in its own module beside
it (:mod:`~parley.scenario.front_schema`, :mod:`~parley.scenario.aid_schema`,
:mod:`~parley.scenario.forces_schema`, :mod:`~parley.scenario.beliefs_schema`,
:mod:`~parley.scenario.politics_schema`, :mod:`~parley.scenario.escalation_schema`,
:mod:`~parley.scenario.settlement_schema`) and every section class is importable from here too.
Checks within one section are validators of its class; checks across sections are
:meth:`WarSpec._cross`; :func:`check_war_references` checks that the actor and issue ids exist and
is called by :class:`~parley.scenario.schema.Scenario`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field, model_validator

from parley.scenario._common import FiniteModel, unit_field
from parley.scenario.aid_schema import AidDynamics, Supporter
from parley.scenario.beliefs_schema import Beliefs, SideBelief
from parley.scenario.escalation_schema import Escalation
from parley.scenario.forces_schema import Attrition, Contest, Forces, SideForces
from parley.scenario.front_schema import Front
from parley.scenario.politics_schema import Costs, SideCost, SideSupport, Support
from parley.scenario.settlement_schema import (
    Commitment,
    Durability,
    Guarantees,
    IssueBound,
    Renege,
    Settlement,
    SideGuarantee,
    SideRenege,
)

__all__ = [
    "AidDynamics",
    "Attrition",
    "Beliefs",
    "Commitment",
    "Contest",
    "Costs",
    "Durability",
    "Escalation",
    "Forces",
    "Front",
    "Guarantees",
    "IssueBound",
    "Region",
    "Renege",
    "Settlement",
    "SideBelief",
    "SideCost",
    "SideForces",
    "SideGuarantee",
    "SideRenege",
    "SideSupport",
    "Sides",
    "Support",
    "Supporter",
    "Time",
    "WarPolicy",
    "WarSpec",
    "check_war_references",
]


class Sides(FiniteModel):
    """The two belligerents, as actor ids of the scenario."""

    A: str = Field(description="Actor id of side A (the side whose occupied area is the front).")
    B: str = Field(description="Actor id of side B (the defender of the contested region).")

    @model_validator(mode="after")
    def _distinct(self) -> Sides:
        if self.A == self.B:
            raise ValueError(f"sides A and B must be different actors, both are '{self.A}'")
        return self


class Region(FiniteModel):
    """The contested region: bounds of the occupied area and its discrete ("forts") form."""

    area_min_km2: float = unit_field(0.0, "Occupied area at which A has lost everything, km².", 0)
    area_max_km2: float = unit_field(100000.0, "Occupied area at which A holds all it claims, km².")
    initial_area_km2: float = unit_field(50000.0, "Area occupied by A at the start, km².", 0)
    forts: int = Field(default=10, ge=2, le=1000, description="Number N of forts (discrete form).")
    population_density_per_km2: float = unit_field(
        50.0, "People per km² of occupied area (population-under-occupation proxy).", 0
    )
    red_line_km2: float | None = Field(
        default=None, description="A's red line: area below which escalation hazard rises, km²."
    )

    @model_validator(mode="after")
    def _bounds(self) -> Region:
        if not self.area_max_km2 > self.area_min_km2:
            raise ValueError(
                f"area_max_km2 ({self.area_max_km2}) must exceed area_min_km2 ({self.area_min_km2})"
            )
        if not self.area_min_km2 < self.initial_area_km2 < self.area_max_km2:
            raise ValueError(
                f"initial_area_km2 ({self.initial_area_km2}) must lie strictly inside "
                f"[{self.area_min_km2}, {self.area_max_km2}]"
            )
        return self


class WarPolicy(FiniteModel):
    """Policies the analyst compares (war-model §8); defaults are neutral."""

    negotiate_from_step: int = Field(default=0, ge=0, description="First step with talks open.")
    negotiate_when_area_below_km2: float | None = Field(default=None)
    negotiate_when_support_below: float | None = Field(default=None, ge=0, le=1)
    initiator: Literal["none", "A", "B"] = Field(default="none")
    concession: float = unit_field(0.0, "Initiator's pre-concession, share of the stakes.", 0, 1)
    signal_strength: float = unit_field(0.0, "Pseudo-battles added to the opponent's optimism.", 0)
    aid_multiplier: float = unit_field(1.0, "Multiplier on all supporters' aid.", 0)
    aid_conditional_on_talks: bool = Field(
        default=False, description="Aid is multiplied only while talks are open."
    )
    threat_response: Literal["hold", "cut_aid"] = Field(default="hold")
    threat_aid_cut: float = unit_field(
        0.5, "Share of aid cut per unit of threat credibility.", 0, 1
    )


class Time(FiniteModel):
    """Time step and horizon."""

    step_days: float = unit_field(7.0, "Length of one step, days.", 1e-9)
    horizon_steps: int = Field(default=260, ge=1, le=100000)


class WarSpec(FiniteModel):
    """Parameters of the bargaining-while-fighting model (see ``docs/war-model.md``)."""

    sides: Sides
    supporters: list[Supporter] = Field(default_factory=list)
    region: Region = Field(default_factory=Region)
    front: Front = Field(default_factory=Front)
    forces: Forces = Field(default_factory=Forces)
    contest: Contest = Field(default_factory=Contest)
    attrition: Attrition = Field(default_factory=Attrition)
    beliefs: Beliefs = Field(default_factory=Beliefs)
    costs: Costs = Field(default_factory=Costs)
    support: Support = Field(default_factory=Support)
    escalation: Escalation = Field(default_factory=Escalation)
    settlement: Settlement = Field(default_factory=Settlement)
    guarantees: Guarantees = Field(default_factory=Guarantees)
    durability: Durability = Field(default_factory=Durability)
    policy: WarPolicy = Field(default_factory=WarPolicy)
    time: Time = Field(default_factory=Time)
    renege: Renege = Field(default_factory=Renege)
    commitment: Commitment = Field(default_factory=Commitment)
    issue_bounds: list[IssueBound] = Field(default_factory=list)
    aid_dynamics: AidDynamics = Field(default_factory=AidDynamics)

    @model_validator(mode="after")
    def _cross(self) -> WarSpec:
        red = self.region.red_line_km2
        if red is not None and not self.region.area_min_km2 <= red <= self.region.area_max_km2:
            raise ValueError("region.red_line_km2 must lie within [area_min_km2, area_max_km2]")
        if self.policy.initiator == "none" and self.policy.concession > 0:
            raise ValueError("policy.concession > 0 needs policy.initiator A or B")
        if self.escalation.threatener == "none" and self.escalation.threat_prob_per_month > 0:
            raise ValueError(
                "escalation.threat_prob_per_month > 0 needs escalation.threatener A or B"
            )
        if self.policy.initiator == "none" and self.policy.signal_strength > 0:
            raise ValueError("policy.signal_strength > 0 needs policy.initiator A or B")
        return self


def check_war_references(war: WarSpec, actor_ids: Sequence[str], issue_ids: Sequence[str]) -> None:
    """Check that the war section names existing actors and issues; raise ``ValueError`` if not."""
    known = set(actor_ids)
    for key, actor in (("A", war.sides.A), ("B", war.sides.B)):
        if actor not in known:
            raise ValueError(
                f"war.sides.{key} names unknown actor '{actor}' (known: {', '.join(actor_ids)})"
            )
    for k, sup in enumerate(war.supporters):
        if sup.actor not in known:
            raise ValueError(
                f"war.supporters[{k}].actor names unknown actor '{sup.actor}' "
                f"(known: {', '.join(actor_ids)})"
            )
        if sup.actor in (war.sides.A, war.sides.B):
            raise ValueError(f"war.supporters[{k}].actor '{sup.actor}' is a belligerent")
    for k, bound in enumerate(war.issue_bounds):
        if bound.issue not in set(issue_ids):
            raise ValueError(
                f"war.issue_bounds[{k}].issue names unknown issue '{bound.issue}' "
                f"(known: {', '.join(issue_ids)})"
            )
    issue = war.settlement.territory_issue
    if issue is not None and issue not in set(issue_ids):
        raise ValueError(
            f"war.settlement.territory_issue names unknown issue '{issue}' "
            f"(known: {', '.join(issue_ids)})"
        )
