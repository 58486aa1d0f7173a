"""Maximum-likelihood calibration of the front process to a daily occupied-area series.

The model is the two-regime jump diffusion of :mod:`parley.war.front` observed on (possibly
irregular) days. For an interval of ``g`` days in regime ``r`` the area change is a Poisson mixture
of normals (Merton 1976; Press 1967):

    ΔA | r ~ Σ_n Poisson(n; λ_r g) · Normal(μ_r g + n m_r, σ_r² g + n s_r²),

and the regime follows a Markov chain whose ``g``-day transition matrix has a closed form. The
likelihood is evaluated by the Hamilton (1989) filter ("A new approach to the economic analysis of
nonstationary time series and the business cycle", Econometrica 57(2):357–384); the regime is held
fixed within one observation interval (exact for daily data, an approximation across gaps).
Standard errors come from the observed information: a central-difference Hessian of the negative
log-likelihood in the unconstrained parametrisation, mapped back by the delta method.

Missing days (NaN values, or rows a source marked as not observed) simply lengthen the next interval.

This module holds the two-regime fit, the preparation of the observed series and the diagnostics
that the offensive fit (:mod:`parley.analysis.front_offensive`) shares. The unconstrained
parametrisation of the two-regime parameters is in :mod:`parley.analysis.front_transforms`, and
drawing parameters from a fit's law in :mod:`parley.analysis.front_draws`
(:func:`sample_front_params`, importable from here too).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize

from parley.analysis.front_draws import sample_front_params as sample_front_params
from parley.analysis.front_transforms import JumpRegimes as JumpRegimes
from parley.analysis.front_transforms import (
    TwoRegimeSpec,
    two_regime_jacobian,
    two_regime_natural,
    two_regime_spec,
    two_regime_theta,
)
from parley.analysis.information import curved_part_inverse as curved_part_inverse
from parley.analysis.information import numerical_hessian as numerical_hessian
from parley.scenario.errors import ScenarioError
from parley.war.front import FrontParams

FloatArray = NDArray[np.float64]

#: Default start of the calibration window: April 2022 values reflect mapping catching up.
DEFAULT_FROM = date(2022, 5, 15)
#: Largest number of jumps per observation interval in the Poisson mixture.
MAX_JUMPS = 4


@dataclass(frozen=True)
class FrontFitDiagnostics:
    """What the optimiser and the filter report about a front fit."""

    log_likelihood: float
    n_obs: int
    n_params: int
    aic: float
    bic: float
    converged: bool
    message: str
    hessian_positive_definite: bool
    filtered_manoeuvre: pd.Series  # P(manoeuvre | data up to day t), indexed by interval end date


_N = np.arange(MAX_JUMPS + 1, dtype=float)[None, :]
_LOG_FACT = np.array([math.lgamma(k + 1.0) for k in range(MAX_JUMPS + 1)])[None, :]


def _emissions(nat: dict[str, float], dy: FloatArray, gap: FloatArray) -> FloatArray:
    """Density of each increment under each regime, shape ``(intervals, 2)``.

    Poisson(λg) weights on 0..MAX_JUMPS jumps times Normal(μg + n·m, σ²g + n·s²) densities.
    """
    dens = np.zeros((dy.size, 2))
    g = gap[:, None]
    for r, tag in enumerate(("positional", "manoeuvre")):
        mu, sigma = nat[f"drift_{tag}"], nat[f"sigma_{tag}"]
        lam = nat.get(f"jump_rate_{tag}", 0.0)
        m, s = nat.get(f"jump_mean_{tag}", 0.0), nat.get(f"jump_sd_{tag}", 0.0)
        if lam > 0:
            log_w = -lam * g + _N * math.log(lam) + _N * np.log(g) - _LOG_FACT
        else:
            log_w = np.where(_N == 0, 0.0, -np.inf) + 0.0 * g
        var = sigma**2 * g + _N * s**2
        z = dy[:, None] - mu * g - _N * m
        log_pdf = -0.5 * z**2 / var - 0.5 * np.log(2 * math.pi * var)
        dens[:, r] = np.exp(log_w + log_pdf).sum(axis=1)
    return dens


def _filter(nat: dict[str, float], dy: FloatArray, gap: FloatArray) -> tuple[float, FloatArray]:
    """Hamilton filter: log-likelihood and filtered P(manoeuvre) after each interval."""
    a, b = nat["p_positional_to_manoeuvre"], nat["p_manoeuvre_to_positional"]
    dens = _emissions(nat, dy, gap)
    decay = (1.0 - a - b) ** gap
    stay_pos = (b + a * decay) / (a + b)
    stay_man = (a + b * decay) / (a + b)
    prob_man = a / (a + b)  # start from the stationary distribution
    loglik = 0.0
    filtered = np.empty(dy.size)
    for t in range(dy.size):
        pred_man = prob_man * stay_man[t] + (1.0 - prob_man) * (1.0 - stay_pos[t])
        f_pos = (1.0 - pred_man) * dens[t, 0]
        f_man = pred_man * dens[t, 1]
        total = f_pos + f_man
        if total <= 1e-300:
            return -1e300, filtered
        loglik += math.log(total)
        prob_man = f_man / total
        filtered[t] = prob_man
    return loglik, filtered


def prepare_series(
    series: pd.Series,
    *,
    start: date | None = DEFAULT_FROM,
    until: date | None = None,
    repeated_as_missing: bool = False,
) -> tuple[pd.DatetimeIndex, FloatArray, FloatArray]:
    """Turn a daily series into observation dates, increments and gaps (days).

    NaN values are missing days. With ``repeated_as_missing`` a value equal to the previous one is
    treated as "no new observation" (for sources that carry values forward without a flag).
    """
    s = series.copy()
    try:
        s.index = pd.DatetimeIndex(pd.to_datetime(s.index)).normalize()
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"series index must be dates: {exc}", field="date") from None
    s = pd.to_numeric(s, errors="coerce").astype(float).sort_index()
    if s.index.has_duplicates:
        raise ScenarioError("series has duplicate dates", field="date")
    if start is not None:
        s = s[s.index >= pd.Timestamp(start)]
    if until is not None:
        s = s[s.index <= pd.Timestamp(until)]
    if repeated_as_missing:
        s = s.mask(s.diff() == 0)
    s = s.dropna()
    if s.size < 20:
        raise ScenarioError(f"need at least 20 observed days to fit the front, got {s.size}")
    idx = pd.DatetimeIndex(s.index)
    dy: FloatArray = np.diff(s.to_numpy(dtype=float)).astype(np.float64)
    gap: FloatArray = np.diff(idx.to_numpy()).astype("timedelta64[D]").astype(np.float64)
    return idx, dy, gap


def _initial_guesses(
    dy: FloatArray, gap: FloatArray, spec: TwoRegimeSpec
) -> list[dict[str, float]]:
    rate = dy / gap
    med = float(np.median(rate))
    mad = float(np.median(np.abs(rate - med))) * 1.4826 + 1.0
    big = rate[np.abs(rate - med) > 10 * mad]
    guesses = []
    for p01, sig_mult in ((0.02, 6.0), (0.05, 15.0), (0.01, 4.0)):
        g = {
            "drift_positional": med,
            "drift_manoeuvre": float(np.mean(rate[np.abs(rate - med) > 3 * mad]))
            if np.any(np.abs(rate - med) > 3 * mad)
            else med,
            "sigma_positional": mad,
            "sigma_manoeuvre": mad * sig_mult,
            "p_positional_to_manoeuvre": p01,
            "p_manoeuvre_to_positional": 0.15,
            "jump_rate_manoeuvre": 0.1,
            "jump_mean_manoeuvre": float(np.mean(big)) if big.size else -10 * mad,
            "jump_sd_manoeuvre": float(np.std(big)) + mad if big.size > 1 else 5 * mad,
            "jump_rate_positional": 0.02,
            "jump_mean_positional": 0.0,
            "jump_sd_positional": 10 * mad,
        }
        guesses.append({k: g[k] for k in spec.names})
    return guesses


def fit_front(
    series: pd.Series,
    until: date | None = None,
    *,
    start: date | None = DEFAULT_FROM,
    jump_regimes: JumpRegimes = "manoeuvre",
    min_jump_sd: float = 500.0,
    repeated_as_missing: bool = False,
    series_name: str = "",
    column: str = "",
) -> tuple[FrontParams, FrontFitDiagnostics]:
    """Fit the two-regime jump diffusion of the front by maximum likelihood (war-model §5).

    ``series`` holds the daily occupied area (km²) indexed by date; data from ``start`` (default
    2022-05-15, after DeepState's mapping caught up) up to and including ``until`` are used.
    ``jump_regimes`` names where the jump component lives: ``"manoeuvre"`` (default: break-throughs
    only in manoeuvre phases), ``"both"`` or ``"none"``. The positional regime is the one with the
    smaller diffusion σ (with manoeuvre-only jumps, the regime carrying the jumps). ``min_jump_sd``
    (km², default 500) is a floor on the jump-size sd: a handful of observed break-through days
    cannot identify the spread of jump sizes (DeepState 2022 shows weekly jumps from about 4.6 to
    8.8 thousand km²), and the unconstrained maximum runs to sd = 0. Parameters that end on a bound
    are held there and get a NaN standard error. Returns the parameters (with ``stderr`` from the observed information and
    metadata for :func:`parley.war.front.initial_regime`) and diagnostics.
    """
    spec = two_regime_spec(jump_regimes, min_jump_sd)
    idx, dy, gap = prepare_series(
        series, start=start, until=until, repeated_as_missing=repeated_as_missing
    )

    transformed = np.array([not n.startswith(("drift", "jump_mean")) for n in spec.names])

    def nll(theta: FloatArray) -> float:
        if not np.all(np.isfinite(theta)) or np.any(np.abs(theta[transformed]) > 30):
            return 1e300
        value, _ = _filter(two_regime_natural(theta, spec), dy, gap)
        return -value

    best = _maximise(nll, dy, gap, spec)
    theta = np.asarray(best.x, dtype=float)
    nat = two_regime_natural(theta, spec)
    if jump_regimes != "manoeuvre" and nat["sigma_positional"] > nat["sigma_manoeuvre"]:
        # label the calmer regime "positional" (with manoeuvre-only jumps the labels are fixed)
        nat = _swap_regimes(nat)
        theta = two_regime_theta(nat, spec)
    loglik, filtered = _filter(nat, dy, gap)

    stderr, cov_theta, pos_def = _standard_errors(nll, theta, spec)

    n_obs, k = int(dy.size), len(spec.names)
    last_date = idx[-1]
    metadata = {
        "series": series_name,
        "column": column,
        "fitted_from": str(idx[0].date()),
        "fitted_until": str(last_date.date()),
        "last_value": float(series.loc[series.index == last_date].iloc[0])
        if (series.index == last_date).any()
        else float("nan"),
        "last_date": str(last_date.date()),
        "p_manoeuvre_last": float(filtered[-1]),
        "jump_regimes": jump_regimes,
        "log_likelihood": float(loglik),
        "n_obs": n_obs,
        "min_jump_sd": float(min_jump_sd),
        "theta_names": list(spec.names),
        "theta": [float(v) for v in theta],
        "theta_cov": [[float(v) for v in row] for row in cov_theta],
    }
    params = FrontParams(**nat, stderr=stderr, metadata=metadata)
    filt = pd.Series(filtered, index=idx[1:], name="p_manoeuvre")
    return params, fit_diagnostics(float(loglik), n_obs, k, best, pos_def, filt)


def _maximise(
    nll: Callable[[FloatArray], float], dy: FloatArray, gap: FloatArray, spec: TwoRegimeSpec
) -> optimize.OptimizeResult:
    """The best of Nelder–Mead then BFGS from each initial guess (lowest ``nll``)."""
    best: optimize.OptimizeResult | None = None
    for guess in _initial_guesses(dy, gap, spec):
        res = optimize.minimize(
            nll,
            two_regime_theta(guess, spec),
            method="Nelder-Mead",
            options={
                "maxiter": 4000,
                "maxfev": 8000,
                "xatol": 1e-6,
                "fatol": 1e-8,
                "adaptive": True,
            },
        )
        res = optimize.minimize(nll, res.x, method="BFGS", options={"gtol": 1e-5})
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    return best


def _standard_errors(
    nll: Callable[[FloatArray], float], theta: FloatArray, spec: TwoRegimeSpec
) -> tuple[dict[str, float], FloatArray, bool]:
    """Standard errors by name, the covariance of ``theta`` and whether the Hessian is positive
    definite: the observed information (central-difference Hessian of ``nll``) of the parameters
    not on a bound, mapped to natural units by the delta method; parameters on a bound get NaN."""
    free = ~_on_bound(theta, spec)

    def nll_free(sub: FloatArray) -> float:
        full = theta.copy()
        full[free] = sub
        return nll(full)

    hess = numerical_hessian(nll_free, theta[free])
    try:
        cov_free = np.linalg.inv(hess)
        pos_def = bool(np.all(np.linalg.eigvalsh(hess) > 0))
    except np.linalg.LinAlgError:
        cov_free = np.full_like(hess, np.nan)
        pos_def = False
    var = np.full(theta.size, np.nan)
    var[free] = two_regime_jacobian(theta, spec)[free] ** 2 * np.diag(cov_free)
    cov_theta = np.zeros((theta.size, theta.size))
    cov_theta[np.ix_(free, free)] = cov_free if pos_def else curved_part_inverse(hess)
    stderr = {
        name: float(math.sqrt(v)) if v >= 0 else float("nan")
        for name, v in zip(spec.names, var, strict=True)
    }
    return stderr, cov_theta, pos_def


def fit_diagnostics(
    loglik: float,
    n_obs: int,
    k: int,
    best: optimize.OptimizeResult,
    pos_def: bool,
    filtered: pd.Series,
) -> FrontFitDiagnostics:
    """Diagnostics of a front fit: log-likelihood, AIC and BIC with ``k`` parameters."""
    return FrontFitDiagnostics(
        log_likelihood=loglik,
        n_obs=n_obs,
        n_params=k,
        aic=2 * k - 2 * loglik,
        bic=k * math.log(n_obs) - 2 * loglik,
        converged=bool(best.success) or pos_def,
        message=str(best.message),
        hessian_positive_definite=pos_def,
        filtered_manoeuvre=filtered,
    )


def _on_bound(theta: FloatArray, spec: TwoRegimeSpec) -> NDArray[np.bool_]:
    """Parameters whose maximum lies on a bound of the parameter space (held fixed for the SEs)."""
    out = np.zeros(theta.size, dtype=bool)
    for i, name in enumerate(spec.names):
        if name.startswith("jump_sd"):  # within 0.1 % of the floor (or 1e-3 km² without one)
            out[i] = theta[i] < math.log(1e-3 * max(spec.min_jump_sd, 1.0))
        elif name.startswith("jump_rate"):
            out[i] = theta[i] < -12.0  # rate below e^-12 per day
        elif name.startswith("p_"):
            out[i] = abs(theta[i]) > 12.0
    return out


def _swap_regimes(nat: dict[str, float]) -> dict[str, float]:
    swapped: dict[str, float] = {}
    for name, value in nat.items():
        if name == "p_positional_to_manoeuvre":
            other = "p_manoeuvre_to_positional"
        elif name == "p_manoeuvre_to_positional":
            other = "p_positional_to_manoeuvre"
        elif name.endswith("_positional"):
            other = name[: -len("_positional")] + "_manoeuvre"
        elif name.endswith("_manoeuvre"):
            other = name[: -len("_manoeuvre")] + "_positional"
        else:
            other = name
        swapped[other] = value
    return swapped
