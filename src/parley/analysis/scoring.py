"""Proper scores of probabilistic forecasts of one number (the front at a horizon).

The scores are those used to rank probabilistic forecasts in epidemiology and conflict forecasting
(e.g. VIEWS): the weighted interval score (Bracher, Ray, Gneiting & Reich 2021, "Evaluating
epidemic forecasts in an interval format", PLoS Comput Biol 17(2): e1008618) over the median and
eleven central intervals (the 23 quantiles of the US COVID-19 Forecast Hub), the continuous ranked
probability score (Gneiting & Raftery 2007, JASA 102:359–378), both computed with the
``scoringrules`` library; the coverage of the central 50, 80 and 90 % intervals; the probability
integral transform (PIT, Dawid 1984), uniform for a calibrated forecast; and the bias of the
median (forecast median − observed). A forecast is either an ensemble of samples or a normal law.
"""

from __future__ import annotations

import numpy as np
import scoringrules as sr
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

#: Central-interval levels α of the WIS: the 1−α intervals 98, 95, 90, 80, ..., 10 %.
WIS_ALPHAS = np.array([0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
#: Central intervals whose coverage is reported.
COVERAGE_LEVELS = (0.5, 0.8, 0.9)
SCORE_COLUMNS = ("wis", "crps", "cover50", "cover80", "cover90", "bias", "pit")


def _levels() -> FloatArray:
    return np.concatenate([WIS_ALPHAS / 2, [0.5], 1 - WIS_ALPHAS[::-1] / 2])


def _from_quantiles(obs: float, q: dict[float, float]) -> dict[str, float]:
    lower = np.array([q[a / 2] for a in WIS_ALPHAS])
    upper = np.array([q[1 - a / 2] for a in WIS_ALPHAS])
    wis = float(sr.weighted_interval_score(obs, q[0.5], lower, upper, WIS_ALPHAS))
    out = {"wis": wis, "bias": q[0.5] - obs}
    for level in COVERAGE_LEVELS:
        a = round(1 - level, 10)
        out[f"cover{round(100 * level)}"] = float(q[a / 2] <= obs <= q[1 - a / 2])
    return out


def score_samples(obs: float, samples: ArrayLike) -> dict[str, float]:
    """Scores of an ensemble forecast (quantiles by linear interpolation of the samples).

    The CRPS is the ensemble (quantile-decomposition) estimator of ``scoringrules``; the PIT is
    the share of samples ``<= obs`` (randomised between ``<`` and ``<=`` for ties).
    """
    x = np.sort(np.asarray(samples, dtype=float))
    levels = _levels()
    q = dict(zip((round(v, 10) for v in levels), np.quantile(x, levels), strict=True))
    out = _from_quantiles(obs, q)
    out["crps"] = float(sr.crps_ensemble(obs, x, sorted_ensemble=True))
    below = np.searchsorted(x, obs, side="left") / x.size
    upto = np.searchsorted(x, obs, side="right") / x.size
    out["pit"] = float(0.5 * (below + upto))
    return out


def score_normal(obs: float, mean: float, sd: float) -> dict[str, float]:
    """Scores of a normal forecast ``N(mean, sd²)``, with exact quantiles and the closed-form CRPS."""
    levels = _levels()
    q = dict(zip((round(v, 10) for v in levels), stats.norm.ppf(levels, mean, sd), strict=True))
    out = _from_quantiles(obs, q)
    out["crps"] = float(sr.crps_normal(obs, mean, sd))
    out["pit"] = float(stats.norm.cdf(obs, mean, sd))
    return out
