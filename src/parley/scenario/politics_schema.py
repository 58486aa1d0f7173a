"""The ``war.costs`` and ``war.support`` sections of a scenario: costs of war and public support.

War costs in units of the stakes and the discount factor (war-model §6; Powell 2006), public
support falling with casualties (Mueller 1973; Gartner & Segura 1998) and raising the cost of war
as it falls, and leaders' punishment and replacement (Goemans 2000). Used by
:class:`~parley.scenario.war_schema.WarSpec`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from parley.scenario._common import FiniteModel, unit_field


class SideCost(FiniteModel):
    """War cost of one side in units of the stakes."""

    per_month: float = unit_field(0.03, "Cost of fighting per month, share of the stakes.", 0)


class Costs(FiniteModel):
    """Costs of both sides (war-model §6)."""

    A: SideCost = Field(default_factory=SideCost)
    B: SideCost = Field(default_factory=SideCost)
    discount_per_month: float = unit_field(0.99, "Discount factor δ per month (Powell 2006).", 0, 1)


class SideSupport(FiniteModel):
    """Public support (Mueller 1973; Gartner & Segura 1998) and leader punishment (Goemans 2000)."""

    initial: float = unit_field(0.7, "Initial public support S0 (share).", 0, 1)
    log_casualty_slope: float = unit_field(0.05, "Support lost per log10(1 + casualties).", 0)
    cost_gain: float = unit_field(
        1.0, "Relative rise of war cost as support falls from S0 to 0.", 0
    )
    replacement_threshold: float = unit_field(
        0.3, "Support below which leaders may be replaced.", 0, 1
    )
    replacement_hazard_per_month: float = unit_field(0.05, "Leader replacement hazard below it.", 0)
    punishment: float = unit_field(0.0, "Leader's punishment π for terms below the reference.", 0)
    reference_share: float = unit_field(
        0.5, "Leader's reference point on its own share of stakes.", 0, 1
    )
    regime: Literal["unspecified", "democracy", "single_party", "military", "personalist"] = Field(
        default="unspecified",
        description="Regime type; scales casualty sensitivity (parley.war.politics.REGIME_SENSITIVITY).",
    )
    mobilisation_cost: float = unit_field(
        0.0, "Support lost per unit of extra mobilisation (forces.<side>.mobilisation − 1).", 0, 1
    )
    unrest_hazard_per_month: float = unit_field(
        0.0,
        "Monthly hazard of mutiny/coup/revolution when support is 0; scales with the support "
        "deficit below the replacement threshold.",
        0,
        1,
    )


class Support(FiniteModel):
    """Public support of both sides."""

    A: SideSupport = Field(default_factory=SideSupport)
    B: SideSupport = Field(default_factory=SideSupport)
