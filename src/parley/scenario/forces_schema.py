"""The ``war.forces``, ``war.contest`` and ``war.attrition`` sections of a scenario: the fighting.

Force levels, replenishment, losses and breaking points of both belligerents (force index), the
contest function θ = P(A wins a battle) (Hirshleifer 1989; Tullock 1980) and the Lanchester
attrition law (β = 1 square law; Lucas & Turkes 2004 for 0.5–1). Used by
:class:`~parley.scenario.war_schema.WarSpec`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from parley.scenario._common import FiniteModel, unit_field


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
