"""The ``mixture`` section of a ``--front-params`` file: window fits weighted into one forecast.

Written by ``parley calibrate front --windows`` (:mod:`parley.analysis.front_mixture`): each
component is one window's fit (``window_days``, ``first_day``, ``weight``, ``log_score`` and its
``params``/``stderr``/``metadata``, checked as the top level is by
:func:`parley.scenario.front_fit_section.validate_fit`); the weights are >= 0 and sum to 1, and
every component fits the same series to the same last day and area.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from parley.scenario.errors import ScenarioError
from parley.scenario.front_fit_section import check_numbers, refuse_unknown, validate_fit

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


def _component(entry: Any, k: int, file: str | None) -> dict[str, Any]:
    where = f"mixture[{k}]"
    if not isinstance(entry, dict):
        raise ScenarioError("expected a mapping (one window's fit)", file=file, field=where)
    refuse_unknown(entry, COMPONENT_KEYS, "key", file, f"{where}.")
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
    weight = check_numbers([entry["weight"]], f"{where}.weight", -math.inf, math.inf, file)
    if entry.get("log_score") is not None:
        check_numbers(entry["log_score"], f"{where}.log_score", -math.inf, math.inf, file)
    try:
        checked = validate_fit(entry, file)
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
    :func:`~parley.scenario.front_params.validate_front_params` checks the top level; weights
    >= 0 summing to 1; every component ending on the same day at the same area."""
    if not isinstance(raw, list) or not raw:
        raise ScenarioError("expected a non-empty list of window fits", file=file, field="mixture")
    out = [_component(entry, k, file) for k, entry in enumerate(raw)]
    check_mixture_weights([c["weight"] for c in out], file)
    check_same_end([c["metadata"] for c in out], [f"mixture[{k}]" for k in range(len(out))], file)
    return out
