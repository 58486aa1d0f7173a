"""Distributions of uncertain inputs, as inverse CDFs applied to uniform draws.

Every sampler in :mod:`parley.experiments.samplers` produces points in the unit hypercube (Monte
Carlo, Latin hypercube, Sobol'/Saltelli, Morris trajectories); a :class:`Distribution` maps a column
of such points to parameter values through its quantile function (inverse-transform sampling,
Devroye 1986, *Non-Uniform Random Variate Generation*, ch. 2). This keeps stratification of LHS and
Sobol' designs intact and lets a Gaussian copula correlate any marginals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

#: Uniform draws are clipped to ``[EPS, 1 - EPS]`` before an unbounded quantile function is applied,
#: so that a Sobol' point at exactly 0 or 1 gives a finite (about ±6 sd) value instead of ±inf.
EPS = 1e-9


@dataclass(frozen=True)
class Distribution:
    """A univariate distribution given by its name, parameters and a frozen SciPy or ECDF quantile.

    Attributes
    ----------
    kind:
        One of ``uniform, normal, truncnormal, lognormal, beta, triangular, choice, empirical``.
    params:
        The parameters as written in the scenario (sorted ``(name, value)`` pairs).
    """

    kind: str
    params: tuple[tuple[str, Any], ...]

    def param(self, name: str) -> Any:
        """Return one parameter by name (``None`` if absent)."""
        return dict(self.params).get(name)

    @property
    def discrete(self) -> bool:
        """True for ``choice`` (and sample-valued ``empirical``) distributions."""
        return self.kind in ("choice", "empirical")

    def ppf(self, u: FloatArray) -> FloatArray:
        """Quantile function: map uniform draws ``u`` in [0, 1] to values (vectorised)."""
        u = np.clip(np.asarray(u, dtype=float), EPS, 1.0 - EPS)
        p = dict(self.params)
        k = self.kind
        if k == "uniform":
            return np.asarray(p["low"] + u * (p["high"] - p["low"]), dtype=float)
        if k == "normal":
            return np.asarray(stats.norm.ppf(u, loc=p["mean"], scale=p["sd"]), dtype=float)
        if k == "truncnormal":
            lo = -np.inf if p.get("low") is None else p["low"]
            hi = np.inf if p.get("high") is None else p["high"]
            a, b = (lo - p["mean"]) / p["sd"], (hi - p["mean"]) / p["sd"]
            out = stats.truncnorm.ppf(u, a, b, loc=p["mean"], scale=p["sd"])
            return np.clip(np.asarray(out, dtype=float), lo, hi)
        if k == "lognormal":
            return np.asarray(np.exp(stats.norm.ppf(u, loc=p["mu"], scale=p["sigma"])))
        if k == "beta":
            out = stats.beta.ppf(u, p["a"], p["b"])
            return np.asarray(p["low"] + out * (p["high"] - p["low"]), dtype=float)
        if k == "triangular":
            lo, mode, hi = p["low"], p["mode"], p["high"]
            c = (mode - lo) / (hi - lo)
            return np.asarray(stats.triang.ppf(u, c, loc=lo, scale=hi - lo), dtype=float)
        if k == "choice":
            values = np.asarray(p["values"], dtype=float)
            w = np.ones(len(values)) if p.get("weights") is None else np.asarray(p["weights"])
            cdf = np.cumsum(w) / np.sum(w)
            idx = np.searchsorted(cdf, u, side="left")
            return values[np.minimum(idx, len(values) - 1)]
        if k == "empirical":
            samples = np.sort(np.asarray(p["samples"], dtype=float))
            # Inverse ECDF (Hyndman & Fan 1996, definition 1): smallest x with F_n(x) >= u.
            idx = np.ceil(u * len(samples)).astype(int) - 1
            return samples[np.clip(idx, 0, len(samples) - 1)]
        raise ValueError(f"unknown distribution '{k}'")

    def median(self) -> float:
        """The distribution's median (the nominal value used by one-at-a-time analyses)."""
        return float(self.ppf(np.array([0.5]))[0])


def from_spec(spec: Any) -> Distribution:
    """Build a :class:`Distribution` from a validated spec of :mod:`parley.scenario.experiment_schema`
    (or a plain mapping with a ``dist`` key, e.g. ``{"dist": "uniform", "low": 0, "high": 1}``)."""
    if isinstance(spec, dict):
        from pydantic import TypeAdapter, ValidationError

        from parley.scenario.experiment_schema import DistributionSpec

        try:
            spec = TypeAdapter(DistributionSpec).validate_python(spec)
        except ValidationError as exc:
            raise ValueError(f"invalid distribution {spec}: {exc.errors()[0]['msg']}") from None
    data: dict[str, Any] = spec.model_dump()
    kind = str(data.pop("dist"))
    norm: list[tuple[str, Any]] = []
    for key, value in sorted(data.items()):
        if isinstance(value, list):
            value = tuple(float(v) for v in value)
        norm.append((key, value))
    return Distribution(kind=kind, params=tuple(norm))


def fixed(value: float) -> Distribution:
    """A point mass at ``value`` (an assumption that fixes an otherwise uncertain parameter)."""
    return Distribution(kind="choice", params=(("values", (float(value),)), ("weights", None)))
