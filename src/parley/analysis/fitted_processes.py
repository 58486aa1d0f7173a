"""Engine overrides from the loss and aid fits (``parley simulate --losses-fit/--aid-fit``).

``parley calibrate losses --out`` and ``parley calibrate aid --out`` write their fits
(:class:`parley.analysis.losses_fit.LossesFit`, :class:`parley.analysis.aid_fit.AidFit`) as JSON;
these functions turn them into per-run overrides of the war engine's parameters, each run drawing
its own values from the fit's uncertainty so the quantiles of ``losses_quantiles.csv`` and
``aid_quantiles.csv`` carry it:

- **losses** (both sides; the one fitted series is an intensity index of Russian claims, and its
  relative quantities are what carries over): ``war.forces.<side>.loss_intensity_per_1000km2 =
  β1 ~ N(β1̂, se²)`` (offensives cost more) and the negative-binomial size ``loss_dispersion =
  1/α`` with ``log α ~ N(log α̂, (se_α/α̂)²)`` (delta method). The fitted level ``β0`` and trend
  ``β2`` are the claims' own and are not used: the engine's loss level is its attrition law's.
- **aid** (every supporter of the scenario): the pooled monthly switching probabilities
  ``p_high_to_low_per_month`` and ``p_low_to_high_per_month`` drawn from Beta laws with the
  fit's posterior mean and sd; the common-shock probability ``war.aid_dynamics.common_shock`` set
  to the donors' mean pairwise correlation (for two donors with equal switching probability the
  common-shock coupling gives their switch indicators exactly that correlation; the fit measures
  it on log allocations, an approximation), and ``war.aid_dynamics.substitution`` to minus the
  mean correlation of a donor with the others' sum; both drawn from normals with the sd of the
  fit's 90 % bootstrap interval (width / 3.29) and clipped to [0, 1].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.scenario.errors import ScenarioError

FloatArray = NDArray[np.float64]
Z90 = 3.29  # width of a central 90 % normal interval in sds


def _number(fit: dict[str, Any], *keys: str) -> float:
    value: Any = fit
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise ScenarioError("missing or not a number", field=".".join(keys))
        value = value[key]
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"expected a number, got {value!r}", field=".".join(keys)) from None
    if not math.isfinite(out):
        raise ScenarioError(f"expected a finite number, got {value!r}", field=".".join(keys))
    return out


def losses_overrides(fit: dict[str, Any], runs: int, rng: np.random.Generator) -> dict[str, Any]:
    """Per-run loss overrides for both sides from a ``calibrate losses`` fit (module docstring)."""
    b1, se1 = _number(fit, "estimate", "beta_intensity"), _number(fit, "stderr", "beta_intensity")
    alpha, se_a = _number(fit, "estimate", "alpha"), _number(fit, "stderr", "alpha")
    if alpha <= 0 or se1 < 0 or se_a < 0:
        raise ScenarioError("alpha must be > 0 and standard errors >= 0", field="estimate.alpha")
    beta = b1 + se1 * rng.standard_normal(runs)
    size = 1.0 / (alpha * np.exp((se_a / alpha) * rng.standard_normal(runs)))
    out: dict[str, Any] = {}
    for side in ("A", "B"):
        out[f"war.forces.{side}.loss_intensity_per_1000km2"] = beta
        out[f"war.forces.{side}.loss_dispersion"] = size
    return out


def _beta_draws(mean: float, sd: float, runs: int, rng: np.random.Generator) -> FloatArray:
    """Draws from the Beta law with ``mean`` and ``sd`` (method of moments)."""
    if not (0 < mean < 1 and 0 < sd**2 < mean * (1 - mean)):
        raise ScenarioError(f"not a probability's mean and sd: {mean}, {sd}", field="p_high_to_low")
    nu = mean * (1 - mean) / sd**2 - 1
    return np.asarray(rng.beta(mean * nu, (1 - mean) * nu, runs), dtype=float)


def _interval_draws(triple: Any, runs: int, rng: np.random.Generator, field: str) -> FloatArray:
    try:
        est, lo, hi = (float(v) for v in triple)
    except (TypeError, ValueError):
        raise ScenarioError("expected [estimate, low, high]", field=field) from None
    return est + max(hi - lo, 0.0) / Z90 * rng.standard_normal(runs)


def aid_overrides(
    fit: dict[str, Any], n_supporters: int, runs: int, rng: np.random.Generator
) -> dict[str, Any]:
    """Per-run aid overrides for every supporter from a ``calibrate aid`` fit (module docstring)."""
    try:
        hl, lh = fit["p_high_to_low"], fit["p_low_to_high"]
        p_hl = _beta_draws(float(hl[0]), float(hl[1]), runs, rng)
        p_lh = _beta_draws(float(lh[0]), float(lh[1]), runs, rng)
        subs = fit["substitution"]
        if not isinstance(subs, dict) or not subs:
            raise TypeError
    except (KeyError, TypeError, IndexError, ValueError):
        raise ScenarioError(
            "expected p_high_to_low, p_low_to_high [mean, sd] and substitution {donor: [...]}",
            field="aid fit",
        ) from None
    common = _interval_draws(fit.get("mean_correlation"), runs, rng, "mean_correlation")
    sub = np.mean(
        [_interval_draws(v, runs, rng, f"substitution.{k}") for k, v in sorted(subs.items())],
        axis=0,
    )
    out: dict[str, Any] = {
        "war.aid_dynamics.common_shock": np.clip(common, 0.0, 1.0),
        "war.aid_dynamics.substitution": np.clip(-sub, 0.0, 1.0),
    }
    for i in range(n_supporters):
        out[f"war.supporters.{i}.p_high_to_low_per_month"] = p_hl
        out[f"war.supporters.{i}.p_low_to_high_per_month"] = p_lh
    return out
