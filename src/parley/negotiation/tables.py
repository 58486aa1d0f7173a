"""The per-issue forecast table of stakeholder models, shared by the Python API and the dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parley.negotiation.registry import ModelResult
from parley.scenario.schema import Scenario

#: Columns of :func:`forecast_rows`, in order.
FORECAST_COLUMNS = ("variant", "scenario", "model", "issue", "issue_name", "unit", "scale_min",
                    "scale_max", "forecast", "reference", "actual")  # fmt: skip


def forecast_rows(
    scenarios: Sequence[Scenario],
    model: str,
    result: ModelResult,
    names: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """One row per scenario and issue of a model's forecast of a batch.

    Parameters
    ----------
    scenarios : sequence of Scenario
        The scenarios of the batch, in batch order.
    model : str
        The model id.
    result : ModelResult
        The model's result on the batch (``outcome`` of shape ``(batch, issues)``).
    names : sequence of str, optional
        A variant name per scenario (default: the scenario ids).

    Returns
    -------
    list of dict
        Rows with the keys of :data:`FORECAST_COLUMNS`: the forecast on the issue's scale, its
        bounds, reference point and recorded outcome (None if none).
    """
    labels = list(names) if names is not None else [sc.id for sc in scenarios]
    rows: list[dict[str, Any]] = []
    for b, sc in enumerate(scenarios):
        for k, issue in enumerate(sc.issues):
            rows.append(
                {
                    "variant": labels[b],
                    "scenario": sc.id,
                    "model": model,
                    "issue": issue.id,
                    "issue_name": issue.name or issue.id,
                    "unit": issue.unit,
                    "scale_min": issue.scale_min,
                    "scale_max": issue.scale_max,
                    "forecast": float(result.outcome[b, k]),
                    "reference": issue.reference_point,
                    "actual": issue.outcome,
                }
            )
    return rows
