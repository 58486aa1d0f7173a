"""One fit of the front process in a ``--front-params`` file: its ``params``, ``stderr`` and ``metadata``.

The checks shared by the top level of the file (:mod:`parley.scenario.front_params`) and by each
window fit of its ``mixture`` (:mod:`parley.scenario.front_mixture_params`): every parameter of the
front process (war-model §5; :class:`parley.war.front.FrontParams`) is either required
(:data:`REQUIRED`) or defaulted explicitly in :data:`DEFAULTS`, every value is a finite number (or
a list of them, one per run) inside the range in :data:`RANGES`, and the metadata that ``parley
simulate`` uses (the last observed day and area, the filtered regime probability, the asymptotic
law ``theta``/``theta_cov`` of the fit) is checked for type, shape and range.

Ranges are physical bounds, not priors: areas are at most 2e8 km² (more than the Earth's land),
daily rates and moments at most what would move that area in a day.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from parley.scenario.errors import ScenarioError

#: Largest area in km² (the Earth's land is about 1.5e8 km²).
MAX_AREA = 2e8
#: Largest per-day drift, volatility or jump size in km².
MAX_DAILY = 1e6

#: The regime parameters a fit always writes: a file without any of them is refused.
REQUIRED = (
    "drift_positional",
    "drift_manoeuvre",
    "sigma_positional",
    "sigma_manoeuvre",
    "jump_rate_positional",
    "jump_rate_manoeuvre",
    "jump_mean_positional",
    "jump_mean_manoeuvre",
    "jump_sd_positional",
    "jump_sd_manoeuvre",
    "p_positional_to_manoeuvre",
    "p_manoeuvre_to_positional",
)
#: Offensive regimes (``parley calibrate front --model offensive``), force-ratio terms and bounds,
#: defaulted explicitly when absent (their values in FrontParams: no offensive regime, no
#: force-ratio effect, an unbounded area), so a two-regime fit written before the offensive
#: regimes existed still reads the same. ``None`` for ``area_max`` means unbounded.
DEFAULTS: dict[str, float | None] = {
    "drift_offensive": 0.0,
    "sigma_offensive": 0.0,
    "jump_rate_offensive": 0.0,
    "jump_size_mean": 0.0,
    "jump_size_sd": 0.0,
    "p_offensive_A": 0.0,
    "p_offensive_B": 0.0,
    "p_culminate": 0.0,
    "p_recover": 0.0,
    "drift_reversion": 0.0,
    "drift_innovation_sd": 0.0,
    "kappa": 0.0,
    "drift_scale": 1.0,
    "sigma_force": 0.0,
    "eta": 0.0,
    "area_min": 0.0,
    "area_max": None,
}
#: Closed range of every parameter; ``drift_scale`` must also be > 0.
RANGES: dict[str, tuple[float, float]] = {
    "drift_positional": (-MAX_DAILY, MAX_DAILY),
    "drift_manoeuvre": (-MAX_DAILY, MAX_DAILY),
    "sigma_positional": (0.0, MAX_DAILY),
    "sigma_manoeuvre": (0.0, MAX_DAILY),
    "jump_rate_positional": (0.0, 100.0),
    "jump_rate_manoeuvre": (0.0, 100.0),
    "jump_mean_positional": (-MAX_AREA, MAX_AREA),
    "jump_mean_manoeuvre": (-MAX_AREA, MAX_AREA),
    "jump_sd_positional": (0.0, MAX_AREA),
    "jump_sd_manoeuvre": (0.0, MAX_AREA),
    "p_positional_to_manoeuvre": (0.0, 1.0),
    "p_manoeuvre_to_positional": (0.0, 1.0),
    "drift_offensive": (-MAX_DAILY, MAX_DAILY),
    "sigma_offensive": (0.0, MAX_DAILY),
    "jump_rate_offensive": (0.0, 100.0),
    "jump_size_mean": (-MAX_AREA, MAX_AREA),
    "jump_size_sd": (0.0, MAX_AREA),
    "p_offensive_A": (0.0, 1.0),
    "p_offensive_B": (0.0, 1.0),
    "p_culminate": (0.0, 1.0),
    "p_recover": (0.0, 1.0),
    "drift_reversion": (0.0, 1.0),
    "drift_innovation_sd": (0.0, MAX_DAILY),
    "kappa": (-MAX_DAILY, MAX_DAILY),
    "drift_scale": (0.0, 1e3),
    "sigma_force": (0.0, MAX_DAILY),
    "eta": (0.0, 50.0),
    "area_min": (0.0, MAX_AREA),
    "area_max": (0.0, MAX_AREA),
}


def check_numbers(value: Any, field: str, low: float, high: float, file: str | None) -> list[float]:
    """The finite numbers in ``value`` (a number or a non-empty list of them), each within
    ``[low, high]``; else a :class:`ScenarioError` located at ``field``."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ScenarioError(
            "expected a number or a non-empty list of numbers", file=file, field=field
        )
    out = []
    for v in items:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ScenarioError(f"expected a number, got {str(v)[:40]!r}", file=file, field=field)
        x = float(v)
        if not math.isfinite(x):
            raise ScenarioError(f"expected a finite number, got {x:g}", file=file, field=field)
        if x < low:
            raise ScenarioError(f"expected a value >= {low:g}, got {x:g}", file=file, field=field)
        if x > high:
            raise ScenarioError(f"expected a value <= {high:g}, got {x:g}", file=file, field=field)
        out.append(x)
    return out


def _params(raw: Any, file: str | None) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ScenarioError("expected a mapping of front parameters", file=file, field="params")
    unknown = sorted(set(raw) - set(RANGES))
    if unknown:
        raise ScenarioError(
            f"unknown front parameter '{unknown[0]}'; expected {', '.join(RANGES)}",
            file=file,
            field=f"params.{unknown[0]}",
        )
    out: dict[str, Any] = {**DEFAULTS, **raw}
    lengths = set()
    for name, (low, high) in RANGES.items():
        value = out.get(name)
        if value is None and (name == "area_max" or name not in raw):
            continue
        nums = check_numbers(value, f"params.{name}", low, high, file)
        if isinstance(value, list):
            lengths.add(len(nums))
        if name == "drift_scale" and min(nums) <= 0:
            raise ScenarioError("expected a number > 0", file=file, field="params.drift_scale")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise ScenarioError(
            f"required parameter is missing ({len(missing)} of {len(REQUIRED)} missing: "
            f"{', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''})",
            file=file,
            field=f"params.{missing[0]}",
        )
    if len(lengths) > 1:
        raise ScenarioError(
            "per-run lists must all have the same length", file=file, field="params"
        )
    # daily probabilities of leaving one regime must sum to at most 1 (war-model §5)
    for names in (
        ("p_positional_to_manoeuvre", "p_manoeuvre_to_positional"),
        ("p_positional_to_manoeuvre", "p_offensive_A", "p_offensive_B"),
    ):
        total = sum(max(check_numbers(out[n], n, 0, 1, file)) for n in names)
        if total > 1 + 1e-12:
            raise ScenarioError(
                f"the daily switching probabilities {', '.join(names)} must sum to at most 1",
                file=file,
                field=f"params.{names[-1]}",
            )
    if out["area_max"] is not None and max(
        check_numbers(out["area_min"], "", 0, MAX_AREA, file)
    ) > min(check_numbers(out["area_max"], "", 0, MAX_AREA, file)):
        raise ScenarioError(
            "area_max must be at least area_min", file=file, field="params.area_max"
        )
    return out


def _stderr(raw: Any, file: str | None) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScenarioError("expected a mapping of standard errors", file=file, field="stderr")
    for name, value in raw.items():
        if name not in RANGES:
            raise ScenarioError("unknown front parameter", file=file, field=f"stderr.{name}")
        if value is not None:
            check_numbers(value, f"stderr.{name}", 0.0, math.inf, file)
    return dict(raw)


def _metadata(raw: Any, file: str | None) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScenarioError("expected a mapping", file=file, field="metadata")
    if raw.get("last_value") is not None:
        check_numbers(raw["last_value"], "metadata.last_value", 0.0, MAX_AREA, file)
    probs = raw.get("regime_probs_last")
    if probs is not None:
        check_numbers(probs, "metadata.regime_probs_last", 0.0, 1.0, file)
    if raw.get("p_manoeuvre_last") is not None:
        check_numbers(raw["p_manoeuvre_last"], "metadata.p_manoeuvre_last", 0.0, 1.0, file)
    if raw.get("last_date") is not None:
        try:
            date.fromisoformat(str(raw["last_date"]))
        except ValueError:
            raise ScenarioError(
                "expected a date YYYY-MM-DD", file=file, field="metadata.last_date"
            ) from None
    _theta(raw, file)
    return dict(raw)


def _theta(meta: dict[str, Any], file: str | None) -> None:
    """``theta`` (finite numbers), ``theta_names`` (known parameters, same length) and
    ``theta_cov`` (a square matrix of that size) must agree when present."""
    theta, names, cov = meta.get("theta"), meta.get("theta_names"), meta.get("theta_cov")
    if theta is None and cov is None:
        return
    if not isinstance(theta, list) or not theta:
        raise ScenarioError("expected a list of numbers", file=file, field="metadata.theta")
    n = len(check_numbers(theta, "metadata.theta", -math.inf, math.inf, file))
    if names is not None and (
        not isinstance(names, list) or len(names) != n or any(x not in RANGES for x in names)
    ):
        raise ScenarioError(
            f"expected {n} front parameter names matching theta",
            file=file,
            field="metadata.theta_names",
        )
    if cov is not None:
        if (
            not isinstance(cov, list)
            or len(cov) != n
            or any(not isinstance(r, list) or len(r) != n for r in cov)
        ):
            raise ScenarioError(
                f"expected a {n} x {n} matrix", file=file, field="metadata.theta_cov"
            )
        for k, row in enumerate(cov):
            check_numbers(row, f"metadata.theta_cov[{k}]", -math.inf, math.inf, file)


def refuse_unknown(
    data: dict[str, Any], allowed: tuple[str, ...], what: str, file: str | None, prefix: str = ""
) -> None:
    """Refuse a key of ``data`` not in ``allowed`` (``what`` names the kind of key)."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ScenarioError(
            f"unknown {what}; expected {', '.join(allowed)}",
            file=file,
            field=f"{prefix}{str(unknown[0])[:80]}",
        )


def validate_fit(data: dict[str, Any], file: str | None) -> dict[str, Any]:
    """The validated ``params`` (defaults filled in), ``stderr`` and ``metadata`` of one fit (the
    top level of the file or a component of its mixture)."""
    return {
        "params": _params(data["params"], file),
        "stderr": _stderr(data.get("stderr"), file),
        "metadata": _metadata(data.get("metadata"), file),
    }
