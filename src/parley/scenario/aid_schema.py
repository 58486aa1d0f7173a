"""The ``war.supporters`` and ``war.aid_dynamics`` sections of a scenario: third parties' aid.

Markov-switching aid of each supporter (war-model §6; levels in EUR bn/year after the Kiel Ukraine
Support Tracker), its interests (Olson & Zeckhauser 1966), the cost of escalation to it (Powell
2015) and its logit responsiveness to the net value of aid (McKelvey & Palfrey 1995), and how the
donors' aid moves together. Used by :class:`~parley.scenario.war_schema.WarSpec`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from parley.scenario._common import FiniteModel, unit_field


class Supporter(FiniteModel):
    """A third party that supplies aid to one side (Markov-switching aid, war-model §6)."""

    actor: str = Field(description="Actor id of the supporter.")
    side: Literal["A", "B"] = Field(description="Which belligerent it supplies.")
    aid_high_bn_per_year: float = unit_field(
        40.0, "Aid level in the high regime, EUR bn/year (Kiel).", 0
    )
    aid_low_bn_per_year: float = unit_field(10.0, "Aid level in the low regime, EUR bn/year.", 0)
    p_high_to_low_per_month: float = unit_field(0.05, "Monthly switch probability high->low.", 0, 1)
    p_low_to_high_per_month: float = unit_field(0.10, "Monthly switch probability low->high.", 0, 1)
    start_high: bool = Field(default=True, description="Whether aid starts in the high regime.")
    escalation_sensitivity: float = unit_field(
        0.0, "Extra monthly high->low probability per unit of threat credibility.", 0
    )
    force_per_bn: float = unit_field(
        0.002, "Force units added to the supported side per EUR bn of aid (force index).", 0
    )
    fatigue_per_year: float = unit_field(
        0.0,
        "Relative rise of the monthly high->low probability per year of war (donor fatigue).",
        0,
    )
    stake_bn_per_year: float = unit_field(
        0.0,
        "Value to the supporter of its side holding the whole contested region rather than none"
        " of it, EUR bn-equivalent/year (interests; Olson & Zeckhauser 1966).",
        0,
    )
    aid_cost_weight: float = unit_field(
        1.0, "Cost to the supporter per EUR bn of the high regime's extra aid (1 = face value).", 0
    )
    escalation_cost_bn_per_year: float = unit_field(
        0.0,
        "Cost to the supporter of an active threat at full credibility, EUR bn-equivalent/year"
        " (Powell 2015).",
        0,
    )
    responsiveness_per_bn: float = unit_field(
        0.0,
        "Log-odds shift of the monthly switch probabilities per EUR bn/year of net value of aid"
        " (logit link, McKelvey & Palfrey 1995; 0 = interests off).",
        0,
    )

    @model_validator(mode="after")
    def _levels(self) -> Supporter:
        if self.aid_low_bn_per_year > self.aid_high_bn_per_year:
            raise ValueError("aid_low_bn_per_year must not exceed aid_high_bn_per_year")
        return self


class AidDynamics(FiniteModel):
    """How supporters' aid moves together (common political shock, substitution)."""

    common_shock: float = unit_field(
        0.0, "Probability per step that one common shock decides every donor's switch.", 0, 1
    )
    substitution: float = unit_field(
        0.0, "Share of a donor's cut that the other donors of the same side make up.", 0, 1
    )
