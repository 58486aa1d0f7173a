"""The ``war.beliefs`` section of a scenario: each side's Beta prior over the battle odds.

Beta priors over θ = P(A wins a battle) and their learning (Smith & Stam 2004). Used by
:class:`~parley.scenario.war_schema.WarSpec`.
"""

from __future__ import annotations

from pydantic import Field

from parley.scenario._common import FiniteModel, unit_field


class SideBelief(FiniteModel):
    """A side's Beta prior over θ (Smith & Stam 2004)."""

    mean: float = unit_field(0.5, "Prior mean of θ = P(A wins a battle).", 1e-6, 1 - 1e-6)
    strength: float = unit_field(10.0, "Prior strength α+β (pseudo-battles).", 1e-6)
    observation_share: float = unit_field(
        1.0, "Share of battles whose outcome this side observes (its own signal).", 1e-6, 1
    )


class Beliefs(FiniteModel):
    """Both sides' priors and the learning rule."""

    A: SideBelief = Field(default_factory=SideBelief)
    B: SideBelief = Field(default_factory=SideBelief)
    learning: bool = Field(default=True, description="Update beliefs with each step's outcome.")
    battle_days: float = unit_field(
        30.0, "Length of one battle in the war-value model, days.", 1e-9
    )
    quadrature_nodes: int = Field(default=16, ge=2, le=64, description="Gauss–Legendre nodes.")
