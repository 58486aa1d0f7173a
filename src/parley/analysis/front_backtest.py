"""Forecasts of the front from a fitted :class:`~parley.war.front.FrontParams`, and their backtest.

A forecast simulates the fitted regime-switching jump diffusion forward from the last observed area,
starting in the manoeuvre regime with the filtered probability of the last fitted day. The backtest
is a rolling-origin evaluation (Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF
16(4)): refit on the data up to each cut-off, forecast ``h`` days ahead, and record whether the
observed area falls inside the central 50 % and 90 % intervals, plus the probability integral
transform (PIT; Dawid 1984), which is uniform for calibrated forecasts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.analysis.calibrate import DEFAULT_FROM, JumpRegimes, fit_front
from parley.analysis.front_draws import sample_front_params
from parley.war.front import FrontParams, front_drift_step, initial_regime

FloatArray = NDArray[np.float64]


def forecast_front(
    params: FrontParams,
    start_area: float,
    horizons_days: Sequence[int],
    runs: int,
    rng: np.random.Generator,
    *,
    log_force_ratio: float = 0.0,
    parameter_uncertainty: bool = True,
    local_level: bool = True,
) -> FloatArray:
    """Simulated areas ``(runs, len(horizons_days))`` at each horizon (daily steps, all runs at once).

    With ``parameter_uncertainty`` each run draws its own parameters from the asymptotic law of the
    maximum-likelihood estimate (:func:`parley.analysis.front_draws.sample_front_params`). The
    positional drift of each run moves as the fit's ``drift_innovation_sd`` and
    ``drift_reversion`` say (:func:`parley.war.front.front_drift_step`, the same step the war engine
    takes; steps 3–4 of the drift rule in :mod:`parley.analysis.drift_prior`), so its uncertainty
    widens with the horizon; ``local_level=False`` holds it at the run's drawn value.
    """
    horizons = sorted(int(h) for h in horizons_days)
    if not horizons or horizons[0] < 1:
        raise ValueError("horizons must be positive day counts")
    if parameter_uncertainty:
        params = sample_front_params(params, runs, rng)
    area = np.full(runs, float(start_area))
    regime = initial_regime(params, runs, rng)
    out = np.empty((runs, len(horizons)))
    rho = np.full(runs, log_force_ratio)
    if not local_level:
        params = dataclasses.replace(params, drift_innovation_sd=0.0, drift_reversion=0.0)
    deviation = np.zeros(runs)
    col = 0
    for day in range(1, horizons[-1] + 1):
        area, regime, deviation = front_drift_step(area, regime, deviation, rho, params, 1.0, rng)
        while col < len(horizons) and horizons[col] == day:
            out[:, col] = area
            col += 1
    order = np.argsort(np.argsort(np.asarray(horizons_days)))
    return out[:, order]


def backtest_front(
    series: pd.Series,
    cutoffs: Sequence[date],
    *,
    horizons_days: Sequence[int] = (14, 28, 56),
    runs: int = 4000,
    seed: int = 0,
    start: date | None = DEFAULT_FROM,
    jump_regimes: JumpRegimes = "manoeuvre",
    min_jump_sd: float = 500.0,
    parameter_uncertainty: bool = True,
) -> pd.DataFrame:
    """Rolling-origin backtest: one row per (cut-off, horizon) whose target day was observed.

    Columns: ``cutoff, horizon, target_date, observed, median, q05, q25, q75, q95, in50, in90, pit``.
    ``series`` is the daily area with NaN on days without an observation. Seeds for each cut-off
    are spawned from ``SeedSequence(seed)``.
    """
    s = series.copy()
    s.index = pd.DatetimeIndex(pd.to_datetime(s.index)).normalize()
    s = s.astype(float)
    carried = s.ffill()  # a day without a new map keeps the last mapped area
    seeds = np.random.SeedSequence(seed).spawn(len(cutoffs))
    rows: list[dict[str, object]] = []
    for cutoff, ss in zip(cutoffs, seeds, strict=True):
        params, _ = fit_front(
            s, cutoff, start=start, jump_regimes=jump_regimes, min_jump_sd=min_jump_sd
        )
        last_area = float(params.metadata["last_value"])
        last_date = date.fromisoformat(str(params.metadata["last_date"]))
        sims = forecast_front(
            params,
            last_area,
            horizons_days,
            runs,
            np.random.default_rng(ss),
            parameter_uncertainty=parameter_uncertainty,
        )
        for j, h in enumerate(horizons_days):
            target = pd.Timestamp(last_date + timedelta(days=int(h)))
            if target not in carried.index or not np.isfinite(carried.loc[target]):
                continue
            obs = float(carried.loc[target])
            q05, q25, q50, q75, q95 = np.quantile(sims[:, j], [0.05, 0.25, 0.5, 0.75, 0.95])
            rows.append(
                {
                    "cutoff": last_date,
                    "horizon": int(h),
                    "target_date": target.date(),
                    "observed": obs,
                    "median": float(q50),
                    "q05": float(q05),
                    "q25": float(q25),
                    "q75": float(q75),
                    "q95": float(q95),
                    "in50": bool(q25 <= obs <= q75),
                    "in90": bool(q05 <= obs <= q95),
                    "pit": float(np.mean(sims[:, j] <= obs)),
                }
            )
    return pd.DataFrame(rows)


def coverage_table(results: pd.DataFrame) -> pd.DataFrame:
    """Share of observations inside the 50 % and 90 % intervals, by horizon (and overall)."""
    if results.empty:
        return pd.DataFrame(columns=["horizon", "n", "cover50", "cover90", "mean_pit"])
    by = results.groupby("horizon").agg(
        n=("in50", "size"),
        cover50=("in50", "mean"),
        cover90=("in90", "mean"),
        mean_pit=("pit", "mean"),
    )
    total = pd.DataFrame(
        {
            "n": [len(results)],
            "cover50": [results["in50"].mean()],
            "cover90": [results["in90"].mean()],
            "mean_pit": [results["pit"].mean()],
        },
        index=pd.Index(["all"], name="horizon"),
    )
    return pd.concat([by, total]).reset_index()


def weekly_coverage(quantiles: pd.DataFrame, observed: pd.Series) -> pd.DataFrame:
    """Compare a ``front_quantiles.csv`` table with an observed daily series.

    ``quantiles`` has columns ``date,q05,...,q95``; ``observed`` is indexed by date (NaN where a
    source carried a value forward is allowed: the last observed value is used, as a map shown
    that day would). Returns one row per forecast week with an observation: ``date, week,
    observed, q05, q25, q50, q75, q95, in50, in90`` (``in50``: q25 ≤ obs ≤ q75; ``in90``:
    q05 ≤ obs ≤ q95).
    """
    s = observed.copy()
    s.index = pd.DatetimeIndex(pd.to_datetime(s.index)).normalize()
    s = s.astype(float).sort_index().ffill()
    rows: list[dict[str, object]] = []
    qs = {c: quantiles[c].to_numpy(dtype=float) for c in ("q05", "q25", "q50", "q75", "q95")}
    for j, when in enumerate(quantiles["date"].astype(str)):
        day = pd.Timestamp(when)
        if day not in s.index or not np.isfinite(s.loc[day]):
            continue
        obs = float(s.loc[day])
        q = {c: float(v[j]) for c, v in qs.items()}
        rows.append(
            {
                "date": day.date(),
                "week": j + 1,
                "observed": obs,
                **q,
                "in50": bool(q["q25"] <= obs <= q["q75"]),
                "in90": bool(q["q05"] <= obs <= q["q95"]),
            }
        )
    return pd.DataFrame(rows)
