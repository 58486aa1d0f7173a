"""Forecast accuracy on real negotiations with known outcomes (the DEU data set).

For each model: mean absolute error (MAE) on the 0–100 scale, median absolute error, share of issues
forecast within 10 points, and a 95 % bootstrap interval of the MAE that resamples *proposals* (the
issues of one legislative proposal are not independent), following the evaluation practice of
Thomson et al. (2006), *The European Union Decides*, ch. 10, and Leinaweaver & Thomson (2014).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.negotiation.registry import run_model
from parley.scenario.arrays import StakeholderBatch, stakeholder_batch
from parley.scenario.prepare import drop_inactive_actors
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED

#: Minimum number of actors with position and salience for an issue to be scored.
MIN_ACTORS = 3


def scoreable(scenarios: Sequence[Scenario], min_actors: int = MIN_ACTORS) -> list[Scenario]:
    """Single-issue scenarios with a known outcome and at least ``min_actors`` actors."""
    return [
        s
        for s in scenarios
        if len(s.issues) == 1 and s.issues[0].outcome is not None and len(s.actors) >= min_actors
    ]


def proposal_groups(scenarios: Sequence[Scenario]) -> NDArray[np.int64]:
    """Integer group label per scenario: its proposal (``metadata['proposal']``, else its id)."""
    keys = [str(s.metadata.get("proposal", s.id)) for s in scenarios]
    _, inverse = np.unique(np.asarray(keys), return_inverse=True)
    return inverse.astype(np.int64)


def bootstrap_mae_ci(
    abs_error: NDArray[np.float64],
    groups: NDArray[np.int64],
    n_boot: int = 2000,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the MAE, resampling whole groups with replacement."""
    n_groups = int(groups.max()) + 1
    sums = np.bincount(groups, weights=abs_error, minlength=n_groups)
    counts = np.bincount(groups, minlength=n_groups).astype(float)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n_groups, np.full(n_groups, 1.0 / n_groups), size=n_boot)
    mae = (draws @ sums) / (draws @ counts)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(mae, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


@dataclass(frozen=True)
class Score:
    """Accuracy of one model on a set of issues."""

    model: str
    n: int
    mae: float
    mae_ci: tuple[float, float]
    median_ae: float
    within10: float


def score_forecasts(
    model: str,
    forecast: NDArray[np.float64],
    outcome: NDArray[np.float64],
    groups: NDArray[np.int64],
    n_boot: int = 2000,
    seed: int = DEFAULT_SEED,
) -> Score:
    """Score forecasts against outcomes (issues where the model gives no forecast are dropped)."""
    ok = ~np.isnan(forecast) & ~np.isnan(outcome)
    err = np.abs(forecast[ok] - outcome[ok])
    g = np.unique(groups[ok], return_inverse=True)[1]
    return Score(
        model=model,
        n=int(ok.sum()),
        mae=float(err.mean()),
        mae_ci=bootstrap_mae_ci(err, g, n_boot, seed),
        median_ae=float(np.median(err)),
        within10=float(np.mean(err <= 10.0)),
    )


#: A forecaster for validation: takes the scenarios, their batch and the proposal groups (for
#: models that fit parameters with grouped cross-validation) and returns ``(batch,)`` forecasts,
#: out-of-fold where anything is fitted.
Forecaster = Callable[
    [Sequence[Scenario], StakeholderBatch, NDArray[np.int64]], NDArray[np.float64]
]


def _registry_forecaster(model: str, seed: int) -> Forecaster:
    def run(
        scenarios: Sequence[Scenario], batch: StakeholderBatch, groups: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        out: NDArray[np.float64] = run_model(model, batch, seed=seed).outcome[:, 0]
        return out

    return run


def proposal_scenarios(
    scenarios: Sequence[Scenario],
) -> tuple[list[Scenario], list[tuple[int, int]]]:
    """Merge single-issue scenarios into one multi-issue scenario per proposal.

    Returns the merged scenarios and, per input scenario, ``(merged index, issue column)``. Actors
    keep the capability of their first appearance (DEU capabilities are per proposal).
    """
    groups: dict[str, list[int]] = {}
    for k, s in enumerate(scenarios):
        groups.setdefault(str(s.metadata.get("proposal", s.id)), []).append(k)
    merged: list[Scenario] = []
    where: list[tuple[int, int]] = [(0, 0)] * len(scenarios)
    for key, members in groups.items():
        issues = []
        actors: dict[str, dict[str, object]] = {}
        for col, k in enumerate(members):
            s = scenarios[k]
            issues.append(s.issues[0])
            where[k] = (len(merged), col)
            for a in s.actors:
                entry = actors.setdefault(
                    a.id, {"id": a.id, "name": a.name, "capability": a.capability, "positions": {}}
                )
                positions = entry["positions"]
                assert isinstance(positions, dict)
                positions.update(a.positions)
        merged.append(
            Scenario.model_validate({"id": key, "issues": issues, "actors": list(actors.values())})
        )
    return merged, where


def _eum_forecaster(
    scenarios: Sequence[Scenario], batch: StakeholderBatch, groups: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Expected-utility model (Scholz-code profile, 10 rounds) on every issue in one call."""
    out: NDArray[np.float64] = run_model("eum", batch, rounds=10).outcome[:, 0]
    return out


def forecast_each_on_failure(
    model: str, scenarios: Sequence[Scenario], seed: int, **options: object
) -> tuple[NDArray[np.float64], list[str]]:
    """Outcome ``(scenarios, issues)`` of ``model``, all scenarios in one call; if that call fails
    with a ``ValueError`` (a scenario the model cannot handle, e.g. KTAB's SMP when all positions
    are equally likely to win), every scenario on its own: NaN and a note for those that fail.
    """
    batch = stakeholder_batch(list(scenarios))
    try:
        out: NDArray[np.float64] = run_model(model, batch, seed=seed, **options).outcome
        return out, []
    except ValueError:
        if len(scenarios) == 1:
            raise
    result = np.full(batch.position.shape[::2], np.nan)
    notes: list[str] = []
    for b, s in enumerate(scenarios):
        try:
            one = run_model(model, stakeholder_batch([s]), seed=seed, **options).outcome[0]
        except ValueError as exc:
            notes.append(f"{s.id}: no forecast ({exc})")
            continue
        result[b, : one.shape[0]] = one
    return result, notes


def _smp_forecaster(
    scenarios: Sequence[Scenario],
    batch: StakeholderBatch,
    groups: NDArray[np.int64],
    seed: int = DEFAULT_SEED,
    notes: list[str] | None = None,
) -> NDArray[np.float64]:
    """KTAB's SMP with its defaults, per issue, without actors of zero salience or capability
    (the preparation step shared with ``parley forecast``, :mod:`parley.scenario.prepare`).

    KTAB's own sanity check (risk-neutral and risk-adjusted utilities must differ, smp.cpp:492)
    stops KTAB on some DEU issues (for example when the actors take only two positions); the
    validation runs with ``ktab_checks=False``. An issue where the SMP cannot run at all (every
    position equally likely to win: KTAB's bigR is undefined) gets no forecast and is not scored
    (:func:`forecast_each_on_failure`). What was dropped or not forecast is added to ``notes``.
    """
    active, dropped = drop_inactive_actors(scenarios)
    out, failed = forecast_each_on_failure("smp", active, seed, ktab_checks=False)
    if notes is not None:
        notes.extend(dropped + failed)
    return out[:, 0]


#: Seed of the exchange model's random tie breaks in the DEU validation (the default seed).
EXCHANGE_SEED = DEFAULT_SEED


def _exchange_forecaster(
    scenarios: Sequence[Scenario],
    batch: StakeholderBatch,
    groups: NDArray[np.int64],
    seed: int = EXCHANGE_SEED,
) -> NDArray[np.float64]:
    """Stokman's exchange model (equal gain, 10 rounds) on the issues of each proposal together.

    Exchanges trade positions between issues, so each proposal is one multi-issue negotiation;
    a proposal with a single issue has no exchange and its forecast is the power x salience
    weighted mean (Decide's NBS).
    """
    merged, where = proposal_scenarios(scenarios)
    res = run_model("exchange", stakeholder_batch(merged), rounds=10, seed=seed)
    return np.array([res.outcome[b, col] for b, col in where], dtype=np.float64)


#: Iterative models scored with a forecaster of their own (none fits parameters to DEU).
ITERATIVE_FORECASTERS: dict[str, Forecaster] = {
    "eum": _eum_forecaster,
    "smp": _smp_forecaster,
    "exchange": _exchange_forecaster,
}

#: The stochastic ones among them, called with the validation's ``seed``.
SEEDED_FORECASTERS = {"smp": _smp_forecaster, "exchange": _exchange_forecaster}


def fitted_forecasters() -> dict[str, Forecaster]:
    """Models whose parameters are fitted to DEU by cross-validation grouped by proposal."""
    from parley.analysis.deu_fit import FITTED_MODELS

    return dict(FITTED_MODELS)


def validate(
    scenarios: Sequence[Scenario],
    models: Sequence[str],
    n_boot: int = 2000,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Score each model on the scoreable issues; one row per model.

    ``seed`` drives the bootstrap and the stochastic models (exchange, SMP in stochastic mode).

    ``df.attrs["notes"]`` maps each model run without some actors (:mod:`parley.scenario.prepare`)
    or without a forecast for some issues to the list of what was dropped. Models are registry ids (:data:`parley.negotiation.registry.MODELS`) or ids of models fitted to
    DEU with grouped cross-validation (:mod:`parley.analysis.deu_fit`), scored out-of-fold.
    """
    issues = scoreable(scenarios)
    if not issues:
        raise ValueError("no issue has an outcome and at least three actors")
    batch = stakeholder_batch(issues)
    groups = proposal_groups(issues)
    outcome = batch.outcome[:, 0]
    fitted = fitted_forecasters()
    rows = []
    notes: dict[str, list[str]] = {}  # what a model ran without or could not forecast
    for model in models:
        if model in fitted:
            fn = fitted[model]
        elif model == "smp":
            notes["smp"] = []
            fn = functools.partial(_smp_forecaster, seed=seed, notes=notes["smp"])
        elif model in SEEDED_FORECASTERS:
            fn = functools.partial(SEEDED_FORECASTERS[model], seed=seed)
        elif model in ITERATIVE_FORECASTERS:
            fn = ITERATIVE_FORECASTERS[model]
        else:
            fn = _registry_forecaster(model, seed)
        forecast = fn(issues, batch, groups)
        s = score_forecasts(model, forecast, outcome, groups, n_boot, seed)
        rows.append(
            {
                "model": s.model,
                "n": s.n,
                "mae": s.mae,
                "mae_lo": s.mae_ci[0],
                "mae_hi": s.mae_ci[1],
                "median_ae": s.median_ae,
                "within10": s.within10,
            }
        )
    df = pd.DataFrame(rows)
    df.attrs["notes"] = {m: v for m, v in notes.items() if v}
    return df
