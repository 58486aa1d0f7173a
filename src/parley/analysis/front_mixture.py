"""A mixture of front fits over calibration windows, drawn run by run.

``parley calibrate front --windows`` writes the stacking mixture of offensive fits on several
calibration windows (:mod:`parley.analysis.window_stacking`; Yao, Vehtari, Simpson & Gelman 2018,
"Using stacking to average Bayesian predictive distributions", Bayesian Analysis 13(3):917–1007)
as a ``mixture`` list beside the usual top-level fit. A forecast from it gives component ``k`` its
share ``w_k`` of the runs (largest remainders, :func:`~parley.analysis.window_stacking.
allocate_runs`), each of those runs drawing its parameters from that component's posterior
(:func:`parley.analysis.front_draws.sample_front_params`) and starting in a regime drawn from that
component's filtered probabilities on the last fitted day — the same mixture ``parley backtest``
simulates front-only (``docs/calibration.md``, "Averaging fits over calibration windows").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from parley.analysis.calibrate import FrontFitDiagnostics
from parley.analysis.front_draws import sample_front_params
from parley.analysis.front_offensive import fit_front_offensive
from parley.analysis.window_stacking import (
    SCORE_BLOCKS,
    SCORE_DAYS,
    WindowMixture,
    allocate_runs,
    fit_window_mixture,
)
from parley.scenario.errors import ScenarioError
from parley.scenario.front_mixture_params import (
    check_mixture_weights,
    check_same_end,
    validate_mixture,
)
from parley.war.front import NUMERIC_FIELDS, REGIMES, FrontParams

#: One component of a mixture: its weight and its fit.
Component = tuple[float, FrontParams]
#: Metadata of a fit that draws parameters (dropped from a drawn mixture: it is drawn already).
POSTERIOR_KEYS = ("theta", "theta_cov")


def mixture_components(payload: dict[str, Any], *, file: str | None = None) -> list[Component]:
    """``(weight, fit)`` of every component of a front-fit payload's ``mixture`` list, or ``[]``
    when it has none (a single-window fit). Bad entries raise :class:`ScenarioError`
    (:func:`parley.scenario.front_mixture_params.validate_mixture`)."""
    raw = payload.get("mixture")
    if raw is None:
        return []
    out = []
    for c in validate_mixture(raw, file):
        meta = {**c["metadata"], "window_days": c["window_days"], "first_day": c["first_day"]}
        out.append((float(c["weight"]), FrontParams.from_dict({**c, "metadata": meta}, file=file)))
    return out


def fit_offensive_windows(
    series: pd.Series,
    until: date,
    first_allowed: date,
    window_days: int,
    windows: Sequence[int],
    fit_options: dict[str, Any],
    score_blocks: int = SCORE_BLOCKS,
) -> tuple[FrontParams, FrontFitDiagnostics, WindowMixture | None]:
    """The offensive fit of ``parley calibrate front`` to ``until``.

    Windows count back from ``until``, or from the series' last day when it ends earlier. With
    ``windows`` the stacking mixture (:func:`~parley.analysis.window_stacking.fit_window_mixture`,
    data from ``first_allowed``) and its highest-weight fit; without, or when fewer than two
    windows can be scored, the single fit on ``[max(first_allowed, end − window_days), until]``
    and no mixture. ``fit_options`` go to every
    :func:`~parley.analysis.front_offensive.fit_front_offensive` call.
    """
    past = series[series.index <= pd.Timestamp(until)]
    if fit_options.get("repeated_as_missing"):  # the scoring of the windows must see it too
        past = past.mask(past.ffill().diff() == 0)
    end = min(until, past.index.max().date()) if len(past) else until
    mixture = (
        fit_window_mixture(
            past, end, first_allowed, windows, score_blocks=score_blocks, **fit_options
        )
        if windows
        else None
    )
    if mixture is None:
        lo = max(first_allowed, end - timedelta(days=window_days))
        params, diag = fit_front_offensive(past, until, start=lo, **fit_options)
        return params, diag, None
    top = int(np.argmax(mixture.weights))
    return mixture.fits[top], mixture.diagnostics[top], mixture


def mixture_lines(mixture: WindowMixture, until: date) -> list[str]:
    """What ``parley calibrate front`` prints about a mixture: each window's weight, first day and
    log score, and every window's estimates side by side."""
    scored = until - timedelta(days=SCORE_DAYS * mixture.blocks)
    lines = [
        f"window mixture (stacking weights from one-step log scores on {scored} .. {until}, "
        f"{mixture.blocks} block(s) of {SCORE_DAYS} days; the parameters above are the "
        "highest-weight window's):"
    ]
    for w, start, weight, score in zip(
        mixture.windows, mixture.starts, mixture.weights, mixture.log_scores, strict=True
    ):
        lines.append(f"  {w:>4} days from {start}: weight {weight:.3f}, mean log score {score:.2f}")
    head = "".join(f"{f'{w} d':>12}" for w in mixture.windows)
    lines.append(f"{'estimate by window':<28}{head}")
    for name in mixture.fits[0].metadata.get("theta_names", []):
        row = "".join(f"{float(getattr(f, name)):>12.4g}" for f in mixture.fits)
        lines.append(f"{name:<28}{row}")
    return lines


def mixture_payload(mixture: WindowMixture) -> list[dict[str, Any]]:
    """The ``mixture`` list ``parley calibrate front`` writes: per component its window (nominal
    days and first day), stacking weight, mean log score before the end, and its fit (``params``,
    ``stderr``, ``metadata``, ``diagnostics``)."""
    out = []
    for k, fit in enumerate(mixture.fits):
        entry: dict[str, Any] = {
            "window_days": mixture.windows[k],
            "first_day": mixture.starts[k].isoformat(),
            "weight": mixture.weights[k],
            "log_score": mixture.log_scores[k],
            **fit.to_dict(),
        }
        if mixture.diagnostics:
            entry["diagnostics"] = diagnostics_payload(mixture.diagnostics[k])
        out.append(entry)
    return out


def diagnostics_payload(diag: FrontFitDiagnostics) -> dict[str, Any]:
    """The ``diagnostics`` block of a front-fit file (log-likelihood, counts, AIC/BIC, flags)."""
    return {
        "log_likelihood": diag.log_likelihood,
        "n_obs": diag.n_obs,
        "n_params": diag.n_params,
        "aic": diag.aic,
        "bic": diag.bic,
        "converged": diag.converged,
        "hessian_positive_definite": diag.hessian_positive_definite,
    }


def sample_mixture_params(
    components: Sequence[Component],
    runs: int,
    rng: np.random.Generator,
    parameter_uncertainty: bool = True,
) -> FrontParams:
    """One :class:`FrontParams` for ``runs`` runs of a window mixture.

    Component ``k`` gets ``allocate_runs(weights, runs)[k]`` consecutive runs (in the order of
    ``components``); with ``parameter_uncertainty`` each of them draws its parameters from the
    component's posterior (:func:`~parley.analysis.front_draws.sample_front_params`, the components
    drawn one after the other from ``rng``), else holds the component's estimate. A field with the
    same number in every run stays a number, the others become arrays of shape ``(runs,)``.
    ``metadata["regime_probs_last"]`` (or ``p_manoeuvre_last``) becomes one row per run, so
    :func:`parley.war.front.initial_regime` starts each run from its own component's filtered
    regime; ``stderr`` and the other metadata are the highest-weight component's, without its
    posterior (``theta``, ``theta_cov``: the runs are drawn already), plus ``mixture_runs``
    (``[window_days, weight, runs]`` of each component when known). Components must end on the
    same day at the same area; weights must be >= 0 and sum to 1.
    """
    if not components:
        raise ScenarioError("a mixture needs at least one component", field="mixture")
    weights = [float(w) for w, _ in components]
    check_mixture_weights(weights)
    metas = [fp.metadata for _, fp in components]
    check_same_end(metas, [f"mixture[{k}]" for k in range(len(metas))])
    counts = allocate_runs(weights, runs)
    parts: list[tuple[int, FrontParams]] = []
    for (_, fp), n in zip(components, counts, strict=True):
        if n > 0:
            parts.append((n, sample_front_params(fp, n, rng) if parameter_uncertainty else fp))
    values = {name: _per_run(parts, name) for name in NUMERIC_FIELDS}
    top = components[int(np.argmax(weights))][1]
    meta = {k: v for k, v in top.metadata.items() if k not in POSTERIOR_KEYS}
    for key, width in (("regime_probs_last", len(REGIMES)), ("p_manoeuvre_last", 0)):
        if all(fp.metadata.get(key) is not None for _, fp in parts):
            meta[key] = _rows(parts, key, width)
        else:
            meta.pop(key, None)
    meta["mixture_runs"] = [
        [fp.metadata.get("window_days"), w, n]
        for (w, fp), n in zip(components, counts, strict=True)
    ]
    return FrontParams(**values, stderr=dict(top.stderr), metadata=meta)


def _per_run(parts: list[tuple[int, FrontParams]], name: str) -> float | np.ndarray:
    """Field ``name`` over the runs of every part: one number if all runs share it."""
    arrays = [np.asarray(getattr(fp, name), dtype=float) for _, fp in parts]
    if all(a.ndim == 0 for a in arrays) and len({float(a) for a in arrays}) == 1:
        return float(arrays[0])
    return np.concatenate(
        [np.broadcast_to(a, (n,)) for a, (n, _) in zip(arrays, parts, strict=True)]
    )


def _rows(parts: list[tuple[int, FrontParams]], key: str, width: int) -> np.ndarray:
    """Metadata ``key`` of every part repeated over its runs: ``(runs, width)``, or ``(runs,)``
    when ``width`` is 0."""
    shape = (lambda n: (n, width)) if width else (lambda n: (n,))
    return np.concatenate(
        [np.broadcast_to(np.asarray(fp.metadata[key], dtype=float), shape(n)) for n, fp in parts]
    )
