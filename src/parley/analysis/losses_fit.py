"""Weekly losses with over-dispersion, tied to the intensity of the front (a fit to print).

Model (negative binomial regression, NB2; Cameron & Trivedi 2013, *Regression Analysis of Count
Data*, 2nd ed., ch. 3): the losses of week ``w`` are

    L_w ~ NegBin(mean μ_w, Var = μ_w + α·μ_w²),   log μ_w = β0 + β1·I_w + β2·t_w,

with ``I_w`` the front intensity of the week — the absolute change of the occupied area over the
week in thousands of km² (offensives cost more, war-model §6) — and ``t_w`` the years since the
first fitted week (mobilisation and a longer front raise the level). ``α`` is the over-dispersion:
a Poisson model has ``α = 0``.

The shipped loss series is the Ukrainian General Staff's daily claim of cumulative Russian losses:
one-sided and unverified. It is used as an **intensity index** only: ``β1`` (how much more a
week of front movement costs), ``β2`` and ``α`` (how much weeks vary around their mean) are
relative quantities that carry over to an index of any level; ``exp(β0)`` is the claimed level and
is not an estimate of true losses. Fit by maximum likelihood, standard errors from the observed
information. The engine helper owns the mechanism that would consume these values
(``docs/calibration.md``, "Losses").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize, special

from parley.analysis.information import numerical_hessian
from parley.scenario.errors import ScenarioError

FloatArray = NDArray[np.float64]
NAMES = ("beta0", "beta_intensity", "beta_trend_per_year", "alpha")


@dataclass(frozen=True)
class LossesFit:
    """Estimates and standard errors of the weekly-losses model, and what it was fitted to."""

    estimate: dict[str, float]
    stderr: dict[str, float]
    log_likelihood: float
    n_weeks: int
    first_week: str
    last_week: str

    def lines(self) -> list[str]:
        """Human-readable lines: each parameter with its standard error, then derived values."""
        out = [f"weekly losses {self.first_week} .. {self.last_week} ({self.n_weeks} weeks), "
               f"log-likelihood {self.log_likelihood:.1f}"]  # fmt: skip
        for n in NAMES:
            out.append(f"{n:<22} {self.estimate[n]:>12.5g} {self.stderr[n]:>12.3g}")
        b1, a = self.estimate["beta_intensity"], self.estimate["alpha"]
        out.append(f"losses x{math.exp(b1):.3f} per 1,000 km² of weekly front movement")
        out.append(
            f"over-dispersion: sd/mean of a week at a given mean ~ sqrt(alpha) = {a**0.5:.3f}"
        )
        return out


def weekly_table(
    cumulative: pd.Series, area: pd.Series, until: date | None = None, *, start: date | None = None
) -> pd.DataFrame:
    """Weeks ending on the weekday of ``until`` (or the last day): losses (difference of the
    cumulative claim), intensity ``|ΔA|/1000`` from the carried-forward area, years since start."""
    cum = cumulative.sort_index().astype(float)
    ar = area.sort_index().astype(float).ffill()
    last = pd.Timestamp(until) if until is not None else cum.index[-1]
    cum, ar = cum[cum.index <= last], ar[ar.index <= last]
    if start is not None:
        cum, ar = cum[cum.index >= pd.Timestamp(start)], ar[ar.index >= pd.Timestamp(start)]
    ends = pd.date_range(end=last, periods=max(0, (last - cum.index[0]).days // 7 + 1), freq="7D")
    losses = cum.reindex(ends).diff()
    intensity = ar.reindex(ends).diff().abs() / 1000.0
    frame = pd.DataFrame({"losses": losses, "intensity": intensity}).dropna()
    if len(frame) < 8:
        raise ScenarioError(f"need at least 8 weeks with losses and area, got {len(frame)}")
    if (frame["losses"] < 0).any():
        raise ScenarioError("the cumulative losses decrease in some week", field="losses")
    frame["years"] = (frame.index - frame.index[0]).days / 365.25
    return frame


def _nll(theta: FloatArray, y: FloatArray, x: FloatArray, t: FloatArray) -> float:
    b0, b1, b2, log_a = theta
    mu = np.exp(b0 + b1 * x + b2 * t)
    r = math.exp(-log_a)  # NB size parameter 1/α
    ll = (
        special.gammaln(y + r)
        - special.gammaln(r)
        - special.gammaln(y + 1)
        + r * np.log(r / (r + mu))
        + y * np.log(mu / (r + mu))
    )
    return float(-np.sum(ll))


def fit_weekly_losses(frame: pd.DataFrame) -> LossesFit:
    """Maximum-likelihood NB2 fit to :func:`weekly_table` output (module docstring)."""
    y = frame["losses"].to_numpy(dtype=float)
    x = frame["intensity"].to_numpy(dtype=float)
    t = frame["years"].to_numpy(dtype=float)
    m = float(np.mean(y))
    over = max(float(np.var(y)) - m, m) / m**2
    x0 = np.array([math.log(m), 0.0, 0.0, math.log(over)])
    res = optimize.minimize(_nll, x0, args=(y, x, t), method="BFGS")
    res = optimize.minimize(_nll, res.x, args=(y, x, t), method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})  # fmt: skip
    theta = np.asarray(res.x, dtype=float)
    hess = numerical_hessian(lambda th: _nll(th, y, x, t), theta)
    cov = np.linalg.inv(hess)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    alpha = math.exp(theta[3])
    est = dict(zip(NAMES, [*theta[:3], alpha], strict=True))
    stderr = dict(zip(NAMES, [*se[:3], alpha * se[3]], strict=True))
    return LossesFit(
        estimate={k: float(v) for k, v in est.items()},
        stderr={k: float(v) for k, v in stderr.items()},
        log_likelihood=-float(res.fun),
        n_weeks=len(y),
        first_week=str(frame.index[0].date()),
        last_week=str(frame.index[-1].date()),
    )
