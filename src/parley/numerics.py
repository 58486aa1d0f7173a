"""Numerical routines shared across layers (the war model's durability fit and the analyses).

:func:`numerical_hessian` is the one finite-difference Hessian of parley: the observed
information of a maximum-likelihood fit is the Hessian of the negative log-likelihood at the
optimum (Pawitan 2001, *In All Likelihood*, ch. 8).
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
