"""The one interface through which experiments evaluate a model, and the models that plug into it.

A model is a function ``(scenario, params, n_runs, seed) -> xarray.Dataset``:

- ``scenario``: the validated :class:`~parley.scenario.schema.Scenario`;
- ``params``: dotted scenario path -> array of shape ``(n_runs,)``, one parameter set per run;
- ``n_runs``: the number of runs evaluated in this call (vectorised);
- ``seed``: a :class:`numpy.random.SeedSequence`, the only source of randomness.

It returns per-run variables with a leading ``run`` dimension (``(run,)`` or ``(run, X)``); per-step
variables (with a ``step`` dimension) are ignored by the sweeps. Models are looked up by name:

- ``war``: the bargaining-while-fighting simulator (``parley.war.params.compile_war`` then
  ``parley.war.engine.simulate`` with ``record_paths=False``);
- any stakeholder model id of :mod:`parley.negotiation.registry` (e.g. ``compromise``), or
  ``stakeholder:<id>``: deterministic forecasts, ``terms (run, issue)``;
- ``ishigami``, ``linear``: analytic test functions (:mod:`parley.experiments.testfunctions`);
- ``module:function`` for any importable function with this signature.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from parley.negotiation.registry import MODELS, check_model_id, run_model
from parley.scenario.arrays import StakeholderBatch, stakeholder_batch
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario
from parley.war.engine import simulate
from parley.war.params import compile_war

FloatArray = NDArray[np.float64]
ExperimentModel = Callable[..., xr.Dataset]

ANALYTIC = {
    "ishigami": "parley.experiments.testfunctions:ishigami_model",
    "linear": "parley.experiments.testfunctions:linear_model",
}


def war_model(
    scenario: Scenario,
    params: Mapping[str, FloatArray],
    n_runs: int,
    seed: np.random.SeedSequence,
    **options: Any,
) -> xr.Dataset:
    """Run the war simulator for ``n_runs`` parameter sets in one vectorised call."""
    if scenario.war is None:
        raise ScenarioError("the scenario has no 'war' section; pick a stakeholder model instead")
    wp = compile_war(scenario, dict(params), n_runs=n_runs)
    ds: xr.Dataset = simulate(wp, n_runs, seed, record_paths=False, **options)
    return ds


def _index(ids: tuple[str, ...], key: str, what: str, path: str) -> int:
    if key in ids:
        return ids.index(key)
    if key.isdigit() and int(key) < len(ids):
        return int(key)
    raise ScenarioError(f"unknown {what} '{key}' in path '{path}'", field=path)


def apply_stakeholder_params(
    batch: StakeholderBatch, params: Mapping[str, FloatArray], n_runs: int
) -> StakeholderBatch:
    """Broadcast a one-scenario batch to ``n_runs`` and set the per-run parameters (vectorised).

    Paths understood: ``actors.<id>.capability``, ``actors.<id>.positions.<issue>.position``,
    ``actors.<id>.positions.<issue>.salience`` and ``issues.<id>.reference_point``.
    """
    pos = np.repeat(batch.position[:1], n_runs, axis=0)
    sal = np.repeat(batch.salience[:1], n_runs, axis=0)
    cap = np.repeat(batch.capability[:1], n_runs, axis=0)
    ref = np.repeat(batch.reference[:1], n_runs, axis=0)
    actors, issues = batch.actor_ids[0], batch.issue_ids[0]
    for path, value in params.items():
        v = np.broadcast_to(np.asarray(value, dtype=float), (n_runs,))
        seg = path.split(".")
        if len(seg) == 3 and seg[0] == "actors" and seg[2] == "capability":
            cap[:, _index(actors, seg[1], "actor", path)] = v
        elif len(seg) == 5 and seg[0] == "actors" and seg[2] == "positions":
            a = _index(actors, seg[1], "actor", path)
            i = _index(issues, seg[3], "issue", path)
            if seg[4] == "position":
                pos[:, a, i] = v
            elif seg[4] == "salience":
                sal[:, a, i] = np.clip(v, 0.0, 1.0)
            else:
                raise ScenarioError(f"stakeholder models cannot vary '{path}'", field=path)
        elif len(seg) == 3 and seg[0] == "issues" and seg[2] == "reference_point":
            ref[:, _index(issues, seg[1], "issue", path)] = v
        else:
            raise ScenarioError(
                f"stakeholder models cannot vary '{path}' (they read actors' capability, "
                f"position and salience and issues' reference_point)",
                field=path,
            )

    def rep(x: FloatArray) -> FloatArray:
        return np.repeat(x[:1], n_runs, axis=0)

    return StakeholderBatch(
        position=pos,
        salience=sal,
        capability=cap,
        scale_min=rep(batch.scale_min),
        scale_max=rep(batch.scale_max),
        reference=ref,
        outcome=rep(batch.outcome),
        scenario_ids=batch.scenario_ids[:1] * n_runs,
        actor_ids=batch.actor_ids[:1] * n_runs,
        issue_ids=batch.issue_ids[:1] * n_runs,
    )


def _int_seed(seed: np.random.SeedSequence) -> int:
    """The integer seed a stakeholder model takes, drawn from the chunk's seed sequence."""
    return int(seed.generate_state(1, dtype=np.uint32)[0])


def stakeholder_model(model_id: str) -> ExperimentModel:
    """Wrap stakeholder model ``model_id`` of the negotiation registry as an experiment model."""

    def run(
        scenario: Scenario,
        params: Mapping[str, FloatArray],
        n_runs: int,
        seed: np.random.SeedSequence,
        **options: Any,
    ) -> xr.Dataset:
        batch = apply_stakeholder_params(stakeholder_batch(scenario), params, n_runs)
        res = run_model(model_id, batch, seed=_int_seed(seed), **options)
        return xr.Dataset(
            {"terms": (("run", "issue"), np.asarray(res.outcome, dtype=float))},
            coords={"run": np.arange(n_runs), "issue": list(batch.issue_ids[0])},
        )

    return run


def resolve_model(name: str) -> ExperimentModel:
    """Resolve a model name (see the module docstring) to a function."""
    if name == "war":
        return war_model
    if name in ANALYTIC:
        name = ANALYTIC[name]
    if name.startswith("stakeholder:"):
        return stakeholder_model(name.split(":", 1)[1])
    if ":" in name:
        module, func = name.split(":", 1)
        try:
            fn: ExperimentModel = getattr(importlib.import_module(module), func)
        except (ImportError, AttributeError):
            raise ScenarioError(f"cannot import model '{name}'") from None
        return fn
    if name in MODELS:
        return stakeholder_model(name)
    check_model_id(name, ["war", *ANALYTIC, *MODELS])
    raise AssertionError("unreachable")  # pragma: no cover


def default_model(scenario: Scenario) -> str:
    """``war`` when the scenario has a war section, else the ``compromise`` stakeholder model."""
    return "war" if scenario.war is not None else "compromise"


#: Horizons (days) of the derived measures ``settled_by_<d>d`` = P(settlement by t).
HORIZONS_DAYS = (90, 365, 730, 1825)


def tidy_runs(ds: xr.Dataset) -> pd.DataFrame:
    """Flatten the per-run variables of a model's dataset into one row per run.

    ``(run,)`` variables become columns of the same name, ``(run, X)`` variables one column per
    label ``var.label``; variables with other dimensions (paths over ``step``) are left out. When the
    dataset has ``settled``, ``settle_step`` and the attribute ``step_days``, the columns
    ``settled_by_<d>d`` (settled within d days, for d in :data:`HORIZONS_DAYS`) are added.
    """
    cols: dict[str, Any] = {}
    for name, var in ds.data_vars.items():
        dims = var.dims
        if not dims or dims[0] != "run" or len(dims) > 2:
            continue
        arr = np.asarray(var.values)
        if arr.dtype.kind not in "biuf":
            continue
        if len(dims) == 1:
            cols[str(name)] = arr
        else:
            other = dims[1]
            labels = ds[other].values if other in ds.coords else np.arange(arr.shape[1])
            for j, lab in enumerate(labels):
                cols[f"{name}.{lab}"] = arr[:, j]
    step_days = ds.attrs.get("step_days")
    if "settled" in cols and "settle_step" in cols and step_days:
        settled = np.asarray(cols["settled"]).astype(bool)
        day = np.asarray(cols["settle_step"], dtype=float) * float(step_days)
        for h in HORIZONS_DAYS:
            cols[f"settled_by_{h}d"] = settled & (day <= h)
    return pd.DataFrame(cols)
