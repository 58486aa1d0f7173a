"""Read an observed series a scenario declares (``observed``, :mod:`parley.scenario.observed`).

The file was located and its columns checked when the scenario loaded; this reads the values.
"""

from __future__ import annotations

import pandas as pd

from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario


def observed_series(
    scenario: Scenario, name: str, until: str | None = None, days_before: int | None = None
) -> pd.DataFrame:
    """The scenario's observed series ``name`` as ``date`` (``YYYY-MM-DD``) and ``value``.

    Rows where the series' ``keep_where`` column is false are left out; with ``until``, only
    dates up to it (and, with ``days_before``, no earlier than that many days before it). An empty
    frame when the scenario declares no such series.
    """
    series = (scenario.observed or {}).get(name)
    if series is None:
        return pd.DataFrame({"date": pd.Series(dtype=str), "value": pd.Series(dtype=float)})
    path = series.path()
    if path is None:  # moved or deleted since the scenario loaded
        raise ScenarioError(f"file '{series.file}' not found", field=f"observed.{name}.file")
    df = pd.read_csv(path, parse_dates=[series.date_column])
    if series.keep_where is not None:
        df = df[df[series.keep_where].astype(bool)]
    dates = df[series.date_column]
    if until:
        df = df[dates <= pd.Timestamp(until)]
        if days_before is not None:
            df = df[df[series.date_column] >= pd.Timestamp(until) - pd.Timedelta(days=days_before)]
    return pd.DataFrame(
        {
            "date": df[series.date_column].dt.strftime("%Y-%m-%d"),
            "value": df[series.column].astype(float),
        }
    ).reset_index(drop=True)


def observed_front(scenario: Scenario, until: str | None = None) -> pd.DataFrame:
    """The scenario's observed front (``observed.front``) as ``date, km2`` up to ``until``."""
    return observed_series(scenario, "front", until).rename(columns={"value": "km2"})


def observed_source(scenario: Scenario, name: str = "front") -> str:
    """The citation of the observed series ``name`` the scenario declares (``""`` if none)."""
    spec = (scenario.observed or {}).get(name)
    return spec.source if spec is not None else ""
