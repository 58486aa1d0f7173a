"""Analytic test functions with known sensitivity indices, in the experiment model signature.

They check the experiment pipeline end to end where the answer is known in closed form:

- Ishigami & Homma (1990), "An importance quantification technique in uncertainty analysis for
  computer models", ISUMA '90: ``y = sin x1 + a sin² x2 + b x3⁴ sin x1`` with ``x_i ~ U(-π, π)``.
  For a = 7, b = 0.1: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244) (Saltelli et al. 2008,
  *Global Sensitivity Analysis: The Primer*, §4.7).
- A linear model ``y = Σ w_j x_j + σ ε`` with ``ε ~ N(0, 1)`` drawn from the run's seed: Morris
  μ*_j = |w_j| (range of x_j); one-at-a-time swings ``w_j (x_hi - x_lo)``; the noise exercises
  common random numbers.

Parameters are read from ``params`` in its order (uncertain columns first, then fixed levers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from parley.scenario.schema import Scenario

FloatArray = NDArray[np.float64]


def ishigami(
    x1: FloatArray, x2: FloatArray, x3: FloatArray, a: float = 7.0, b: float = 0.1
) -> FloatArray:
    """The Ishigami function."""
    return np.asarray(np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1), dtype=float)


def ishigami_model(
    scenario: Scenario,
    params: Mapping[str, FloatArray],
    n_runs: int,
    seed: np.random.SeedSequence,
    a: float = 7.0,
    b: float = 0.1,
) -> xr.Dataset:
    """Ishigami on the first three parameters, as a (deterministic) experiment model."""
    vals = [np.broadcast_to(np.asarray(v, dtype=float), (n_runs,)) for v in params.values()]
    if len(vals) < 3:
        raise ValueError("the ishigami model needs three uncertain parameters")
    y = ishigami(vals[0], vals[1], vals[2], a, b)
    return xr.Dataset({"y": ("run", y)}, coords={"run": np.arange(n_runs)})


def linear_model(
    scenario: Scenario,
    params: Mapping[str, FloatArray],
    n_runs: int,
    seed: np.random.SeedSequence,
    weights: Mapping[str, float] | None = None,
    noise_sd: float = 0.0,
    **_: Any,
) -> xr.Dataset:
    """``y = Σ w_j x_j + noise_sd · ε`` over ``params`` (weight 1 where not given).

    Also returns ``hit = y > 0`` (a binary outcome) so that probability measures can be tested.
    """
    y = np.zeros(n_runs)
    for path, value in params.items():
        w = 1.0 if weights is None else float(weights.get(path, 0.0))
        y = y + w * np.broadcast_to(np.asarray(value, dtype=float), (n_runs,))
    if noise_sd:
        y = y + noise_sd * np.random.default_rng(seed).standard_normal(n_runs)
    return xr.Dataset({"y": ("run", y), "hit": ("run", y > 0)}, coords={"run": np.arange(n_runs)})
