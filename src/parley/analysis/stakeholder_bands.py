"""Stakeholder forecasts and position paths with Monte Carlo bands over the stated input ranges.

A scenario states each actor's capability, position and salience as a point value, and may state a
range for each under ``metadata.capabilities.<actor>.range`` and
``metadata.stances.<actor>.<issue>.position_range`` / ``salience_range`` (each with a ``source``).
The Monte Carlo analysis draws every uncertain input uniformly inside its range — all runs as one
batch, one model call per model — and summarises the forecasts and the per-round position paths by
their 5 %, 50 % and 95 % quantiles. This is the input-uncertainty propagation of Bueno de Mesquita
(1994, "Political forecasting: an expected utility method", in *European Community Decision Making*)
and Thomson et al. (2006, *The European Union Decides*): forecasts are only as sharp as the expert
codings behind them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.negotiation.registry import MODELS, SEEDED_MODELS, StakeholderModel, get_model
from parley.negotiation.tables import forecast_rows
from parley.scenario.arrays import StakeholderBatch, stakeholder_batch
from parley.scenario.schema import Scenario
from parley.scenario.stated_ranges import InputRanges, input_ranges

FloatArray = NDArray[np.float64]

QUANTILES = (0.05, 0.5, 0.95)


def sample_batch(
    scenario: Scenario, n_runs: int, rng: np.random.Generator, ranges: InputRanges | None = None
) -> StakeholderBatch:
    """Draw ``n_runs`` copies of the scenario with every input uniform inside its stated range."""
    if n_runs < 1:
        raise ValueError("n_runs must be at least 1")
    r = input_ranges(scenario) if ranges is None else ranges
    base = stakeholder_batch(scenario)
    n_a, n_i = r.position_lo.shape
    u = rng.random((3, n_runs, n_a, n_i))
    position = r.position_lo + u[0] * (r.position_hi - r.position_lo)
    salience = r.salience_lo + u[1] * (r.salience_hi - r.salience_lo)
    capability = r.capability_lo + u[2, :, :, 0] * (r.capability_hi - r.capability_lo)

    def rep(x: FloatArray) -> FloatArray:
        return np.repeat(x, n_runs, axis=0)

    return replace(
        base,
        position=position,
        salience=salience,
        capability=capability,
        scale_min=rep(base.scale_min),
        scale_max=rep(base.scale_max),
        reference=rep(base.reference),
        outcome=rep(base.outcome),
        scenario_ids=base.scenario_ids * n_runs,
        actor_ids=base.actor_ids * n_runs,
        issue_ids=base.issue_ids * n_runs,
    )


#: Options the report passes to a model. KTAB's SMP reads an actor's saliences as shares of its
#: attention that sum to at most 1 over the issues (smp-spec, input checks); scenarios that rate
#: each issue's importance on its own 0-1 scale are divided by each actor's total for the SMP.
REPORT_MODEL_OPTIONS: dict[str, dict[str, Any]] = {"smp": {"rescale_salience": True}}


def report_models(model_ids: tuple[str, ...] | None = None) -> dict[str, StakeholderModel]:
    """The stakeholder models a report runs, by id: ``model_ids`` (default every registered
    model), those listed in :data:`REPORT_MODEL_OPTIONS` with those options bound.

    Raises :class:`~parley.negotiation.registry.UnknownModelError` for an unknown id.
    """
    out: dict[str, StakeholderModel] = {}
    for model_id in model_ids or tuple(MODELS):
        fn = get_model(model_id)
        opts = REPORT_MODEL_OPTIONS.get(model_id)
        out[model_id] = functools.partial(fn, **opts) if opts else fn
    return out


def forward_fill_states(history: FloatArray) -> FloatArray:
    """Carry each run's last position forward over the NaN states after it stopped iterating.

    ``history`` is ``(runs, states, actors, issues)``; state 0 must be filled where a position
    exists. Vectorised over runs (no loop).
    """
    valid = ~np.isnan(history)
    idx = np.where(valid, np.arange(history.shape[1])[None, :, None, None], 0)
    idx = np.maximum.accumulate(idx, axis=1)
    return np.take_along_axis(history, idx, axis=1)


@dataclass(frozen=True)
class StakeholderAnalysis:
    """Tidy results of the stakeholder models on one scenario.

    ``forecasts``: one row per (model, issue) with the forecast of the scenario as written
    (``base``) and the Monte Carlo ``mean``, ``q05``, ``q50``, ``q95``. ``samples``: (model, issue,
    run, value). ``paths``: (model, actor, issue, state, base, q05, q50, q95) for models that
    return a position history. ``failed``: model id -> error message for models that raised.
    """

    forecasts: pd.DataFrame
    samples: pd.DataFrame
    paths: pd.DataFrame
    n_runs: int
    failed: Mapping[str, str]


def _quantile_rows(values: FloatArray, axis: int) -> FloatArray:
    with np.errstate(all="ignore"):
        return np.nanquantile(values, QUANTILES, axis=axis)


def analyse_stakeholders(
    scenario: Scenario,
    n_runs: int,
    seed: int | np.random.SeedSequence,
    models: Mapping[str, StakeholderModel] | None = None,
) -> StakeholderAnalysis:
    """Forecast the scenario with every model, as written and over ``n_runs`` sampled inputs.

    Each model is called twice: once on the scenario as written, once on the Monte Carlo batch (all
    runs in one call); stochastic models (:data:`parley.negotiation.registry.SEEDED_MODELS`) get a
    seed derived from ``seed``, so the same seed gives the same analysis. A model that raises is reported in ``failed`` rather than stopping the report.
    """
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng = np.random.default_rng(ss)
    models = report_models() if models is None else models
    ranges = input_ranges(scenario)
    base_batch = stakeholder_batch(scenario)
    mc_batch = sample_batch(scenario, n_runs, rng, ranges)
    issue_ids = [i.id for i in scenario.issues]
    actor_ids = [a.id for a in scenario.actors]
    f_rows: list[dict[str, Any]] = []
    s_frames: list[pd.DataFrame] = []
    p_frames: list[pd.DataFrame] = []
    failed: dict[str, str] = {}
    # Stochastic models get one seed derived from the report's seed: same seed, same report.
    model_seed = int(ss.generate_state(1)[0])
    for model_id, fn in models.items():
        kw = {"seed": model_seed} if model_id in SEEDED_MODELS else {}
        try:
            base = fn(base_batch, **kw)
            mc = fn(mc_batch, **kw)
        except Exception as exc:  # a broken model must not stop the report
            failed[model_id] = f"{type(exc).__name__}: {exc}"
            continue
        q = _quantile_rows(mc.outcome, axis=0)
        for k, row in enumerate(forecast_rows([scenario], model_id, base)):
            f_rows.append(
                {
                    "model": model_id,
                    "issue": row["issue"],
                    "base": row["forecast"],
                    "mean": float(np.nanmean(mc.outcome[:, k])),
                    "q05": float(q[0, k]),
                    "q50": float(q[1, k]),
                    "q95": float(q[2, k]),
                }
            )
        s_frames.append(
            pd.DataFrame(
                {
                    "model": model_id,
                    "issue": np.tile(issue_ids, n_runs),
                    "run": np.repeat(np.arange(n_runs), len(issue_ids)),
                    "value": mc.outcome.reshape(-1),
                }
            )
        )
        if mc.history is not None and base.history is not None:
            p_frames.append(_paths_frame(model_id, base.history, mc.history, actor_ids, issue_ids))
    samples = (
        pd.concat(s_frames, ignore_index=True)
        if s_frames
        else _empty(["model", "issue", "run", "value"])
    )
    paths = (
        pd.concat(p_frames, ignore_index=True)
        if p_frames
        else _empty(["model", "actor", "issue", "state", "base", "q05", "q50", "q95"])
    )
    forecasts = pd.DataFrame(
        f_rows, columns=["model", "issue", "base", "mean", "q05", "q50", "q95"]
    )
    return StakeholderAnalysis(forecasts, samples, paths, n_runs, failed)


def _paths_frame(
    model_id: str,
    base_history: FloatArray,
    mc_history: FloatArray,
    actor_ids: list[str],
    issue_ids: list[str],
) -> pd.DataFrame:
    mc = forward_fill_states(mc_history)
    base = forward_fill_states(base_history)[0]
    n_states = max(mc.shape[1], base.shape[0])
    if base.shape[0] < n_states:  # pad the base path with its last state
        base = np.concatenate([base, np.repeat(base[-1:], n_states - base.shape[0], axis=0)])
    if mc.shape[1] < n_states:
        mc = np.concatenate([mc, np.repeat(mc[:, -1:], n_states - mc.shape[1], axis=1)], axis=1)
    q = _quantile_rows(mc, axis=0)  # (3, states, actors, issues)
    n_a, n_i = len(actor_ids), len(issue_ids)
    states, actors, issues = np.meshgrid(
        np.arange(n_states), np.arange(n_a), np.arange(n_i), indexing="ij"
    )
    frame = pd.DataFrame(
        {
            "model": model_id,
            "actor": np.asarray(actor_ids)[actors.reshape(-1)],
            "issue": np.asarray(issue_ids)[issues.reshape(-1)],
            "state": states.reshape(-1),
            "base": base[:, :n_a, :n_i].reshape(-1),
            "q05": q[0, :, :n_a, :n_i].reshape(-1),
            "q50": q[1, :, :n_a, :n_i].reshape(-1),
            "q95": q[2, :, :n_a, :n_i].reshape(-1),
        }
    )
    return frame.dropna(subset=["base", "q50"]).reset_index(drop=True)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float) for c in columns})
