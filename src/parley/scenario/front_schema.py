"""The ``war.front`` section of a scenario: parameters of the front process (war-model §5).

The process and the sources of every field are in :mod:`parley.war.front` and
``docs/calibration.md``; the fitted values come from ``parley calibrate front``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from parley.scenario._common import FiniteModel, unit_field


class Front(FiniteModel):
    """Front process (war-model §5): regime-switching jump diffusion of the occupied area.

    Maps one-to-one onto :class:`parley.war.front.FrontParams`
    (:func:`parley.war.front.front_params_from_spec`; ``FRONT_FIELDS`` in :mod:`parley.war.params`
    for the two-regime fields); a file written by ``parley calibrate front`` replaces these values.
    The ``offensive_*``/``p_offensive_*``/``p_culminate``/``p_recover`` fields are the offensive
    regimes of the front (``docs/calibration.md``); at their zero defaults they are never entered.
    """

    form: Literal["continuous", "forts"] = Field(
        default="continuous", description="Continuous km² front, or the discrete forts random walk."
    )
    drift_km2_per_day: float = unit_field(
        0.0, "Drift in the positional regime, km²/day (DeepState)."
    )
    sigma_km2_per_sqrt_day: float = unit_field(
        14.0, "Diffusion σ0, positional regime, km²/√day.", 0
    )
    jump_rate_per_day: float = unit_field(0.0, "Jump rate λ0 in the positional regime, 1/day.", 0)
    jump_mean_km2: float = unit_field(
        0.0, "Mean jump size in the positional regime, km² (+ = A gains)."
    )
    jump_sd_km2: float = unit_field(0.0, "Jump size sd in the positional regime, km².", 0)
    manoeuvre_drift_km2_per_day: float = unit_field(0.0, "Drift in the manoeuvre regime, km²/day.")
    manoeuvre_sigma_km2_per_sqrt_day: float = unit_field(40.0, "σ0 in the manoeuvre regime.", 0)
    manoeuvre_jump_rate_per_day: float = unit_field(
        2.0 / 365.0, "Jump rate, manoeuvre regime, 1/day.", 0
    )
    manoeuvre_jump_mean_km2: float = unit_field(0.0, "Mean jump size in the manoeuvre regime, km².")
    manoeuvre_jump_sd_km2: float = unit_field(
        6000.0, "Jump size sd, manoeuvre regime, km² (4–9k).", 0
    )
    p_to_manoeuvre_per_day: float = unit_field(0.002, "Daily switch positional -> manoeuvre.", 0, 1)
    p_to_positional_per_day: float = unit_field(0.02, "Daily switch manoeuvre -> positional.", 0, 1)
    kappa_km2_per_day: float = unit_field(0.0, "Force-ratio sensitivity κ of the drift, km²/day.")
    s: float = unit_field(0.5, "Scale s of tanh(ρ/s) in the drift (log force ratio units).", 1e-9)
    sigma1_km2_per_sqrt_day: float = unit_field(
        0.0, "Extra σ per unit |log force ratio|, km²/√day.", 0
    )
    eta: float = unit_field(0.0, "Jump-rate sensitivity η to |log force ratio|.", 0)
    offensive_drift_km2_per_day: float = unit_field(
        0.0, "Drift of an offensive (magnitude; + for A's, − for B's), km²/day.", 0
    )
    offensive_sigma_km2_per_sqrt_day: float = unit_field(0.0, "σ in an offensive regime.", 0)
    offensive_jump_rate_per_day: float = unit_field(
        0.0, "Break-through rate in an offensive, 1/day.", 0
    )
    offensive_jump_size_km2: float = unit_field(
        0.0, "Mean break-through size (magnitude; sign by side), km².", 0
    )
    offensive_jump_sd_km2: float = unit_field(0.0, "Break-through size sd, km².", 0)
    p_offensive_A_per_day: float = unit_field(0.0, "Daily chance an offensive by A starts.", 0, 1)
    p_offensive_B_per_day: float = unit_field(0.0, "Daily chance an offensive by B starts.", 0, 1)
    p_culminate_per_day: float = unit_field(0.0, "Daily chance an offensive culminates.", 0, 1)
    p_recover_per_day: float = unit_field(
        0.0, "Daily chance the culminated phase ends (a new offensive possible again).", 0, 1
    )
    drift_reversion_per_day: float = unit_field(
        0.0,
        "Daily rate at which the positional drift returns towards 0 (Ornstein–Uhlenbeck).",
        0,
        1,
    )
    drift_innovation_sd_km2_per_day: float = unit_field(
        0.0, "Daily innovation sd of the positional drift, km²/day per √day.", 0
    )
    initial_regime: Literal[
        "stationary", "positional", "manoeuvre", "offensive_A", "offensive_B", "culminated"
    ] = Field(
        default="stationary", description="Starting regime; 'stationary' draws from the chain."
    )

    @model_validator(mode="after")
    def _switching(self) -> Front:
        if self.p_to_manoeuvre_per_day + self.p_to_positional_per_day > 1:
            raise ValueError("p_to_manoeuvre_per_day + p_to_positional_per_day must be <= 1")
        leave = (
            self.p_to_manoeuvre_per_day + self.p_offensive_A_per_day + self.p_offensive_B_per_day
        )
        if leave > 1:
            raise ValueError(
                "p_to_manoeuvre_per_day + p_offensive_A_per_day + p_offensive_B_per_day must be <= 1"
            )
        return self
