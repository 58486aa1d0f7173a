"""Durability of a settlement: a Weibull proportional-hazards model of renewed war (war-model §7).

The hazard of renewed war ``t`` years after a settlement of type ``k`` is

    h(t) = h0_k(t) · exp(Σ_j β_j (z_j − z̄_{k,j})),     h0_k(t) = (a_k/b_k)·(t/b_k)^(a_k − 1),

so the probability of renewal within ``t`` years is ``1 − exp(−(t/b_k)^a_k · e^{lp})``.

- Baselines ``(a_k, b_k)`` are fitted per termination type (a stratified baseline) by maximum
  likelihood with right censoring to the shipped UCDP conflict-termination data
  (``parley/data/durability/ucdp_episode_recurrence.csv``: 525 episodes 1946–2020, Kroc et al.;
  Kreutz 2010, "How and when armed conflicts end", JPR 47(2)), censored at ``CENSOR_YEARS`` = 10
  years, the longest horizon the simulator reports. The Kaplan–Meier shares recurring within
  2 / 5 / 10 years (ceasefire 0.18 / 0.39 / 0.45, peace agreement 0.04 / 0.21 / 0.34) are the
  validation target (``tests/war/test_durability.py``, ``docs/validation.md``).
- Covariates act through hazard ratios from the shipped table (``hazard_ratios.csv``; Fortna 2003,
  "Scraps of paper?", IO 57(2); Fortna 2008 *Does Peacekeeping Work?*): peacekeepers 0.54
  (Fortna, adjusted), comprehensive agreement 0.50 (UCDP peace agreements), inter-state conflict
  0.38 (UCDP termination), log battle deaths 1.19 per log unit and years of war 0.95 per year
  (Fortna, adjusted). Because the baseline is fitted to the UCDP sample, each covariate enters as a
  deviation ``z − z̄`` from that sample: the inter-state share of the stratum (computed from the
  data), no peacekeepers and no comprehensive agreement (the UCDP termination data record neither;
  an assumption), 1,000 battle deaths (UCDP's war threshold) and one year of war (assumptions
  documented in ``docs/war-model.md``). With every covariate at its reference, ``lp = 0`` and the
  model reproduces its stratum's recurrence curve.

The structural (Powell) trigger is applied by :mod:`parley.war.aftermath`.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from parley.numerics import numerical_hessian

FloatArray = NDArray[np.float64]

#: Agreement types the simulator knows, with their termination code in the UCDP data.
AGREEMENT_TYPES: dict[str, str] = {"ceasefire": "ceasefire", "peace_agreement": "peace_agreement"}
#: Administrative censoring of the baseline fit, years.
CENSOR_YEARS = 10.0
#: Reference profile of the covariates that the UCDP termination data do not record.
REFERENCE_LOG_BATTLE_DEATHS = math.log(1000.0)
REFERENCE_WAR_YEARS = 1.0

#: (model, covariate) rows of ``hazard_ratios.csv`` used for each simulator covariate.
HR_ROWS: dict[str, tuple[str, str]] = {
    "peacekeepers": ("fortna_pk_adjusted", "pk_dum"),
    "comprehensive": ("ucdp_pa_ending", "full_agreement"),
    "interstate": ("ucdp_term_recurrence", "interstate"),
    "log_battle_deaths": ("fortna_pk_adjusted", "logdead"),
    "war_years": ("fortna_pk_adjusted", "wardur"),
}


@dataclass(frozen=True)
class WeibullBaseline:
    """ML fit of ``S(t) = exp(−(t/scale)^shape)`` to right-censored durations (years)."""

    shape: float
    scale: float
    shape_se: float
    scale_se: float
    n: int
    events: int
    censor_years: float
    log_likelihood: float

    def cumulative_hazard(self, t: ArrayLike) -> FloatArray:
        """``H0(t) = (t/scale)^shape``."""
        return np.asarray((np.maximum(np.asarray(t, dtype=float), 0.0) / self.scale) ** self.shape)


@dataclass(frozen=True)
class DurabilityModel:
    """Stratified Weibull baselines plus log hazard ratios and the covariates' reference values."""

    baselines: dict[str, WeibullBaseline]
    log_hr: dict[str, float]
    reference: dict[str, dict[str, float]] = field(default_factory=dict)  # per agreement type


def _data_file(name: str) -> list[dict[str, str]]:
    path = resources.files("parley.data") / "durability" / name
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def load_recurrence() -> tuple[list[str], FloatArray, NDArray[np.bool_], NDArray[np.bool_]]:
    """UCDP episodes: termination type, years to the next episode, event flag, inter-state flag."""
    rows = _data_file("ucdp_episode_recurrence.csv")
    outc = [r["outc"] for r in rows]
    t = np.array([float(r["T"]) for r in rows])
    event = np.array([r["event"] == "1" for r in rows])
    interstate = np.array([r["type_of_conflict"] == "2" for r in rows])
    return outc, t, event, interstate


def load_hazard_ratios() -> dict[tuple[str, str], float]:
    """``{(model, covariate): HR}`` from the shipped hazard-ratio table."""
    return {(r["model"], r["covariate"]): float(r["HR"]) for r in _data_file("hazard_ratios.csv")}


def fit_weibull(
    t: ArrayLike, event: ArrayLike, censor_years: float = CENSOR_YEARS
) -> WeibullBaseline:
    """Maximum-likelihood Weibull fit to right-censored durations (censored at ``censor_years``).

    Log-likelihood ``Σ d_i·(log a − log b + (a−1)·log(t_i/b)) − Σ (t_i/b)^a``; standard errors
    from the inverse observed information in ``(log a, log b)`` by the delta method
    (:func:`parley.numerics.numerical_hessian`). ``scipy.stats.weibull_min.fit`` on
    ``scipy.stats.CensoredData`` is not used: on the shipped data its optimum has a lower
    likelihood (by about 4e-11) and parameters 1e-6 away, which would move the durability draws.
    """
    tt = np.asarray(t, dtype=float)
    d = np.asarray(event, dtype=bool)
    if tt.size == 0 or not np.any(d & (tt <= censor_years)):
        raise ValueError("need at least one event to fit a Weibull baseline")
    d = d & (tt <= censor_years)
    tt = np.clip(tt, 1e-6, censor_years)

    def nll(x: FloatArray) -> float:
        a, b = math.exp(x[0]), math.exp(x[1])
        z = tt / b
        return -float(np.sum(d * (math.log(a / b) + (a - 1.0) * np.log(z))) - np.sum(z**a))

    res = optimize.minimize(nll, np.array([0.0, math.log(float(np.mean(tt)) * 2)]), method="BFGS")
    x = np.asarray(res.x, dtype=float)
    hess = numerical_hessian(nll, x)
    cov = np.linalg.inv(hess)
    a, b = math.exp(x[0]), math.exp(x[1])
    return WeibullBaseline(
        shape=a,
        scale=b,
        shape_se=a * math.sqrt(max(cov[0, 0], 0.0)),
        scale_se=b * math.sqrt(max(cov[1, 1], 0.0)),
        n=int(tt.size),
        events=int(d.sum()),
        censor_years=float(censor_years),
        log_likelihood=-float(res.fun),
    )


def kaplan_meier(t: ArrayLike, event: ArrayLike, times: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Kaplan–Meier share *recurring* by each of ``times`` and its Greenwood standard error.

    ``scipy.stats.ecdf`` on censored data gives the same estimate, but its Greenwood variance is
    infinite after a time at which everyone at risk fails, where this sum leaves the term out, so
    the hand-written estimator is kept.
    """
    tt = np.asarray(t, dtype=float)
    d = np.asarray(event, dtype=bool)
    qs = np.asarray(times, dtype=float)
    surv, var = 1.0, 0.0
    out_s = np.ones(qs.shape)
    out_v = np.zeros(qs.shape)
    for u in np.unique(tt[d]):
        at_risk = int(np.sum(tt >= u))
        deaths = int(np.sum((tt == u) & d))
        surv *= 1.0 - deaths / at_risk
        if at_risk > deaths:
            var += deaths / (at_risk * (at_risk - deaths))
        later = qs >= u
        out_s[later] = surv
        out_v[later] = var
    return 1.0 - out_s, out_s * np.sqrt(out_v)


@lru_cache(maxsize=1)
def default_model() -> DurabilityModel:
    """Baselines fitted to the shipped UCDP data and log hazard ratios from the shipped table."""
    outc, t, event, interstate = load_recurrence()
    codes = np.array(outc)
    baselines: dict[str, WeibullBaseline] = {}
    reference: dict[str, dict[str, float]] = {}
    for name, code in AGREEMENT_TYPES.items():
        sel = codes == code
        baselines[name] = fit_weibull(t[sel], event[sel])
        reference[name] = {
            "peacekeepers": 0.0,
            "comprehensive": 0.0,
            "interstate": float(np.mean(interstate[sel])),
            "log_battle_deaths": REFERENCE_LOG_BATTLE_DEATHS,
            "war_years": REFERENCE_WAR_YEARS,
        }
    hr = load_hazard_ratios()
    log_hr = {cov: math.log(hr[row]) for cov, row in HR_ROWS.items()}
    return DurabilityModel(baselines=baselines, log_hr=log_hr, reference=reference)


def linear_predictor(
    model: DurabilityModel,
    *,
    agreement: str,
    comprehensive: ArrayLike = 0.0,
    peacekeepers: ArrayLike = 0.0,
    interstate: ArrayLike = 0.0,
    log_battle_deaths: ArrayLike = REFERENCE_LOG_BATTLE_DEATHS,
    war_years: ArrayLike = REFERENCE_WAR_YEARS,
) -> FloatArray:
    """``Σ β_j (z_j − z̄_j)`` with ``β_j = log HR_j`` and ``z̄`` the stratum's reference profile."""
    if agreement not in model.baselines:
        raise ValueError(f"unknown agreement type '{agreement}'")
    ref = model.reference[agreement]
    values = {
        "comprehensive": comprehensive,
        "peacekeepers": peacekeepers,
        "interstate": interstate,
        "log_battle_deaths": log_battle_deaths,
        "war_years": war_years,
    }
    lp: FloatArray = np.zeros(())
    for cov, value in values.items():
        lp = lp + model.log_hr[cov] * (np.asarray(value, dtype=float) - ref[cov])
    return np.asarray(lp)


def renewal_probability(
    model: DurabilityModel, agreement: str, t0: ArrayLike, t1: ArrayLike, lp: ArrayLike = 0.0
) -> FloatArray:
    """P(war resumes in ``(t0, t1]`` years | the settlement held to ``t0``)."""
    base = model.baselines[agreement]
    dh = base.cumulative_hazard(t1) - base.cumulative_hazard(t0)
    return np.asarray(-np.expm1(-dh * np.exp(np.asarray(lp, dtype=float))))


def sample_renewal_years(
    model: DurabilityModel, agreement: str, lp: ArrayLike, u: ArrayLike
) -> FloatArray:
    """Years to renewal by inversion, ``t = b·(−log U / e^{lp})^{1/a}``, from uniforms ``u``."""
    base = model.baselines[agreement]
    e = -np.log(np.clip(np.asarray(u, dtype=float), 1e-300, 1.0)) / np.exp(np.asarray(lp))
    return np.asarray(base.scale * e ** (1.0 / base.shape))
