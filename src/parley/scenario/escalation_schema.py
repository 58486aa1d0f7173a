"""The ``war.escalation`` section of a scenario: escalation hazard and brinkmanship.

The catastrophe hazard and its drivers (Powell 2015) and nuclear brinkmanship with Beta-learned
threat credibility (Schelling 1966; Powell 1987). Used by
:class:`~parley.scenario.war_schema.WarSpec`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from parley.scenario._common import FiniteModel, unit_field


class Escalation(FiniteModel):
    """Escalation hazard (Powell 2015) and brinkmanship (Schelling 1966; Powell 1987)."""

    rho0_per_month: float = unit_field(1e-5, "Baseline catastrophe hazard ρ0 per month.", 0, 1)
    gamma_intensity: float = unit_field(0.0, "γ1 per unit of front movement intensity.")
    gamma_red_line: float = unit_field(0.0, "γ2 when A's red-line territory is lost.")
    gamma_threat: float = unit_field(0.0, "γ3 while a nuclear threat is active.")
    intensity_scale_km2_per_week: float = unit_field(
        1000.0, "Weekly |front movement| that counts as intensity 1, km².", 1e-9
    )
    threatener: Literal["none", "A", "B"] = Field(default="none")
    threat_prob_per_month: float = unit_field(
        0.0, "Chance per month a losing threatener threatens.", 0, 1
    )
    prevail: float = unit_field(1.0, "Threatener's payoff w for prevailing.")
    submit: float = unit_field(0.0, "Threatener's payoff s for submitting.")
    disaster: float = unit_field(-100.0, "Threatener's payoff d for disaster.")
    credibility_prior_strength: float = unit_field(
        2.0, "Beta prior strength on threat credibility.", 0
    )
    threat_bargaining_weight: float = unit_field(
        0.0,
        "Share of the stakes the target concedes per unit of credibility while a threat is active.",
        0,
        1,
    )

    @model_validator(mode="after")
    def _order(self) -> Escalation:
        if not self.prevail > self.submit > self.disaster:
            raise ValueError("brinkmanship payoffs need prevail > submit > disaster")
        return self
