"""The ``--front-params`` file: the calibrated front written by ``parley calibrate front``, validated.

The file is JSON ``{"params": {...}, "stderr": {...}, "metadata": {...}}`` (``diagnostics`` may sit
beside them). It is held to the same discipline as a scenario: every parameter of the front process
(war-model §5; :class:`parley.war.front.FrontParams`) is either required or defaulted explicitly in
:data:`DEFAULTS`, every value is a finite number (or a list of them, one per run) inside the range
in :data:`RANGES`, and the metadata that ``parley simulate`` uses (the last observed day and area,
the filtered regime probability, the asymptotic law ``theta``/``theta_cov`` of the fit) is checked
for type, shape and range. :func:`load_front_params` returns a plain dict that
:meth:`parley.war.front.FrontParams.from_dict` reads.

Ranges are physical bounds, not priors: areas are at most 2e8 km² (more than the Earth's land),
daily rates and moments at most what would move that area in a day.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from parley.scenario.errors import ScenarioError
from parley.scenario.limits import check_data, load_json
from parley.scenario.load import read_text

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
TOP_LEVEL = ("params", "stderr", "metadata", "diagnostics", "mixture")
#: Keys of one component of ``mixture`` (``parley calibrate front --windows``).
COMPONENT_KEYS = (
    "window_days",
    "first_day",
    "weight",
    "log_score",
    "params",
    "stderr",
    "metadata",
    "diagnostics",
)
#: How far the weights of a mixture may sum from 1 (the fit writes them to full precision).
WEIGHT_SUM_TOL = 1e-3


def _numbers(value: Any, field: str, low: float, high: float, file: str | None) -> list[float]:
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
        nums = _numbers(value, f"params.{name}", low, high, file)
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
        total = sum(max(_numbers(out[n], n, 0, 1, file)) for n in names)
        if total > 1 + 1e-12:
            raise ScenarioError(
                f"the daily switching probabilities {', '.join(names)} must sum to at most 1",
                file=file,
                field=f"params.{names[-1]}",
            )
    if out["area_max"] is not None and max(_numbers(out["area_min"], "", 0, MAX_AREA, file)) > min(
        _numbers(out["area_max"], "", 0, MAX_AREA, file)
    ):
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
            _numbers(value, f"stderr.{name}", 0.0, math.inf, file)
    return dict(raw)


def _metadata(raw: Any, file: str | None) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScenarioError("expected a mapping", file=file, field="metadata")
    if raw.get("last_value") is not None:
        _numbers(raw["last_value"], "metadata.last_value", 0.0, MAX_AREA, file)
    probs = raw.get("regime_probs_last")
    if probs is not None:
        _numbers(probs, "metadata.regime_probs_last", 0.0, 1.0, file)
    if raw.get("p_manoeuvre_last") is not None:
        _numbers(raw["p_manoeuvre_last"], "metadata.p_manoeuvre_last", 0.0, 1.0, file)
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
    n = len(_numbers(theta, "metadata.theta", -math.inf, math.inf, file))
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
            _numbers(row, f"metadata.theta_cov[{k}]", -math.inf, math.inf, file)


def check_mixture_weights(weights: list[float], file: str | None = None) -> None:
    """Refuse mixture weights that are negative, not finite, or do not sum to 1 (within
    :data:`WEIGHT_SUM_TOL`)."""
    for k, w in enumerate(weights):
        if not (math.isfinite(w) and w >= 0):
            raise ScenarioError(
                f"expected a weight >= 0, got {w:g}", file=file, field=f"mixture[{k}].weight"
            )
    total = math.fsum(weights)
    if abs(total - 1.0) > WEIGHT_SUM_TOL:
        raise ScenarioError(
            f"the component weights must sum to 1, got {total:.6g}", file=file, field="mixture"
        )


def check_same_end(
    metadata: list[dict[str, Any]], labels: list[str], file: str | None = None
) -> None:
    """Refuse mixture components that do not end on the same day at the same area
    (``metadata.last_date``/``last_value``): they must be fits of one series to one day.
    ``labels`` name each metadata's place in the file (for the message)."""
    for meta, label in zip(metadata[1:], labels[1:], strict=True):
        for key in ("last_date", "last_value"):
            a, b = metadata[0].get(key), meta.get(key)
            if not (a == b if key == "last_date" else _same_number(a, b)):
                raise ScenarioError(
                    f"every component must fit the same series to the same day; {key} is "
                    f"{b} here and {a} in {labels[0] or 'the top level'}",
                    file=file,
                    field=f"{label}.metadata.{key}".lstrip("."),
                )


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _refuse_unknown(
    data: dict[str, Any], allowed: tuple[str, ...], what: str, file: str | None, prefix: str = ""
) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ScenarioError(
            f"unknown {what}; expected {', '.join(allowed)}",
            file=file,
            field=f"{prefix}{str(unknown[0])[:80]}",
        )


def _sections(data: dict[str, Any], file: str | None) -> dict[str, Any]:
    """The validated ``params``, ``stderr`` and ``metadata`` of a fit (top level or component)."""
    return {
        "params": _params(data["params"], file),
        "stderr": _stderr(data.get("stderr"), file),
        "metadata": _metadata(data.get("metadata"), file),
    }


def _component(entry: Any, k: int, file: str | None) -> dict[str, Any]:
    where = f"mixture[{k}]"
    if not isinstance(entry, dict):
        raise ScenarioError("expected a mapping (one window's fit)", file=file, field=where)
    _refuse_unknown(entry, COMPONENT_KEYS, "key", file, f"{where}.")
    for key in ("window_days", "first_day", "weight", "params"):
        if key not in entry:
            raise ScenarioError("required key is missing", file=file, field=f"{where}.{key}")
    days = entry["window_days"]
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ScenarioError(
            f"expected a whole number of days >= 1, got {str(days)[:40]!r}",
            file=file,
            field=f"{where}.window_days",
        )
    try:
        date.fromisoformat(str(entry["first_day"]))
    except ValueError:
        raise ScenarioError(
            "expected a date YYYY-MM-DD", file=file, field=f"{where}.first_day"
        ) from None
    weight = _numbers([entry["weight"]], f"{where}.weight", -math.inf, math.inf, file)
    if entry.get("log_score") is not None:
        _numbers(entry["log_score"], f"{where}.log_score", -math.inf, math.inf, file)
    try:
        checked = _sections(entry, file)
    except ScenarioError as exc:
        raise ScenarioError(
            exc.message, file=exc.file, field=f"{where}.{exc.field}", line=exc.line
        ) from None
    return {
        **checked,
        "window_days": days,
        "first_day": str(entry["first_day"]),
        "weight": weight[0],
        "log_score": entry.get("log_score"),
    }


def validate_mixture(raw: Any, file: str | None = None) -> list[dict[str, Any]]:
    """Validate the ``mixture`` list of a front fit (``parley calibrate front --windows``): each
    component's ``window_days``, ``first_day``, ``weight`` and its parameters as
    :func:`validate_front_params` checks the top level; weights >= 0 summing to 1; every
    component ending on the same day at the same area."""
    if not isinstance(raw, list) or not raw:
        raise ScenarioError("expected a non-empty list of window fits", file=file, field="mixture")
    out = [_component(entry, k, file) for k, entry in enumerate(raw)]
    check_mixture_weights([c["weight"] for c in out], file)
    check_same_end([c["metadata"] for c in out], [f"mixture[{k}]" for k in range(len(out))], file)
    return out


def validate_front_params(data: Any, file: str | None = None) -> dict[str, Any]:
    """Validate decoded front parameters; return ``{"params", "stderr", "metadata"}`` (and
    ``mixture``, validated by :func:`validate_mixture`, when the file has one) with every
    parameter present (defaults filled in) or raise a located :class:`ScenarioError`."""
    check_data(data, file)
    if not isinstance(data, dict):
        raise ScenarioError(
            "expected a mapping with 'params' (the file 'parley calibrate front' writes)", file=file
        )
    _refuse_unknown(data, TOP_LEVEL, "section", file)
    if "params" not in data:
        raise ScenarioError("required section is missing", file=file, field="params")
    out = _sections(data, file)
    if data.get("mixture") is not None:
        out["mixture"] = validate_mixture(data["mixture"], file)
        metas = [out["metadata"]] + [c["metadata"] for c in out["mixture"]]
        labels = [""] + [f"mixture[{k}]" for k in range(len(metas) - 1)]
        check_same_end(metas, labels, file)
    return out


def load_front_params(path: str | Path) -> dict[str, Any]:
    """Read and validate a ``--front-params`` JSON file (size, encoding, depth, then the schema)."""
    p = Path(path)
    return validate_front_params(load_json(read_text(p), str(p)), str(p))


def check_area_series(values: Any, file: str | Path, field: str) -> None:
    """Refuse a front series (occupied area per day, km²) holding an infinite, negative or
    impossibly large value; missing days (NaN) are allowed. The line is the data row + 2."""
    import numpy as np  # noqa: PLC0415

    arr = np.asarray(values, dtype=float)
    bad = ~np.isnan(arr) & ~((arr >= 0) & (arr <= MAX_AREA))
    hits = np.flatnonzero(bad)
    if hits.size:
        row = int(hits[0])
        raise ScenarioError(
            f"row {row + 1}: expected an area in [0, {MAX_AREA:g}] km², got {arr[row]:g}",
            file=file,
            field=field,
            line=row + 2,
        )
