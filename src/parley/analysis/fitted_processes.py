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
- **aid**: a supporter whose ``actor`` the fit maps to a donor (``supporters``: actor → donor,
  by default each donor to the actor of the same id) draws its own monthly switching
  probabilities ``p_high_to_low_per_month``/``p_low_to_high_per_month`` from that donor's
  shrunk Beta posterior (:mod:`parley.analysis.aid_pooling`), and its levels
  ``aid_high_bn_per_year``/``aid_low_bn_per_year`` = 12 × the donor's mean monthly allocation in
  each regime, drawn from a gamma law with that mean and its bootstrap sd (a positive law with
  the fit's two moments; each supporter, regime and quantity drawn independently). A supporter
  the fit does not map keeps the scenario's levels and draws both probabilities from the pooled
  prior (the law of a donor not in the data). A fit without per-donor results (an older file)
  gives every supporter the pooled posterior (Beta laws with its mean and sd). The common-shock
  probability ``war.aid_dynamics.common_shock`` is set to the donors' mean pairwise correlation
  (for two donors with equal switching probability the common-shock coupling gives their switch
  indicators exactly that correlation; the fit measures it on log allocations, an
  approximation), and ``war.aid_dynamics.substitution`` to minus the mean correlation of a donor
  with the others' sum; both drawn from normals with the sd of the fit's 90 % bootstrap interval
  (width / 3.29) and clipped to [0, 1]. All draws come from the caller's generator in a fixed
  order (the pooled probabilities, the common shock, the substitution, then supporter by
  supporter), so the same seed gives the same overrides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
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


def _pair(value: Any, field: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ScenarioError("expected two numbers", field=field) from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ScenarioError("expected two finite numbers", field=field)
    return a, b


def _beta_ab(value: Any, runs: int, rng: np.random.Generator, field: str) -> FloatArray:
    """Draws from ``Beta(a, b)`` given as ``{"a": a, "b": b}``."""
    if not isinstance(value, dict):
        raise ScenarioError("expected {a, b}", field=field)
    a, b = _pair((value.get("a"), value.get("b")), field)
    if not (a > 0 and b > 0):
        raise ScenarioError(f"Beta parameters must be > 0, got {a}, {b}", field=field)
    return np.asarray(rng.beta(a, b, runs), dtype=float)


def _level_draws(value: Any, runs: int, rng: np.random.Generator, field: str) -> FloatArray | None:
    """12 × gamma draws with mean and sd of ``[mean, sd, ...]`` EUR bn/month → EUR bn/year;
    ``None`` when the mean is missing (a regime without months)."""
    if isinstance(value, list | tuple) and value and value[0] is None:
        return None
    try:
        mean, sd = _pair(list(value)[:2], field)
    except TypeError:
        raise ScenarioError("expected [mean, sd, q05, q95]", field=field) from None
    if mean <= 0 or sd < 0:
        raise ScenarioError(f"expected mean > 0 and sd >= 0, got {mean}, {sd}", field=field)
    if sd == 0:
        return np.full(runs, 12.0 * mean)
    shape = (mean / sd) ** 2
    return 12.0 * np.asarray(rng.gamma(shape, mean / shape, runs), dtype=float)


def aid_mapping(fit: dict[str, Any], actors: Sequence[str]) -> dict[str, str]:
    """Supporter actor → donor of the fit: the fit's ``supporters`` table, or by default each
    donor of ``per_donor`` (except the pooled ``others``) to the actor of the same id."""
    donors = fit.get("per_donor")
    if not isinstance(donors, dict):
        return {}
    table = fit.get("supporters")
    if table is None:
        table = {d: d for d in donors if d != "others"}
    if not isinstance(table, dict):
        raise ScenarioError("expected {actor: donor}", field="supporters")
    for actor, donor in table.items():
        if not isinstance(donor, str) or donor not in donors:
            raise ScenarioError(
                f"donor {donor!r} of {actor!r} not in per_donor", field="supporters"
            )
    return {a: str(table[a]) for a in actors if a in table}


def aid_note(fit: dict[str, Any], actors: Sequence[str]) -> str:
    """One line: which supporters take switching and levels from the fit, which do not."""
    mapped = aid_mapping(fit, actors)
    rest = [a for a in actors if a not in mapped]
    if not isinstance(fit.get("per_donor"), dict):
        return "aid fit: pooled switching for every supporter; levels are the scenario's"
    taken = ", ".join(f"{a}={d}" if a != d else a for a, d in mapped.items()) or "none"
    note = f"aid fit: own switching and levels for {taken}"
    if rest:
        note += f"; not in the fit (scenario levels, pooled-prior switching): {', '.join(rest)}"
    return note


def _prior_ab(value: Any, field: str) -> dict[str, float]:
    """``{mean, strength}`` of a pooled prior → ``{a, b}``."""
    if not isinstance(value, dict):
        raise ScenarioError("expected {mean, strength, at_bound}", field=field)
    m, s = _pair((value.get("mean"), value.get("strength")), field)
    if not (0 < m < 1 and s > 0):
        raise ScenarioError(f"expected 0 < mean < 1 and strength > 0, got {m}, {s}", field=field)
    return {"a": m * s, "b": (1 - m) * s}


def _laws(fit: dict[str, Any], donor: str | None) -> tuple[str, Any, Any, Any, Any]:
    """Field prefix, the two switching laws ``{a, b}`` and the two levels of ``donor`` (the
    pooled prior and no levels for ``None``)."""
    if donor is None:
        laws = [
            _prior_ab(fit.get(f"prior_{n}"), f"prior_{n}") for n in ("high_to_low", "low_to_high")
        ]
        return "prior_", laws[0], laws[1], None, None
    d = fit["per_donor"][donor]
    if not isinstance(d, dict):
        raise ScenarioError("expected an object", field=f"per_donor.{donor}")
    return (
        f"per_donor.{donor}.",
        d.get("high_to_low"),
        d.get("low_to_high"),
        d.get("high_bn_per_month"),
        d.get("low_bn_per_month"),
    )


def _per_donor(
    fit: dict[str, Any], actors: Sequence[str], runs: int, rng: np.random.Generator
) -> dict[str, Any]:
    """Each supporter's switching (and, if mapped, levels) in the scenario's order."""
    mapped = aid_mapping(fit, actors)
    out: dict[str, Any] = {}
    for i, actor in enumerate(actors):
        key = f"war.supporters.{i}."
        where, hl, lh, high, low = _laws(fit, mapped.get(actor))
        out[key + "p_high_to_low_per_month"] = _beta_ab(hl, runs, rng, where + "high_to_low")
        out[key + "p_low_to_high_per_month"] = _beta_ab(lh, runs, rng, where + "low_to_high")
        if actor not in mapped:
            continue
        h = _level_draws(high, runs, rng, where + "high_bn_per_month")
        lo = _level_draws(low, runs, rng, where + "low_bn_per_month")
        if h is not None and lo is not None:
            # the regimes' means are ordered by construction; a run whose draws cross swaps them
            h, lo = np.maximum(h, lo), np.minimum(h, lo)
        for name, draws in (("aid_high_bn_per_year", h), ("aid_low_bn_per_year", lo)):
            if draws is not None:  # a regime the donor never was in keeps the scenario's level
                out[key + name] = draws
    return out


def aid_overrides(
    fit: dict[str, Any], actors: Sequence[str], runs: int, rng: np.random.Generator
) -> dict[str, Any]:
    """Per-run aid overrides for the supporters ``actors`` (in the scenario's order) from a
    ``calibrate aid`` fit (module docstring)."""
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
    if isinstance(fit.get("per_donor"), dict):
        # drawn after the pooled draws above, so the stream is the pooled fit's, extended
        out.update(_per_donor(fit, actors, runs, rng))
        return out
    for i in range(len(actors)):
        out[f"war.supporters.{i}.p_high_to_low_per_month"] = p_hl
        out[f"war.supporters.{i}.p_low_to_high_per_month"] = p_lh
    return out
