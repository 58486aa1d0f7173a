"""Simulated wars beside their reference class: the war engine's durations in the COW table's terms.

The statistics (Kaplan–Meier conditional end shares, bootstrap bands, outcome types) live in
:mod:`parley.analysis.reference_class`; this module turns a scenario into simulated wars through
the public entry points only (:func:`parley.experiments.design.make_design` to draw each run's
uncertain parameters, :func:`parley.war.params.compile_war` with per-run override arrays, and
:func:`parley.war.engine.simulate`), and reads back the per-run ``outcome`` and ``end_step``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import xarray as xr

from parley.analysis.reference_class import (
    AGES_MONTHS,
    MONTH_DAYS,
    N_BOOT,
    WITHIN_MONTHS,
    FloatArray,
    Wars,
    conditional_end_share,
    still_going,
)
from parley.experiments.design import BASELINE, make_design
from parley.scenario.schema import Scenario
from parley.war.engine import simulate
from parley.war.params import compile_war

#: Model outcome code (dataset variable ``outcome``) -> reported type; both collapses are victories.
MODEL_TYPES: dict[int, str] = {
    0: "ongoing",
    1: "settlement",
    2: "victory",
    3: "victory",
    4: "catastrophe",
}


def simulated_wars(ds: xr.Dataset) -> Wars:
    """:class:`Wars` from a simulated dataset: runs ongoing at the horizon are censored there.

    A run that ended in step ``k`` (``end_step``) has lasted ``(k + 1) * step_days`` days, the end
    of the step in which it ended.
    """
    step = float(ds.attrs["step_days"])
    code = ds["outcome"].to_numpy().astype(np.int64)
    end = ds["end_step"].to_numpy().astype(float)
    ended = code != 0
    horizon = float(ds.attrs["horizon_steps"]) * step
    return Wars(
        names=tuple(str(r) for r in range(code.size)),
        duration_days=np.where(ended, (end + 1.0) * step, horizon),
        ended=ended,
        outcome=tuple(MODEL_TYPES[int(c)] for c in code),
    )


def model_end_shares(
    wars: Wars,
    horizon_days: float,
    ages_months: Sequence[float] = AGES_MONTHS,
    within_months: Sequence[float] = WITHIN_MONTHS,
) -> FloatArray:
    """The simulated cells (ages, windows): runs still going at age ``a`` ending within ``w``.

    NaN where ``a + w`` lies beyond the simulation's horizon (not observed).
    """
    ages = [m * MONTH_DAYS for m in ages_months]
    windows = [m * MONTH_DAYS for m in within_months]
    out = conditional_end_share(wars.duration_days, wars.ended, ages, windows)
    beyond = np.add.outer(np.asarray(ages), np.asarray(windows)) > horizon_days + 1e-9
    out[beyond] = np.nan
    return out


def simulate_scenario(
    scenario: Scenario,
    *,
    runs: int,
    seed: int,
    policy: str = BASELINE,
    assumptions: Sequence[str] = (),
    min_horizon_days: float = 0.0,
) -> xr.Dataset:
    """Simulate a scenario's war from its start with per-run draws of its uncertain parameters.

    Each run draws the scenario's ``experiment.uncertainties`` (with the named assumption sets
    applied, and the policy's levers fixed) by plain Monte Carlo
    (:func:`parley.experiments.design.make_design`), then the war engine runs once over all runs.
    The horizon is extended to at least ``min_horizon_days``.
    """
    if runs < 1:
        raise ValueError("runs must be >= 1")
    design = make_design(
        scenario,
        policies=[policy],
        combos=[tuple(assumptions)],
        method="mc",
        n_points=runs,
        runs_per_point=1,
        chunk_points=runs,
        seed=seed,
    )
    overrides: dict[str, float | int | FloatArray] = dict(design.chunk_params(0))
    if scenario.war is not None:
        steps = math.ceil(min_horizon_days / scenario.war.time.step_days - 1e-9)
        if steps > scenario.war.time.horizon_steps:
            overrides["war.time.horizon_steps"] = steps
    params = compile_war(scenario, overrides, n_runs=runs)
    return simulate(params, runs, seed, record_paths=False)


def war_age_days(scenario: Scenario, war_start: str | None = None) -> int:
    """The war's age on the scenario's start date, in days (0 if either date is unknown).

    The war's start date is ``war_start`` (ISO), else the scenario's ``metadata.war_start_date``.
    Raises :class:`ValueError` for a malformed date or a war that starts after the scenario.
    """
    began = war_start or scenario.metadata.get("war_start_date")
    if began is None or scenario.start_date is None:
        return 0
    try:
        age = (date.fromisoformat(str(scenario.start_date)) - date.fromisoformat(str(began))).days
    except ValueError:
        raise ValueError(
            f"war start '{began}' or scenario start '{scenario.start_date}' is not a date YYYY-MM-DD"
        ) from None
    if age < 0:
        raise ValueError(f"the war starts ({began}) after the scenario ({scenario.start_date})")
    return age


def still_going_vs_base_rates(
    scenario: Scenario,
    *,
    policy: str,
    age_days: float,
    runs: int,
    seed: int,
    assumptions: Sequence[str] = (),
    after_months: Sequence[float] = (12, 24, 36),
    n_boot: int = N_BOOT,
) -> pd.DataFrame:
    """P(the war is still going ``after_months`` after the scenario's start) beside COW base rates.

    ``model`` is the share of simulated runs (the scenario's uncertainties drawn per run, the
    policy's levers fixed; :func:`simulate_scenario`) not ended within the window; ``cow`` with its
    90 % band is :func:`still_going` for a war already ``age_days`` old.
    """
    horizon = max(after_months) * MONTH_DAYS
    ds = simulate_scenario(
        scenario,
        runs=runs,
        seed=seed,
        policy=policy,
        assumptions=assumptions,
        min_horizon_days=horizon,
    )
    sim = simulated_wars(ds)
    frame = still_going(None, age_days, after_months, n_boot=n_boot, seed=seed)
    frame.insert(
        1,
        "model",
        [float(np.mean(sim.duration_days > m * MONTH_DAYS)) for m in after_months],
    )
    return frame


def model_outcome_shares(wars: Wars) -> dict[str, float]:
    """Share of simulated runs by how they ended (``MODEL_TYPES``; ``ongoing`` at the horizon)."""
    types = np.asarray(wars.outcome)
    labels = dict.fromkeys(MODEL_TYPES.values())
    return {t: float(np.mean(types == t)) for t in labels}


def runs_aged(wars: Wars, ages_months: Sequence[float] = AGES_MONTHS) -> list[int]:
    """How many simulated runs were still going at each age (the cells' denominators)."""
    return [int(np.sum(wars.duration_days >= a * MONTH_DAYS)) for a in ages_months]
