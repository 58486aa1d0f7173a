"""The observed information of a fit: numerical Hessian and its (partial) inverse.

Standard errors of a maximum-likelihood estimate, and the covariance of a Laplace approximation of
a posterior, are the inverse of the Hessian of the negative log-likelihood (or log posterior) at
its optimum (Pawitan 2001, *In All Likelihood*, ch. 8; Tierney & Kadane 1986).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.numerics import numerical_hessian

__all__ = ["curved_part_inverse", "numerical_hessian"]

FloatArray = NDArray[np.float64]


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
