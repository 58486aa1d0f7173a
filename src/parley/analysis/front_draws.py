"""Drawing front-process parameters from the law of a fit, one parameter set per run.

A fit of the front (:func:`parley.analysis.calibrate.fit_front`, the two-regime maximum-likelihood
fit, or :func:`parley.analysis.front_offensive.fit_front_offensive`, the offensive regimes' Laplace
approximation; Tierney & Kadane 1986) records its estimate ``theta`` and covariance
``theta_cov`` on an unconstrained scale (:mod:`parley.analysis.front_transforms`). The MLE's
covariance is the inverse observed information (a central-difference Hessian of the negative
log-likelihood). Drawing every run's parameters from that normal law propagates estimation
uncertainty into forecasts (``parley simulate``, ``parley backtest``, the window mixture).
"""

from __future__ import annotations

import numpy as np

from parley.analysis.front_transforms import (
    JumpRegimes,
    TwoRegimeSpec,
    to_natural_columns,
    two_regime_natural,
)
from parley.war.front import NUMERIC_FIELDS, FrontParams


def sample_front_params(params: FrontParams, runs: int, rng: np.random.Generator) -> FrontParams:
    """Draw one parameter set per run from the normal law of the fit on its unconstrained scale.

    The fitted values and their covariance (inverse observed information of the MLE, or the
    Laplace approximation of the posterior for the offensive fit) are kept in ``params.metadata``
    (``theta``, ``theta_cov``, ``theta_names`` and, for the offensive fit, ``theta_transforms``)
    on the unconstrained scale (log σ, log λ, logit p), so draws respect the parameter bounds.
    Propagating estimation uncertainty this way widens forecast intervals by what the data cannot
    pin down (e.g. the drift). Returns ``params`` unchanged if no covariance was recorded. Fields
    become arrays of shape ``(runs,)``.
    """
    meta = params.metadata
    if "theta_cov" not in meta or "theta_names" not in meta:
        return params
    names = tuple(str(n) for n in meta["theta_names"])
    theta = np.asarray(meta["theta"], dtype=float)
    cov = np.asarray(meta["theta_cov"], dtype=float)
    draws = rng.multivariate_normal(theta, cov, size=runs, method="eigh")
    base = {n: getattr(params, n) for n in NUMERIC_FIELDS}
    if "theta_transforms" in meta:
        kinds = [str(k) for k in meta["theta_transforms"]]
        base.update(to_natural_columns(draws, names, kinds))
    else:
        regimes: JumpRegimes = "both" if meta.get("jump_regimes") == "both" else "manoeuvre"
        spec = TwoRegimeSpec(names, regimes, float(meta.get("min_jump_sd", 0.0)))
        columns: dict[str, list[float]] = {n: [] for n in names}
        for row in draws:
            for n, v in two_regime_natural(row, spec).items():
                columns[n].append(v)
        base.update({n: np.asarray(v) for n, v in columns.items()})
    return FrontParams(**base, stderr=params.stderr, metadata=params.metadata)
