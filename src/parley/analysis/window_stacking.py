"""Averaging front fits over calibration windows, weighted by their predictive score before the origin.

For a forecast origin ``o`` the offensive front process is fitted on several windows ending at
``o`` (e.g. the last 60, 90, 120 and 180 days). Which window describes the coming weeks best is not
known at ``o``; it is estimated from the data just before it by **exact leave-future-out
cross-validation** (Bürkner, Gabry & Vehtari 2020, "Approximate leave-future-out cross-validation
for Bayesian time series models", J. Stat. Comput. Simul. 90(14):2499–2523): each window is
refitted at the pseudo-origin ``p = o − 28 days`` and predicts every observation interval in
``(p, o]`` one step ahead with the exact predictive density of the Hamilton (1989) filter, and so
on for up to :data:`SCORE_BLOCKS` consecutive 28-day blocks (pseudo-origins ``o − 28·j``). The
weights are the **stacking** weights of those log scores (Yao, Vehtari, Simpson & Gelman 2018,
"Using stacking to average Bayesian predictive distributions", Bayesian Analysis 13(3):917–1007):
the point of the simplex that maximises the log score of the mixture, found by the EM iteration
for mixture weights with fixed components (Dempster, Laird & Rubin 1977) polished by SLSQP on the
simplex (Kraft 1988). The forecast is the
mixture of the windows' simulated runs. Nothing after ``o`` enters: the pseudo-fits end at ``p``
and the scored intervals end at ``o`` (``docs/calibration.md``, "Averaging fits over calibration
windows").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize

from parley.analysis.benchmarks import increments
from parley.analysis.calibrate import FrontFitDiagnostics
from parley.analysis.front_offensive import (
    NAMES,
    STATES,
    daily_matrix,
    emissions,
    fit_front_offensive,
)
from parley.scenario.errors import ScenarioError
from parley.war.front import FrontParams

FloatArray = NDArray[np.float64]

#: Days between the pseudo-origin and the origin: the block the windows are scored on.
SCORE_DAYS = 28
#: How many consecutive 28-day blocks before the origin the stacking weights are fitted on.
SCORE_BLOCKS = 3
#: Windows of ``parley backtest --windows`` when none are given (days).
DEFAULT_WINDOWS = (60, 90, 120, 180)
#: Floor of a predictive density (its log is about −690): keeps the log score finite.
DENSITY_FLOOR = 1e-300
#: Candidates whose stacking weight is below this are dropped (the rest renormalised).
MIN_WEIGHT = 1e-3


@dataclass(frozen=True)
class WindowMixture:
    """The candidates of one origin: each window's fit at the origin and its stacking weight."""

    windows: tuple[int, ...]  # nominal length (days) of each candidate, shortest first
    starts: tuple[date, ...]  # first day each candidate's fit may use
    fits: tuple[FrontParams, ...]  # the fit of each candidate at the origin
    weights: tuple[float, ...]  # stacking weights (sum 1)
    log_scores: tuple[float, ...]  # mean one-step log score of each candidate before o
    diagnostics: tuple[FrontFitDiagnostics, ...] = ()  # of each fit at the origin
    blocks: int = 1  # 28-day blocks before the origin the weights were fitted on


def one_step_log_scores(params: FrontParams, dy: FloatArray, gap: FloatArray) -> FloatArray:
    """Log predictive density of each interval ``dy`` (km² over ``gap`` days) one step ahead.

    The filter starts from the fit's regime probabilities on its last day
    (``metadata["regime_probs_last"]``) and is updated after every interval, so interval ``i`` is
    predicted from the intervals before it only (the prediction-error decomposition of the
    likelihood; Harvey 1989, *Forecasting, Structural Time Series Models and the Kalman Filter*,
    §3.4). The parameters are held at the posterior mode.
    """
    nat = {n: float(getattr(params, n)) for n in NAMES}
    prob = np.asarray(params.metadata["regime_probs_last"], dtype=float)[list(STATES)]
    prob = prob / prob.sum()
    daily = daily_matrix(nat)
    dens = np.maximum(emissions(nat, np.asarray(dy, float), np.asarray(gap, float)), DENSITY_FLOOR)
    out = np.empty(len(dy))
    for i, g in enumerate(np.asarray(gap, dtype=np.int64)):
        pred = prob @ np.linalg.matrix_power(daily, int(g))
        joint = pred * dens[i]
        total = float(joint.sum())
        out[i] = math.log(max(total, DENSITY_FLOOR))
        prob = joint / total if total > 0 else pred
    return out


def stacking_weights(log_dens: FloatArray, iterations: int = 500) -> FloatArray:
    """Stacking weights of ``K`` predictive distributions from their pointwise log densities.

    ``log_dens`` has shape ``(n, K)``: candidate ``k``'s log predictive density of point ``i``.
    Returns ``w`` on the simplex maximising ``Σ_i log Σ_k w_k exp(log_dens[i, k])`` (Yao et al.
    2018, eq. 4): the EM iteration ``w_k ← mean_i(w_k p_ik / Σ_j w_j p_ij)`` from equal weights
    (each step raises the objective; Dempster, Laird & Rubin 1977), then, because EM crawls near
    a vertex, sequential quadratic programming on the simplex (SLSQP) from the EM point; the
    better of the two (and of the single candidates) is returned — the objective is concave.
    """
    lp = np.asarray(log_dens, dtype=float)
    n, k = lp.shape
    w = np.full(k, 1.0 / k)
    if n == 0 or k == 1:
        return w
    dens = np.exp(lp - lp.max(axis=1, keepdims=True))
    for _ in range(iterations):
        w = w * (dens / (dens @ w)[:, None]).mean(axis=0)
        w /= w.sum()

    def neg(v: FloatArray) -> float:
        return -float(np.sum(np.log(np.maximum(dens @ v, 1e-300))))

    def grad(v: FloatArray) -> FloatArray:
        return -np.asarray((dens / np.maximum(dens @ v, 1e-300)[:, None]).sum(axis=0))

    res = optimize.minimize(
        neg,
        w,
        jac=grad,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * k,
        constraints=({"type": "eq", "fun": lambda v: float(v.sum() - 1.0)},),
        options={"ftol": 1e-14, "maxiter": 500},
    )
    polished = np.clip(np.asarray(res.x, dtype=float), 0.0, None)
    candidates = [w, polished / polished.sum(), *np.eye(k)]
    return np.asarray(min(candidates, key=neg))


def allocate_runs(weights: Sequence[float], runs: int) -> list[int]:
    """Runs per candidate, ``round(w_k·runs)`` by largest remainders (the counts sum to ``runs``)."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * runs
    counts = np.floor(raw).astype(int)
    for j in np.argsort(-(raw - counts), kind="stable")[: runs - int(counts.sum())]:
        counts[j] += 1
    return [int(c) for c in counts]


def candidate_starts(
    origin: date, first_allowed: date, windows: Sequence[int]
) -> list[tuple[int, date]]:
    """``(window, first day)`` of each distinct candidate: ``max(first_allowed, origin − w)``,
    shortest window first; windows cut to the same first day are one candidate (the shortest)."""
    seen: dict[date, int] = {}
    for w in sorted(set(int(v) for v in windows)):
        seen.setdefault(max(first_allowed, origin - timedelta(days=w)), w)
    return sorted(((w, d) for d, w in seen.items()), key=lambda t: t[0])


def _block_scores(
    past: pd.Series,
    first_allowed: date,
    cands: Sequence[tuple[int, date]],
    end: date,
    fit_options: dict[str, Any],
) -> dict[int, FloatArray]:
    """One scoring block: every candidate window refitted at ``p = end − SCORE_DAYS`` on
    ``[max(first_allowed, p − w), p]`` and scored one step ahead on the intervals in ``(p, end]``.
    Candidates whose pseudo-window holds too few observed days are left out."""
    pseudo = end - timedelta(days=SCORE_DAYS)
    cache: dict[date, FrontParams] = {}
    out: dict[int, FloatArray] = {}
    for w, _ in cands:
        lo = max(first_allowed, pseudo - timedelta(days=w))
        if lo not in cache:
            try:
                cache[lo] = fit_front_offensive(past, pseudo, start=lo, **fit_options)[0]
            except ScenarioError:
                continue  # too few observed days before the pseudo-origin
        fit = cache[lo]
        last = pd.Timestamp(str(fit.metadata["last_date"]))
        ahead = past[(past.index >= last) & (past.index <= pd.Timestamp(end))]
        dy, gap = increments(ahead)
        out[w] = one_step_log_scores(fit, dy, gap)
    return out


def fit_window_mixture(
    past: pd.Series,
    origin: date,
    first_allowed: date,
    windows: Sequence[int],
    *,
    score_blocks: int = SCORE_BLOCKS,
    **fit_options: Any,
) -> WindowMixture | None:
    """Fit every candidate window at ``origin`` and weight them by stacking (module docstring).

    ``past`` must hold only data on or before ``origin`` (NaN = no observation). The weights are
    fitted on up to ``score_blocks`` consecutive 28-day blocks before the origin (the newest
    first, each with its own refits; an older block is used only when every candidate of the
    newest can be refitted and scored there). Returns ``None`` when fewer than two candidates
    can be scored before the origin (a single window, or pseudo-windows with fewer than 20
    observed days): the caller then uses its single window. ``fit_options`` go to every
    :func:`~parley.analysis.front_offensive.fit_front_offensive` call (``series_name``,
    ``column``, ``drift_prior_sd`` ...; ``parley calibrate front``).
    """
    cands = candidate_starts(origin, first_allowed, windows)
    if len(cands) < 2:
        return None
    newest = _block_scores(past, first_allowed, cands, origin, fit_options)
    scored = list(newest)  # the windows with a pseudo-fit in the newest block
    if len(scored) < 2 or newest[scored[0]].size == 0:
        return None
    blocks = [np.column_stack([newest[w] for w in scored])]
    for j in range(1, score_blocks):
        older = _block_scores(
            past, first_allowed, cands, origin - timedelta(days=SCORE_DAYS * j), fit_options
        )
        if any(w not in older or older[w].size == 0 for w in scored):
            break
        blocks.append(np.column_stack([older[w] for w in scored]))
    start_of = dict(cands)
    log_dens = np.vstack(blocks)
    weights = stacking_weights(log_dens)
    keep = weights >= MIN_WEIGHT  # a negligible candidate is not fitted at the origin
    kept = [w for w, k in zip(scored, keep, strict=True) if k]
    done = [fit_front_offensive(past, origin, start=start_of[w], **fit_options) for w in kept]
    return WindowMixture(
        windows=tuple(kept),
        starts=tuple(start_of[w] for w in kept),
        fits=tuple(f for f, _ in done),
        weights=tuple(float(v) for v in weights[keep] / weights[keep].sum()),
        log_scores=tuple(float(v) for v in log_dens.mean(axis=0)[keep]),
        diagnostics=tuple(d for _, d in done),
        blocks=len(blocks),
    )
