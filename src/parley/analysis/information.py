"""The observed information of a fit: numerical Hessian and its (partial) inverse.

Standard errors of a maximum-likelihood estimate, and the covariance of a Laplace approximation of
a posterior, are the inverse of the Hessian of the negative log-likelihood (or log posterior) at
its optimum (Pawitan 2001, *In All Likelihood*, ch. 8; Tierney & Kadane 1986).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def numerical_hessian(fun: object, x: FloatArray, rel_step: float = 1e-4) -> FloatArray:
    """Central-difference Hessian of a scalar function ``fun(x)`` (observed information)."""
    f = fun  # typed as object to accept any callable
    assert callable(f)
    k = x.size
    h = rel_step * np.maximum(1.0, np.abs(x))
    hess = np.empty((k, k))
    f0 = float(f(x))
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        hess[i, i] = (float(f(x + ei)) - 2 * f0 + float(f(x - ei))) / h[i] ** 2
        for j in range(i + 1, k):
            ej = np.zeros(k)
            ej[j] = h[j]
            val = (
                float(f(x + ei + ej))
                - float(f(x + ei - ej))
                - float(f(x - ei + ej))
                + float(f(x - ei - ej))
            ) / (4 * h[i] * h[j])
            hess[i, j] = hess[j, i] = val
    return hess


def curved_part_inverse(hess: FloatArray, rel_tol: float = 1e-8) -> FloatArray:
    """Inverse of the observed information on its positive-curvature directions only.

    When the Hessian is not positive definite (a parameter the data cannot identify, such as jump
    sizes before any break-through), directions with curvature ``<= rel_tol·max`` are held at the
    estimate and the rest keep their asymptotic covariance (a spectral pseudo-inverse), so
    :func:`sample_front_params` still propagates what the data do pin down. Reported standard
    errors are unchanged (NaN where the information matrix cannot be inverted).
    """
    if not np.all(np.isfinite(hess)):
        return np.zeros_like(hess)
    sym = 0.5 * (hess + hess.T)
    vals, vecs = np.linalg.eigh(sym)
    keep = vals > rel_tol * max(float(vals.max()), 0.0)
    if not keep.any():
        return np.zeros_like(hess)
    v = vecs[:, keep]
    return np.asarray((v / vals[keep]) @ v.T)
