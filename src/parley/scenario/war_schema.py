"""The ``war`` section of a scenario: parameters of the bargaining-while-fighting simulator.

Owned by the war simulator (:mod:`parley.war`); every field below has a default, a unit and a
source, documented in ``docs/war-model.md``. Side-specific parameters are written once per
belligerent under the keys ``A`` and ``B`` (``war.beliefs.A.mean``), where ``A`` is the side whose
occupied area the front measures (area rising = A gains) and ``B`` its opponent. A minimal section::

    war:
      sides: {A: russia, B: ukraine}
      supporters: [{actor: usa, side: B}]
      region: {area_min_km2: 0, area_max_km2: 603550, initial_area_km2: 118000}

Cross-field checks (scale bounds, regime probabilities, thresholds) are validators here;
:func:`check_war_references` checks that the actor ids exist and is called by
:class:`~parley.scenario.schema.Scenario`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field, model_validator

from parley.scenario._common import FiniteModel, unit_field
from parley.scenario.front_schema import Front


class Sides(FiniteModel):
    """The two belligerents, as actor ids of the scenario."""

    A: str = Field(description="Actor id of side A (the side whose occupied area is the front).")
    B: str = Field(description="Actor id of side B (the defender of the contested region).")

    @model_validator(mode="after")
    def _distinct(self) -> Sides:
        if self.A == self.B:
            raise ValueError(f"sides A and B must be different actors, both are '{self.A}'")
        return self


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


class SideForces(FiniteModel):
    """Force level, replenishment and collapse threshold of one belligerent (force index)."""

    initial: float = unit_field(1.0, "Initial force level (index; 1 = reference strength).", 1e-12)
    replenishment_per_day: float = unit_field(0.0, "Mobilisation added per day (force units).", 0)
    effectiveness_per_day: float = unit_field(
        0.0, "Lanchester kill rate: own force units destroying the enemy's per day.", 0
    )
    collapse_fraction: float = unit_field(
        0.1, "Breaking point: the army may break once force < this × initial.", 0, 1
    )
    casualties_per_force_unit: float = unit_field(
        100000.0, "People killed or wounded per force unit lost.", 0
    )
    loss_dispersion: float | None = Field(
        default=None,
        gt=0,
        description="Negative-binomial size k of weekly losses (variance μ + μ²/k); "
        "None = losses equal their expectation.",
    )
    loss_intensity_per_1000km2: float = unit_field(
        0.0,
        "Losses of a step scale by exp(this × the front's movement in the previous step, in "
        "1000 km² per week): offensives cost more (parley calibrate losses' beta_intensity).",
    )
    breaking_hazard_per_month: float | None = Field(
        default=None,
        ge=0,
        description="Monthly hazard that the army breaks while below its breaking point; "
        "None = it breaks at once (deterministic threshold).",
    )
    breaking_point_sd: float = unit_field(
        0.0, "Per-run log-normal spread (sd of the log) of the breaking point.", 0, 3
    )
    mobilisation: float = unit_field(
        1.0, "Mobilisation lever: multiplier on replenishment (1 = as given).", 0, 10
    )


class Forces(FiniteModel):
    """Forces of both sides."""

    A: SideForces = Field(default_factory=SideForces)
    B: SideForces = Field(default_factory=SideForces)


class Contest(FiniteModel):
    """Contest function θ = P(A wins a battle) from forces (Hirshleifer 1989; Tullock 1980)."""

    form: Literal["ratio", "logistic"] = Field(default="ratio")
    m: float = unit_field(1.0, "Decisiveness exponent m (ratio) or slope (logistic).", 0)
    phi: float = unit_field(0.0, "Defender's advantage φ in the logistic form (log units).")


class Attrition(FiniteModel):
    """Attrition law dF_i/dt = −k_j·F_j^β·F_i^(1−β) (Lanchester; β=1 square law)."""

    beta: float = unit_field(0.75, "Lanchester exponent β (Lucas & Turkes 2004: 0.5–1).", 0, 1)
    substeps: int = Field(default=7, ge=1, le=1000, description="RK4 sub-steps per time step.")


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


class AidDynamics(FiniteModel):
    """How supporters' aid moves together (common political shock, substitution)."""

    common_shock: float = unit_field(
        0.0, "Probability per step that one common shock decides every donor's switch.", 0, 1
    )
    substitution: float = unit_field(
        0.0, "Share of a donor's cut that the other donors of the same side make up.", 0, 1
    )


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
