"""Unconstrained parametrisations of front-process parameters (for optimisers and draws).

A fit optimises ``θ`` on an unconstrained scale and records, per parameter, the transform that
maps it back: ``"loc"`` (value = 100·θ; drifts and jump means in units of 100 km²), ``"log"``
(value = e^θ; scales and rates) and ``"logit"`` (value = 0.5/(1 + e^−θ); daily switching
probabilities capped at 0.5). Draws from a normal law on ``θ`` (the asymptotic law of the MLE or
the Laplace approximation of a posterior) then respect every bound.

The two-regime fit (:func:`parley.analysis.calibrate.fit_front`) records no transforms: its
parameters are named by regime and their transform follows from the name
(:class:`TwoRegimeSpec`; ``jump_sd`` is additionally floored at ``min_jump_sd``). Its parameters'
standard errors come from the observed information, mapped back by the delta method.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

JumpRegimes = Literal["manoeuvre", "both", "none"]

#: Drifts and jump means are optimised in units of 100 km².
LOC_SCALE = 100.0
#: Each daily switching probability is at most 0.5 (so their sum stays <= 1).
P_CAP = 0.5


def to_natural(
    theta: FloatArray, names: Sequence[str], transforms: Sequence[str]
) -> dict[str, float]:
    """Natural values of ``theta`` (one row) by name."""
    out: dict[str, float] = {}
    for name, kind, value in zip(names, transforms, theta, strict=True):
        out[name] = float(_natural(np.asarray(value, dtype=float), kind))
    return out


def to_natural_columns(
    draws: FloatArray, names: Sequence[str], transforms: Sequence[str]
) -> dict[str, FloatArray]:
    """Natural values of many draws ``(runs, k)``: one array over runs per name."""
    return {
        name: _natural(draws[:, j], kind)
        for j, (name, kind) in enumerate(zip(names, transforms, strict=True))
    }


def _natural(value: FloatArray, kind: str) -> FloatArray:
    if kind == "log":
        return np.exp(value)
    if kind == "logit":
        return P_CAP / (1.0 + np.exp(-value))
    if kind == "loc":
        return value * LOC_SCALE
    raise ValueError(f"unknown transform {kind!r}")


def transform_jacobian(theta: FloatArray, transforms: Sequence[str]) -> FloatArray:
    """``d value / d θ`` for each (elementwise) transform, for delta-method standard errors."""
    out = np.empty(len(transforms))
    for i, (kind, value) in enumerate(zip(transforms, theta, strict=True)):
        if kind == "log":
            out[i] = math.exp(value)
        elif kind == "logit":
            s = 1.0 / (1.0 + math.exp(-value))
            out[i] = P_CAP * s * (1.0 - s)
        else:
            out[i] = LOC_SCALE
    return out


@dataclass(frozen=True)
class TwoRegimeSpec:
    """The unconstrained parameters ``names`` of a two-regime fit, where its jumps live and the
    floor on the jump-size sd."""

    names: tuple[str, ...]
    jump_regimes: JumpRegimes
    min_jump_sd: float


def two_regime_spec(jump_regimes: JumpRegimes, min_jump_sd: float = 0.0) -> TwoRegimeSpec:
    """The parameters a two-regime fit estimates: drifts, volatilities and switching
    probabilities, plus the jump rate, mean and sd of each regime named by ``jump_regimes``."""
    names = [
        "drift_positional",
        "drift_manoeuvre",
        "sigma_positional",
        "sigma_manoeuvre",
        "p_positional_to_manoeuvre",
        "p_manoeuvre_to_positional",
    ]
    if jump_regimes in ("manoeuvre", "both"):
        names += ["jump_rate_manoeuvre", "jump_mean_manoeuvre", "jump_sd_manoeuvre"]
    if jump_regimes == "both":
        names += ["jump_rate_positional", "jump_mean_positional", "jump_sd_positional"]
    return TwoRegimeSpec(tuple(names), jump_regimes, min_jump_sd)


def two_regime_natural(theta: FloatArray, spec: TwoRegimeSpec) -> dict[str, float]:
    """Natural values of ``theta`` (one row) by name: ``jump_sd`` = floor + e^θ, volatilities
    and rates e^θ, switching probabilities 0.5/(1 + e^−θ), drifts and jump means 100·θ."""
    out: dict[str, float] = {}
    for name, value in zip(spec.names, theta, strict=True):
        if name.startswith("jump_sd"):
            out[name] = spec.min_jump_sd + math.exp(value)
        elif name.startswith(("sigma", "jump_rate")):
            out[name] = math.exp(value)
        elif name.startswith("p_"):
            out[name] = P_CAP / (1.0 + math.exp(-value))
        else:
            out[name] = float(value) * LOC_SCALE
    return out


def two_regime_theta(natural: dict[str, float], spec: TwoRegimeSpec) -> FloatArray:
    """The unconstrained ``θ`` of natural values (inverse of :func:`two_regime_natural`)."""
    theta = []
    for name in spec.names:
        v = natural[name]
        if name.startswith("jump_sd"):
            theta.append(math.log(max(v - spec.min_jump_sd, 1e-6)))
        elif name.startswith(("sigma", "jump_rate")):
            theta.append(math.log(v))
        elif name.startswith("p_"):
            q = v / P_CAP
            theta.append(math.log(q / (1.0 - q)))
        else:
            theta.append(v / LOC_SCALE)
    return np.array(theta)


def two_regime_jacobian(theta: FloatArray, spec: TwoRegimeSpec) -> FloatArray:
    """``d natural / d θ`` for each (elementwise) transform, for delta-method standard errors."""
    out = np.empty_like(theta)
    for i, (name, value) in enumerate(zip(spec.names, theta, strict=True)):
        if name.startswith(("sigma", "jump_rate", "jump_sd")):
            out[i] = math.exp(value)
        elif name.startswith("p_"):
            s = 1.0 / (1.0 + math.exp(-value))
            out[i] = P_CAP * s * (1.0 - s)
        else:
            out[i] = LOC_SCALE
    return out
