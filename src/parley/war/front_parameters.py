"""Parameters of the front process (:mod:`parley.war.front`) and their scenario/JSON forms.

:class:`FrontParams` holds every number of the process (war-model §5; the offensive regimes of
``docs/calibration.md``); :data:`SPEC_FIELDS` maps the scenario's ``war.front`` fields onto it
(:func:`front_params_from_spec`); :meth:`FrontParams.to_dict`/:meth:`FrontParams.from_dict` are the
JSON form written by ``parley calibrate front``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.scenario.errors import ScenarioError

FloatArray = NDArray[np.float64]
Param = float | FloatArray


@dataclass(frozen=True)
class FrontParams:
    """Parameters of the regime-switching jump diffusion of the front (war-model §5).

    Rates and moments are per day: drift in km²/day, ``sigma`` in km²/√day, jump rates in jumps/day,
    jump mean and sd in km², transition probabilities per day. ``drift_offensive`` and
    ``jump_size_mean`` are magnitudes: an offensive by A moves the area up by them, one by B down. ``stderr`` maps field names to
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
    drift_offensive: Param = 0.0
    sigma_offensive: Param = 0.0
    jump_rate_offensive: Param = 0.0
    jump_size_mean: Param = 0.0
    jump_size_sd: Param = 0.0
    p_offensive_A: Param = 0.0
    p_offensive_B: Param = 0.0
    p_culminate: Param = 0.0
    p_recover: Param = 0.0
    drift_reversion: Param = 0.0
    drift_innovation_sd: Param = 0.0
    kappa: Param = 0.0
    drift_scale: Param = 1.0
    sigma_force: Param = 0.0
    eta: Param = 0.0
    area_min: Param = 0.0
    area_max: Param = math.inf
    stderr: dict[str, float] = field(default_factory=dict, compare=False)
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    #: Derived arrays (transition matrices per step length), rebuilt for every new instance.
    cache: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

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
            "sigma_offensive",
            "jump_rate_offensive",
            "jump_size_sd",
            "drift_reversion",
            "drift_innovation_sd",
        )
        for name in nonneg:
            if np.any(np.asarray(getattr(self, name)) < 0):
                raise bad(name, "a value >= 0")
        a = np.asarray(self.p_positional_to_manoeuvre)
        b = np.asarray(self.p_manoeuvre_to_positional)
        for name, p in (("p_positional_to_manoeuvre", a), ("p_manoeuvre_to_positional", b)):
            if np.any((p < 0) | (p > 1)):
                raise bad(name, "a daily probability in [0, 1]")
        out_of_positional = a + np.asarray(self.p_offensive_A) + np.asarray(self.p_offensive_B)
        for name in ("p_offensive_A", "p_offensive_B", "p_culminate", "p_recover"):
            p = np.asarray(getattr(self, name))
            if np.any((p < 0) | (p > 1)):
                raise bad(name, "a daily probability in [0, 1]")
        if np.any(out_of_positional > 1):
            raise bad("p_offensive_B", "daily switching probabilities summing to <= 1")
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
    f.name for f in fields(FrontParams) if f.name not in ("stderr", "metadata", "cache")
)


#: ``war.front`` scenario field -> :class:`FrontParams` field (all numeric fields of the section).
SPEC_FIELDS: dict[str, str] = {
    "drift_km2_per_day": "drift_positional",
    "sigma_km2_per_sqrt_day": "sigma_positional",
    "jump_rate_per_day": "jump_rate_positional",
    "jump_mean_km2": "jump_mean_positional",
    "jump_sd_km2": "jump_sd_positional",
    "manoeuvre_drift_km2_per_day": "drift_manoeuvre",
    "manoeuvre_sigma_km2_per_sqrt_day": "sigma_manoeuvre",
    "manoeuvre_jump_rate_per_day": "jump_rate_manoeuvre",
    "manoeuvre_jump_mean_km2": "jump_mean_manoeuvre",
    "manoeuvre_jump_sd_km2": "jump_sd_manoeuvre",
    "p_to_manoeuvre_per_day": "p_positional_to_manoeuvre",
    "p_to_positional_per_day": "p_manoeuvre_to_positional",
    "offensive_drift_km2_per_day": "drift_offensive",
    "offensive_sigma_km2_per_sqrt_day": "sigma_offensive",
    "offensive_jump_rate_per_day": "jump_rate_offensive",
    "offensive_jump_size_km2": "jump_size_mean",
    "offensive_jump_sd_km2": "jump_size_sd",
    "p_offensive_A_per_day": "p_offensive_A",
    "p_offensive_B_per_day": "p_offensive_B",
    "p_culminate_per_day": "p_culminate",
    "p_recover_per_day": "p_recover",
    "drift_reversion_per_day": "drift_reversion",
    "drift_innovation_sd_km2_per_day": "drift_innovation_sd",
    "kappa_km2_per_day": "kappa",
    "s": "drift_scale",
    "sigma1_km2_per_sqrt_day": "sigma_force",
    "eta": "eta",
}


def front_params_from_spec(
    spec: Any, *, area_min: float = 0.0, area_max: float = math.inf
) -> FrontParams:
    """:class:`FrontParams` from a scenario's ``war.front`` section (or any mapping/object with
    its field names; see :data:`SPEC_FIELDS`), bounded by the region's ``[area_min, area_max]``.
    Values may be numbers or arrays over runs.
    """
    get = spec.get if isinstance(spec, dict) else (lambda k: getattr(spec, k))
    kwargs: dict[str, Any] = {}
    for key, name in SPEC_FIELDS.items():
        arr = np.asarray(get(key), dtype=float)
        kwargs[name] = float(arr) if arr.ndim == 0 else arr
    return FrontParams(**kwargs, area_min=area_min, area_max=area_max)


def front_overrides(fp: FrontParams, runs: int) -> dict[str, Any]:
    """Dotted ``war.front.*`` overrides (as :func:`parley.war.params.compile_war` takes them) from
    front parameters, e.g. a calibrated fit drawn per run; arrays must have ``runs`` values."""
    back = {v: k for k, v in SPEC_FIELDS.items()}
    out: dict[str, Any] = {}
    for name, key in back.items():
        value = np.asarray(getattr(fp, name), dtype=float)
        if value.ndim == 1 and value.shape[0] != runs:
            raise ScenarioError(
                f"front parameter has {value.shape[0]} values but --runs is {runs}",
                field=f"params.{name}",
            )
        out[f"war.front.{key}"] = float(value) if value.ndim == 0 else value
    return out
