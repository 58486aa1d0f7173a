"""Two one-call entry points of the public API: stakeholder forecasts and war simulations.

:func:`forecast` runs stakeholder models (:mod:`parley.negotiation.registry`) on a scenario and
returns a tidy frame; :func:`simulate` compiles a scenario's ``war`` section
(:func:`parley.war.params.compile_war`), optionally under one of its policies and assumption
sets, and runs the bargaining-while-fighting engine (:func:`parley.war.engine.simulate`). Both
accept a :class:`~parley.scenario.schema.Scenario` or the path of a scenario file, and default to
:data:`parley.seeds.DEFAULT_SEED`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from parley.experiments.design import policy_overrides
from parley.negotiation.registry import DEFAULT_MODELS, check_model_id, run_model
from parley.negotiation.tables import FORECAST_COLUMNS, forecast_rows
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.load import load_scenario
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED
from parley.war.engine import simulate as simulate_war
from parley.war.params import compile_war

__all__ = ["forecast", "simulate"]


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def forecast(
    scenario: Scenario | str | Path,
    models: Sequence[str] = DEFAULT_MODELS,
    *,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Forecast the outcome of every issue of ``scenario`` with each stakeholder model.

    Parameters
    ----------
    scenario : Scenario, str or Path
        The scenario, or the path of a scenario file (any format of
        :func:`parley.scenario.load.load_scenario`).
    models : sequence of str
        Model ids of :data:`parley.negotiation.registry.MODELS`; by default
        :data:`~parley.negotiation.registry.DEFAULT_MODELS`.
    seed : int
        Seed of the stochastic models (exchange, SMP); the deterministic ones ignore it.

    Returns
    -------
    pandas.DataFrame
        One row per (model, issue): ``scenario``, ``model``, ``issue``, ``issue_name``, ``unit``,
        ``scale_min``, ``scale_max``, ``forecast`` (on the issue's scale), ``reference`` (the
        issue's reference point) and ``actual`` (its recorded outcome, NaN if none).

    Raises
    ------
    ScenarioError
        An unknown model id, or a scenario that does not load.
    """
    sc = _scenario(scenario)
    for m in models:
        check_model_id(m)
    batch = stakeholder_batch(sc)
    rows: list[dict[str, Any]] = []
    for m in models:
        rows.extend(forecast_rows([sc], m, run_model(m, batch, seed=seed)))
    frame = pd.DataFrame(rows, columns=list(FORECAST_COLUMNS)).drop(columns="variant")
    return frame.astype({"reference": float, "actual": float})


def simulate(
    scenario: Scenario | str | Path,
    runs: int = 1000,
    *,
    seed: int = DEFAULT_SEED,
    policy: str | None = None,
    assumptions: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    record_paths: bool = True,
) -> xr.Dataset:
    """Simulate ``runs`` wars of ``scenario`` at once (the ``war`` section; war-model.md).

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario with a ``war`` section, or its file.
    runs : int
        Monte Carlo runs.
    seed : int
        Root seed (same seed, same results; ``parley simulate --seed`` gives the same numbers).
    policy : str, optional
        A policy of ``experiment.policies`` whose levers are applied.
    assumptions : str, optional
        An assumption set (or ``"baseline"``): each run draws the uncertain parameters under it.
    overrides : mapping, optional
        Further dotted-path overrides (``{"war.policy.concession": 0.1}``), applied last.
    record_paths : bool
        Keep the per-step paths (``step`` dimension); ``False`` keeps only per-run results.

    Returns
    -------
    xarray.Dataset
        Per-run variables with a leading ``run`` dimension (``outcome``, ``settled``,
        ``settle_step``, terms, casualties, durability ...) and, with ``record_paths``, per-step
        paths; see :mod:`parley.war.engine` and :mod:`parley.war.dataset`.

    Raises
    ------
    ScenarioError
        No war section, an unknown policy, or an invalid override.
    """
    sc = _scenario(scenario)
    over = policy_overrides(sc, policy, assumptions, runs, seed)
    over.update(overrides or {})
    params = compile_war(sc, over, runs)
    return simulate_war(params, runs, seed, record_paths=record_paths)
