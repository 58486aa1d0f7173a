"""Bayesian fit of the offensive front process (positional / offensive by A / by B / culminated).

The process is the one of :mod:`parley.war.front` with the offensive chain switched on: the area
moves by ``N(μ0·g, σ0²·g)`` over ``g`` days in the positional and culminated regimes, and in an
offensive by side ``S = ±1`` by a Poisson mixture of normals (Merton 1976; Press 1967)

    ΔA | offensive S ~ Σ_n Poisson(n; λ g) · Normal(S·(d g + n m), σ_off² g + n s²).

The likelihood is evaluated by the Hamilton (1989) filter over the four reachable regimes, the
regime held fixed within one observation interval, the ``g``-day transition matrix the power of
the daily one. The offensive parameters are weakly identified from a few months of one war (a
window before September 2022 holds no break-through), so the fit is Bayesian: independent normal
priors on the unconstrained scale (log rates and scales, logit probabilities), centred on the
evidence available before the first forecast origin of the backtest and documented with their
sources in ``docs/calibration.md`` (:data:`PRIORS`). The estimate is the posterior mode; its
uncertainty the Laplace approximation (inverse Hessian of the negative log posterior, Tierney &
Kadane 1986), which :func:`parley.analysis.front_draws.sample_front_params` draws from, so every
run of a forecast carries its own parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numba
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize

from parley.analysis.calibrate import (
    DEFAULT_FROM,
    FrontFitDiagnostics,
    fit_diagnostics,
    prepare_series,
)
from parley.analysis.drift_prior import drift_rule, reversion_rate
from parley.analysis.front_transforms import LOC_SCALE, to_natural, transform_jacobian
from parley.analysis.information import curved_part_inverse, numerical_hessian
from parley.scenario.errors import ScenarioError
from parley.war.front import CULMINATED, OFFENSIVE_A, OFFENSIVE_B, POSITIONAL, REGIMES, FrontParams

FloatArray = NDArray[np.float64]

#: Largest number of break-through jumps per observation interval in the Poisson mixture.
MAX_JUMPS = 4


@dataclass(frozen=True)
class Prior:
    """A normal prior on one parameter's unconstrained scale: ``transform(value) ~ N(mean, sd²)``."""

    transform: str  # "loc" (value/100), "log", "logit" (of value/0.5)
    centre: float  # in natural units
    sd: float  # on the unconstrained scale; math.inf = flat
    source: str


#: Parameters of the offensive fit, their transforms and priors (see docs/calibration.md).
PRIORS: dict[str, Prior] = {
    # sd set per fit by the drift rule of parley.analysis.drift_prior (math.nan here)
    "drift_positional": Prior("loc", 0.0, math.nan, "empirical Bayes on the window's block drifts"),
    "sigma_positional": Prior("log", 40.0, math.inf, "flat"),
    "drift_offensive": Prior(
        "log", 50.0, 1.0, "Donbas offensive, DeepState weeks to 15 May 2022: +300 to +1,400 km²"
    ),
    "sigma_offensive": Prior("log", 150.0, 1.0, "a few times the positional σ (judgement)"),
    "jump_rate_offensive": Prior("log", 0.2, 1.0, "a break-through day in five (judgement)"),
    "jump_size_mean": Prior(
        "log", 3000.0, 0.75, "liveuamap 24 Feb-14 Apr 2022: daily moves of 1-27 thousand km²"
    ),
    "jump_size_sd": Prior("log", 1500.0, 0.75, "half the size (judgement)"),
    "p_offensive_A": Prior(
        "logit", 1 / 180, 1.0, "liveuamap Feb-May 2022: one offensive by each side in 80 days"
    ),
    "p_offensive_B": Prior(
        "logit", 1 / 180, 1.0, "liveuamap Feb-May 2022: one offensive by each side in 80 days"
    ),
    "p_culminate": Prior(
        "logit", 1 / 14, 1.0, "offensive phases of 1-4 weeks (Feb-Apr 2022; Clausewitz)"
    ),
    "p_recover": Prior("logit", 1 / 60, 1.0, "operational pause of about two months (judgement)"),
}
NAMES: tuple[str, ...] = tuple(PRIORS)
TRANSFORMS: tuple[str, ...] = tuple(p.transform for p in PRIORS.values())
#: Filter states (indices into REGIMES): the manoeuvre regime is not used by this chain.
STATES = (POSITIONAL, OFFENSIVE_A, OFFENSIVE_B, CULMINATED)


def _theta_of(natural: dict[str, float]) -> FloatArray:
    out = []
    for name, prior in PRIORS.items():
        v = natural[name]
        if prior.transform == "log":
            out.append(math.log(v))
        elif prior.transform == "logit":
            q = v / 0.5
            out.append(math.log(q / (1 - q)))
        else:
            out.append(v / 100.0)
    return np.array(out)


_PRIOR_MEAN = _theta_of({n: p.centre for n, p in PRIORS.items()})
_DRIFT = NAMES.index("drift_positional")


def prior_sds(drift_prior_sd: float) -> FloatArray:
    """Prior sds on the unconstrained scale, with the positional drift's (km²/day) filled in
    (``math.inf`` entries are flat)."""
    sd = np.array([p.sd for p in PRIORS.values()])
    sd[_DRIFT] = drift_prior_sd / LOC_SCALE
    return sd


def log_prior(theta: FloatArray, sd: FloatArray) -> float:
    """Sum of the normal log-densities of the informed parameters (flat ones contribute 0)."""
    informed = np.isfinite(sd)
    z = (theta[informed] - _PRIOR_MEAN[informed]) / sd[informed]
    return float(-0.5 * np.sum(z**2) - np.sum(np.log(sd[informed] * math.sqrt(2 * math.pi))))


def daily_matrix(nat: dict[str, float]) -> FloatArray:
    """One-day transition matrix over :data:`STATES`."""
    pa, pb, pc, pr = (
        nat[k] for k in ("p_offensive_A", "p_offensive_B", "p_culminate", "p_recover")
    )
    return np.array(
        [
            [1 - pa - pb, pa, pb, 0.0],
            [0.0, 1 - pc, 0.0, pc],
            [0.0, 0.0, 1 - pc, pc],
            [pr, 0.0, 0.0, 1 - pr],
        ]
    )


_N = np.arange(MAX_JUMPS + 1, dtype=float)[None, :]
_LOG_FACT = np.array([math.lgamma(k + 1.0) for k in range(MAX_JUMPS + 1)])[None, :]


def emissions(nat: dict[str, float], dy: FloatArray, gap: FloatArray) -> FloatArray:
    """Density of each increment in each filter state, shape ``(intervals, 4)``."""
    g = gap[:, None]
    dens = np.empty((dy.size, 4))
    mu0, s0 = nat["drift_positional"], nat["sigma_positional"]
    calm = np.exp(-0.5 * (dy - mu0 * gap) ** 2 / (s0**2 * gap)) / np.sqrt(2 * math.pi * s0**2 * gap)
    dens[:, 0] = calm
    dens[:, 3] = calm
    lam, d, so = nat["jump_rate_offensive"], nat["drift_offensive"], nat["sigma_offensive"]
    m, s = nat["jump_size_mean"], nat["jump_size_sd"]
    log_w = -lam * g + _N * math.log(lam) + _N * np.log(g) - _LOG_FACT
    var = so**2 * g + _N * s**2
    for col, sign in ((1, 1.0), (2, -1.0)):
        z = dy[:, None] - sign * (d * g + _N * m)
        dens[:, col] = np.exp(log_w - 0.5 * z**2 / var - 0.5 * np.log(2 * math.pi * var)).sum(1)
    return dens


@numba.njit(cache=False)
def _hamilton(
    dens: FloatArray, mats: FloatArray, gap_index: NDArray[np.int64], init: FloatArray
) -> tuple[float, FloatArray]:  # pragma: no cover - compiled
    n, k = dens.shape
    prob = init.copy()
    loglik = 0.0
    filtered = np.empty((n, k))
    for t in range(n):
        mat = mats[gap_index[t]]
        total = 0.0
        new = np.zeros(k)
        for j in range(k):
            pred = 0.0
            for i in range(k):
                pred += prob[i] * mat[i, j]
            new[j] = pred * dens[t, j]
            total += new[j]
        if total <= 1e-300:
            return -1e300, filtered
        loglik += math.log(total)
        for j in range(k):
            prob[j] = new[j] / total
            filtered[t, j] = prob[j]
    return loglik, filtered


def stationary(mat: FloatArray) -> FloatArray:
    """Stationary distribution of a regular transition matrix (left eigenvector for 1)."""
    k = mat.shape[0]
    system = mat.T - np.eye(k)
    system[0, :] = 1.0
    rhs = np.zeros(k)
    rhs[0] = 1.0
    return np.clip(np.linalg.solve(system, rhs), 0.0, 1.0)


def filter_offensive(
    nat: dict[str, float], dy: FloatArray, gap: FloatArray
) -> tuple[float, FloatArray]:
    """Hamilton filter: log-likelihood and filtered state probabilities ``(intervals, 4)``,
    starting from the stationary distribution of the chain."""
    daily = daily_matrix(nat)
    gaps, gap_index = np.unique(gap.astype(np.int64), return_inverse=True)
    mats = np.stack([np.linalg.matrix_power(daily, int(g)) for g in gaps])
    dens = emissions(nat, dy, gap)
    loglik, filtered = _hamilton(dens, mats, gap_index.astype(np.int64), stationary(daily))
    return float(loglik), filtered


def _no_wider_than_prior(cov: FloatArray, prior_sd: FloatArray) -> FloatArray:
    """Shrink the Laplace covariance so no informed parameter is less certain than its prior.

    A Laplace sd above the prior sd means the log posterior is far from quadratic at the mode (a
    flat ridge); drawing from the wider normal would put mass where neither the prior nor the data
    do. Rows and columns are rescaled, so correlations are kept.
    """
    sd = np.sqrt(np.clip(np.diag(cov), 1e-300, None))
    scale = np.where(np.isfinite(prior_sd), np.minimum(1.0, prior_sd / sd), 1.0)
    return np.asarray(cov * scale[:, None] * scale[None, :])


def _starts(dy: FloatArray, gap: FloatArray) -> list[FloatArray]:
    rate = dy / gap
    med = float(np.median(rate))
    mad = 1.4826 * float(np.median(np.abs(rate - med))) + 1.0
    base = {n: p.centre for n, p in PRIORS.items()}
    base.update(drift_positional=med, sigma_positional=mad)
    wide = dict(base, sigma_positional=float(np.std(rate)) + 1.0)
    return [_theta_of(base), _theta_of(wide)]


def fit_front_offensive(
    series: pd.Series,
    until: date | None = None,
    *,
    start: date | None = DEFAULT_FROM,
    repeated_as_missing: bool = False,
    series_name: str = "",
    column: str = "",
    drift_prior_sd: float | None = None,
) -> tuple[FrontParams, FrontFitDiagnostics]:
    """Posterior mode and Laplace covariance of the offensive front process (module docstring).

    ``series``: daily area (km², NaN on days without an observation) indexed by date; only data
    from ``start`` to ``until`` (inclusive) enter. Returns :class:`FrontParams` with the offensive
    fields set (``stderr``: posterior sds from the Laplace approximation; ``metadata``: the fitted
    window, ``regime_probs_last`` over :data:`parley.war.front.REGIMES`, and ``theta``,
    ``theta_cov``, ``theta_names``, ``theta_transforms`` for parameter draws; ``drift_prior_sd``
    and ``drift_innovation_sd`` of the drift rule; the fields ``drift_innovation_sd`` and
    ``drift_reversion`` set the moving positional drift by steps 3–4 of that rule) and diagnostics (``log_likelihood`` is the data
    log-likelihood at the mode, AIC/BIC with all parameters).

    ``drift_prior_sd`` (km²/day) fixes the sd of the normal prior on the positional drift; by
    default it is set by the rule of :mod:`parley.analysis.drift_prior` from the fitted window.
    """
    idx, dy, gap = prepare_series(
        series, start=start, until=until, repeated_as_missing=repeated_as_missing
    )
    rule = drift_rule(dy, gap)
    tau = rule.prior_sd if drift_prior_sd is None else float(drift_prior_sd)
    if not (math.isfinite(tau) and tau > 0):
        raise ScenarioError(f"the positional-drift prior sd must be > 0, got {tau}")
    prior_sd = prior_sds(tau)

    def neg_post(theta: FloatArray) -> float:
        if not np.all(np.isfinite(theta)) or np.any(np.abs(theta) > 40):
            return 1e300
        nat = to_natural(theta, NAMES, TRANSFORMS)
        if nat["p_offensive_A"] + nat["p_offensive_B"] >= 1:
            return 1e300
        ll, _ = filter_offensive(nat, dy, gap)
        return -(ll + log_prior(theta, prior_sd))

    best: optimize.OptimizeResult | None = None
    for x0 in _starts(dy, gap):
        res = optimize.minimize(
            neg_post, x0, method="Nelder-Mead", options={"maxiter": 3000, "adaptive": True}
        )
        res = optimize.minimize(neg_post, res.x, method="BFGS", options={"gtol": 1e-4})
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    theta = np.asarray(best.x, dtype=float)
    nat = to_natural(theta, NAMES, TRANSFORMS)
    loglik, filtered = filter_offensive(nat, dy, gap)
    hess = numerical_hessian(neg_post, theta)
    pos_def = bool(
        np.all(np.isfinite(hess)) and np.all(np.linalg.eigvalsh(0.5 * (hess + hess.T)) > 0)
    )
    raw = np.linalg.inv(hess) if pos_def else curved_part_inverse(hess)
    cov = _no_wider_than_prior(np.asarray(raw, dtype=float), prior_sd)
    sd = transform_jacobian(theta, TRANSFORMS) * np.sqrt(np.clip(np.diag(cov), 0, None))
    probs_last = np.zeros(len(REGIMES))
    probs_last[list(STATES)] = filtered[-1]
    last_date = idx[-1]
    metadata = {
        "model": "offensive",
        "series": series_name,
        "column": column,
        "fitted_from": str(idx[0].date()),
        "fitted_until": str(last_date.date()),
        "last_value": float(series.loc[series.index == last_date].iloc[0]),
        "last_date": str(last_date.date()),
        "regime_probs_last": [float(v) for v in probs_last],
        "log_likelihood": float(loglik),
        "n_obs": int(dy.size),
        "theta_names": list(NAMES),
        "theta_transforms": list(TRANSFORMS),
        "theta": [float(v) for v in theta],
        "theta_cov": [[float(v) for v in row] for row in cov],
        "drift_prior_sd": tau,
        "drift_innovation_sd": rule.innovation_sd,
    }
    stderr = {n: float(v) for n, v in zip(NAMES, sd, strict=True)}
    params = FrontParams(
        **nat,
        drift_innovation_sd=rule.innovation_sd,
        drift_reversion=reversion_rate(rule.innovation_sd, tau),
        stderr=stderr,
        metadata=metadata,
    )
    filt = pd.Series(filtered[:, 1] + filtered[:, 2], index=idx[1:], name="p_offensive")
    return params, fit_diagnostics(float(loglik), int(dy.size), len(NAMES), best, pos_def, filt)
