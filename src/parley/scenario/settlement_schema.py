"""The settlement sections of a war scenario: how a deal is struck and how long it lasts.

``war.settlement`` (proposer and terms; Fearon 1995; Smith & Stam 2004), ``war.renege`` (the risk
that the adversary breaks a deal; Reiter 2009), ``war.commitment`` (no deal while the expected
shift of power is too large; Powell 2006), ``war.issue_bounds`` (bounds a side cannot cross),
``war.guarantees`` (Fortna 2003) and ``war.durability`` (covariates of the renewal hazard,
war-model §7). Used by :class:`~parley.scenario.war_schema.WarSpec`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from parley.scenario._common import FiniteModel, unit_field


class SideRenege(FiniteModel):
    """Renege risk as one side sees it (Reiter 2009): the adversary breaks a deal within k years."""

    probability: float = unit_field(
        0.0, "Probability that the adversary breaks a settlement within `years`.", 0, 0.99
    )
    penalty: float = unit_field(
        0.0,
        "Share of the stakes lost if the adversary reneges (position given up by the deal).",
        0,
        1,
    )


class Renege(FiniteModel):
    """Renege risk of both sides ("Budapest", "Minsk")."""

    A: SideRenege = Field(default_factory=SideRenege)
    B: SideRenege = Field(default_factory=SideRenege)
    years: float = unit_field(5.0, "Horizon k of the renege probabilities, years.", 1e-6)


class Commitment(FiniteModel):
    """Commitment problem (Powell 2006): no deal while an expected shift of power is too large."""

    enabled: bool = Field(
        default=False, description="Block settlements the shift makes non-credible."
    )
    horizon_months: float = unit_field(
        6.0, "Horizon over which the expected shift of power is projected, months.", 1e-6, 120
    )


class IssueBound(FiniteModel):
    """A bound a side cannot cross on one issue (constitution, referendum requirement)."""

    issue: str = Field(description="Issue id.")
    side: Literal["A", "B"] = Field(description="The side bound by it.")
    min: float | None = Field(default=None, description="Lowest acceptable value, issue scale.")
    max: float | None = Field(default=None, description="Highest acceptable value, issue scale.")

    @model_validator(mode="after")
    def _order(self) -> IssueBound:
        if self.min is None and self.max is None:
            raise ValueError("an issue bound needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"issue bound min ({self.min}) exceeds max ({self.max})")
        return self


class Settlement(FiniteModel):
    """Settlement mechanics (Fearon 1995; Smith & Stam 2004)."""

    proposer: Literal["alternating", "random", "split"] = Field(default="split")
    power_A: float = unit_field(
        0.5, "A's bargaining power λ (split share / recognition prob.).", 0, 1
    )
    terms_model: str = Field(
        default="compromise", description="Stakeholder model id for multi-issue terms, or 'share'."
    )
    territory_issue: str | None = Field(
        default=None, description="Issue id of the territorial line, if any."
    )
    demand_response: float = unit_field(
        0.0, "Rise of the opponent's minimum share per unit of pre-concession.", 0, 10
    )
    demand_cap: float = unit_field(
        1.0, "Largest share of the stakes a side demands after concessions (1 = everything).", 0, 1
    )


class SideGuarantee(FiniteModel):
    """Guarantees protecting one side (Fortna 2003): extra cost g to the other of renewing war."""

    g: float = unit_field(0.0, "Extra cost of renewed war to the opponent, share of the stakes.", 0)
    credibility: float = unit_field(1.0, "Probability q the guarantee is honoured.", 0, 1)


class Guarantees(FiniteModel):
    """Guarantees for both sides."""

    A: SideGuarantee = Field(default_factory=SideGuarantee)
    B: SideGuarantee = Field(default_factory=SideGuarantee)


class Durability(FiniteModel):
    """Covariates of the renewal hazard after a settlement (war-model §7)."""

    agreement: Literal["ceasefire", "peace_agreement"] = Field(default="ceasefire")
    comprehensive: bool = Field(default=False)
    peacekeepers: bool = Field(default=False)
    interstate: bool = Field(default=True)
    powell_horizon_months: float = unit_field(
        1.0, "Period over which the power shift is measured.", 0
    )
    trigger_multiplier: float | None = Field(
        default=None,
        ge=1,
        description="Hazard multiplier when the Powell trigger holds (None = certain renewal).",
    )
