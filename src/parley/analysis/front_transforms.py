"""Unconstrained parametrisations of front-process parameters (for optimisers and draws).

A fit optimises ``θ`` on an unconstrained scale and records, per parameter, the transform that
maps it back: ``"loc"`` (value = 100·θ; drifts and jump means in units of 100 km²), ``"log"``
(value = e^θ; scales and rates) and ``"logit"`` (value = 0.5/(1 + e^−θ); daily switching
probabilities capped at 0.5). Draws from a normal law on ``θ`` (the asymptotic law of the MLE or
the Laplace approximation of a posterior) then respect every bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

LOC_SCALE = 100.0
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
