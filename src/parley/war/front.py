"""The front line as a regime-switching jump diffusion of the occupied area.

The continuous form of the front (war-model §5): the area ``A_t`` (km²) held by side A follows

    dA_t = μ_r(ρ_t) dt + σ_r(ρ_t) dW_t + J dN_t,
    μ_r(ρ) = drift_r + κ·tanh(ρ/s),   σ_r(ρ) = σ_r + σ1·|ρ|,   N_t ~ Poisson(λ_r·e^{η|ρ|}),
    J ~ Normal(jump_mean_r, jump_sd_r²),

where ``r ∈ {positional, manoeuvre}`` is a two-state Markov chain (Hamilton 1989, "A new approach to
the economic analysis of nonstationary time series", Econometrica 57(2)) and ``ρ_t`` is the log force
ratio ``log(F_A/F_B)`` — positive ``ρ`` means side A (whose holdings ``A_t`` measures) is stronger,
so the area tends to grow. Jumps stand for break-throughs and collapses (Merton 1976 jump diffusion);
the force-ratio terms follow the contest-function logic of Hirshleifer (1989). With ``κ = σ1 = η = 0``
(the defaults) the force ratio has no effect. Parameters are fitted to DeepState by
:func:`parley.analysis.calibrate.fit_front`.

Every numeric field of :class:`FrontParams` may be a float or an array of shape ``(runs,)``; all
operations broadcast, so one call of :func:`front_step` advances every Monte Carlo run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parley.scenario.errors import ScenarioError

#: Names of the regimes; a regime array holds their indices.
REGIMES: tuple[str, str] = ("positional", "manoeuvre")
POSITIONAL = 0
MANOEUVRE = 1

FloatArray = NDArray[np.float64]
Param = float | FloatArray


@dataclass(frozen=True)
class FrontParams:
    """Parameters of the regime-switching jump diffusion of the front (war-model §5).

    Rates and moments are per day: drift in km²/day, ``sigma`` in km²/√day, jump rates in jumps/day,
    jump mean and sd in km², transition probabilities per day. ``stderr`` maps field names to
    standard errors of fitted values; ``metadata`` records the fitted series (``series``,
    ``column``, ``fitted_from``, ``fitted_until``, ``last_value``, ``last_date``, and
    ``p_manoeuvre_last``, the filtered probability of the manoeuvre regime on the last day).
    """

    drift_positional: Param = 0.0
    drift_manoeuvre: Param = 0.0
    sigma_positional: Param = 14.0
    sigma_manoeuvre: Param = 14.0
    jump_rate_positional: Param = 0.0
    jump_rate_manoeuvre: Param = 0.0
    jump_mean_positional: Param = 0.0
    jump_mean_manoeuvre: Param = 0.0
    jump_sd_positional: Param = 0.0
    jump_sd_manoeuvre: Param = 0.0
    p_positional_to_manoeuvre: Param = 0.0
    p_manoeuvre_to_positional: Param = 0.0
    kappa: Param = 0.0
    drift_scale: Param = 1.0
    sigma_force: Param = 0.0
    eta: Param = 0.0
    area_min: Param = 0.0
    area_max: Param = math.inf
    stderr: dict[str, float] = field(default_factory=dict, compare=False)
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        def bad(name: str, expected: str) -> ScenarioError:
            return ScenarioError(f"expected {expected}", field=f"front.{name}")

        for name in NUMERIC_FIELDS:
            value = getattr(self, name)
            arr = np.asarray(value, dtype=float)
            if arr.ndim > 1:
                raise bad(name, "a number or a 1-d array over runs")
            if np.isnan(arr).any():
                raise bad(name, "a number, got NaN")
            if arr.ndim == 1:
                object.__setattr__(self, name, arr)
        nonneg = (
            "sigma_positional",
            "sigma_manoeuvre",
            "jump_rate_positional",
            "jump_rate_manoeuvre",
            "jump_sd_positional",
            "jump_sd_manoeuvre",
            "sigma_force",
        )
        for name in nonneg:
            if np.any(np.asarray(getattr(self, name)) < 0):
                raise bad(name, "a value >= 0")
        a = np.asarray(self.p_positional_to_manoeuvre)
        b = np.asarray(self.p_manoeuvre_to_positional)
        for name, p in (("p_positional_to_manoeuvre", a), ("p_manoeuvre_to_positional", b)):
            if np.any((p < 0) | (p > 1)):
                raise bad(name, "a daily probability in [0, 1]")
        if np.any(a + b > 1):
            raise bad("p_manoeuvre_to_positional", "daily switching probabilities summing to <= 1")
        if np.any(np.asarray(self.drift_scale) <= 0):
            raise bad("drift_scale", "a value > 0")
        if np.any(np.asarray(self.area_min) > np.asarray(self.area_max)):
            raise bad("area_max", "area_max >= area_min")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict ``{"params": ..., "stderr": ..., "metadata": ...}``."""
        params: dict[str, Any] = {}
        for name in NUMERIC_FIELDS:
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                params[name] = [float(v) for v in value]
            else:
                v = float(value)
                params[name] = v if math.isfinite(v) else None
        return {
            "params": params,
            "stderr": {k: float(v) for k, v in self.stderr.items()},
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, file: str | None = None) -> FrontParams:
        """Read the dict written by :meth:`to_dict` (or a flat mapping of parameters).

        Unknown parameter names or non-numeric values raise :class:`ScenarioError`. ``None`` for
        ``area_max`` means unbounded.
        """
        if not isinstance(data, dict):
            raise ScenarioError("expected a mapping of front parameters", file=file, field="front")
        raw = data.get("params", data) if "params" in data else data
        if not isinstance(raw, dict):
            raise ScenarioError("expected a mapping", file=file, field="params")
        kwargs: dict[str, Any] = {}
        for key, value in raw.items():
            if key in ("stderr", "metadata"):
                continue
            if key not in NUMERIC_FIELDS:
                raise ScenarioError(
                    f"unknown front parameter {key!r}; expected one of {', '.join(NUMERIC_FIELDS)}",
                    file=file,
                    field=f"params.{key}",
                )
            if value is None and key == "area_max":
                kwargs[key] = math.inf
                continue
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise ScenarioError(
                    f"expected a number or a list of numbers, got {value!r}",
                    file=file,
                    field=f"params.{key}",
                ) from None
            kwargs[key] = float(arr) if arr.ndim == 0 else arr
        stderr = data.get("stderr", {}) or {}
        metadata = data.get("metadata", {}) or {}
        if not isinstance(stderr, dict) or not isinstance(metadata, dict):
            raise ScenarioError("stderr and metadata must be mappings", file=file, field="stderr")
        try:
            se = {k: math.nan if v is None else float(v) for k, v in stderr.items()}
            return cls(**kwargs, stderr=se, metadata=metadata)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ScenarioError):
                raise exc.located(file=file) from None
            raise ScenarioError(
                f"standard errors must be numbers: {exc}", file=file, field="stderr"
            ) from None


NUMERIC_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(FrontParams) if f.name not in ("stderr", "metadata")
)


def transition_probabilities(params: FrontParams, dt_days: float) -> tuple[FloatArray, FloatArray]:
    """Probabilities ``(P(pos→pos), P(man→man))`` over ``dt_days`` days.

    Closed form for a two-state chain with daily switching probabilities ``a`` (positional →
    manoeuvre) and ``b`` (back): ``P_00(t) = b/(a+b) + a/(a+b)·(1−a−b)^t`` (Hamilton 1994, ch. 22).
    """
    a = np.asarray(params.p_positional_to_manoeuvre, dtype=float)
    b = np.asarray(params.p_manoeuvre_to_positional, dtype=float)
    s = a + b
    decay = np.power(np.clip(1.0 - s, 0.0, 1.0), dt_days)
    safe = np.where(s > 0, s, 1.0)
    stay_pos = np.where(s > 0, (b + a * decay) / safe, 1.0)
    stay_man = np.where(s > 0, (a + b * decay) / safe, 1.0)
    return stay_pos, stay_man


def stationary_manoeuvre_share(params: FrontParams) -> FloatArray:
    """Long-run share of days in the manoeuvre regime, ``a/(a+b)`` (0 when the chain never moves)."""
    a = np.asarray(params.p_positional_to_manoeuvre, dtype=float)
    b = np.asarray(params.p_manoeuvre_to_positional, dtype=float)
    s = a + b
    return np.where(s > 0, a / np.where(s > 0, s, 1.0), 0.0)


def initial_regime(params: FrontParams, runs: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Draw starting regimes: manoeuvre with the filtered probability of the last fitted day
    (``metadata["p_manoeuvre_last"]``) if known, else with the stationary share."""
    p = params.metadata.get("p_manoeuvre_last")
    prob = np.broadcast_to(
        np.asarray(p if p is not None else stationary_manoeuvre_share(params), dtype=float), (runs,)
    )
    return (rng.random(runs) < prob).astype(np.int64)


def _by_regime(man: NDArray[np.bool_], positional: Param, manoeuvre: Param) -> FloatArray:
    return np.where(man, np.asarray(manoeuvre, dtype=float), np.asarray(positional, dtype=float))


def front_step(
    area: ArrayLike,
    regime: ArrayLike,
    log_force_ratio: ArrayLike,
    params: FrontParams,
    dt_days: float,
    rng: np.random.Generator,
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Advance the occupied area and the regime of every run by ``dt_days`` days (war-model §5).

    The increment over the step is ``μ·dt + σ·√dt·Z + Σ_{k≤N} J_k`` with ``N ~ Poisson(λ·dt)`` and
    ``J_k ~ Normal(jump_mean, jump_sd²)`` (so the jump sum is ``N·m + √N·sd·Z'``), all evaluated in
    the regime held at the start of the step (Euler scheme of the Merton jump diffusion). The area is
    then clipped to ``[area_min, area_max]``, and the regime moves by the ``dt_days``-step transition
    matrix of the Markov chain. Arrays have shape ``(runs,)``; any parameter may be a scalar or an
    array over runs. Random draws come only from ``rng`` (in the fixed order Z, N, Z', U).
    """
    if dt_days <= 0:
        raise ValueError("dt_days must be > 0")
    area_a = np.asarray(area, dtype=float)
    regime_a = np.asarray(regime)
    rho = np.asarray(log_force_ratio, dtype=float)
    shape = np.broadcast_shapes(area_a.shape, regime_a.shape, rho.shape, _params_shape(params))
    man = np.broadcast_to(regime_a == MANOEUVRE, shape)
    abs_rho = np.abs(rho)

    drift = _by_regime(man, params.drift_positional, params.drift_manoeuvre) + np.asarray(
        params.kappa
    ) * np.tanh(rho / np.asarray(params.drift_scale))
    sigma = (
        _by_regime(man, params.sigma_positional, params.sigma_manoeuvre)
        + np.asarray(params.sigma_force) * abs_rho
    )
    rate = _by_regime(man, params.jump_rate_positional, params.jump_rate_manoeuvre) * np.exp(
        np.asarray(params.eta) * abs_rho
    )
    jump_mean = _by_regime(man, params.jump_mean_positional, params.jump_mean_manoeuvre)
    jump_sd = _by_regime(man, params.jump_sd_positional, params.jump_sd_manoeuvre)

    z = rng.standard_normal(shape)
    n_jumps = rng.poisson(np.broadcast_to(rate * dt_days, shape))
    z_jump = rng.standard_normal(shape)
    new_area = (
        area_a
        + drift * dt_days
        + sigma * math.sqrt(dt_days) * z
        + n_jumps * jump_mean
        + np.sqrt(n_jumps) * jump_sd * z_jump
    )
    new_area = np.clip(new_area, np.asarray(params.area_min), np.asarray(params.area_max))

    stay_pos, stay_man = transition_probabilities(params, dt_days)
    u = rng.random(shape)
    new_regime = np.where(
        man,
        np.where(u < stay_man, MANOEUVRE, POSITIONAL),
        np.where(u < stay_pos, POSITIONAL, MANOEUVRE),
    ).astype(np.int64)
    return np.broadcast_to(new_area, shape).astype(float), new_regime


def _params_shape(params: FrontParams) -> tuple[int, ...]:
    return np.broadcast_shapes(*(np.shape(getattr(params, n)) for n in NUMERIC_FIELDS))
