"""Sampling designs in the unit hypercube, a Gaussian copula, and the map to parameter values.

Samplers return ``(n, d)`` arrays of points in ``[0, 1]^d``; :func:`to_values` turns them into
parameter values through each marginal's quantile function, after an optional Gaussian copula has
correlated groups of columns.

- Monte Carlo: independent uniforms from a :class:`numpy.random.Generator`.
- Latin hypercube: McKay, Beckman & Conover (1979), *Technometrics* 21(2), via ``scipy.stats.qmc``.
- Sobol' sequence: Sobol' (1967); scrambled (Owen 1998) via ``scipy.stats.qmc``.
- Saltelli: the ``A, B, AB_i`` design of Saltelli (2002) and Saltelli et al. (2010), *Comput. Phys.
  Commun.* 181, ``n (d + 2)`` rows (``n (2d + 2)`` with second-order terms), via SALib.
- Morris: ``r`` one-at-a-time trajectories on a ``p``-level grid (Morris 1991, *Technometrics*
  33(2); Campolongo et al. 2007), via SALib.
- Gaussian copula (Nelsen 2006, *An Introduction to Copulas*, §2.3): ``z = Φ⁻¹(u)``,
  ``z' = z Lᵀ`` with ``L Lᵀ = R``, ``u' = Φ(z')``. Spearman's rank correlation of the result is
  ``(6/π) asin(R_ij / 2)`` whatever the marginals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats
from scipy.stats import qmc

from parley.experiments.distributions import EPS, Distribution

FloatArray = NDArray[np.float64]
Seed = int | np.random.SeedSequence

#: Names of the space-filling designs accepted by :func:`unit_sample`.
METHODS = ("mc", "lhs", "sobol")


def _rng(seed: Seed) -> np.random.Generator:
    return np.random.default_rng(seed)


def _int_seed(seed: Seed) -> int:
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def unit_sample(
    method: Literal["mc", "lhs", "sobol"] | str, n: int, d: int, seed: Seed
) -> FloatArray:
    """Draw ``n`` points in ``[0, 1]^d`` with Monte Carlo, Latin hypercube or scrambled Sobol'."""
    if n < 1 or d < 0:
        raise ValueError(f"need n >= 1 and d >= 0, got n={n}, d={d}")
    if d == 0:
        return np.zeros((n, 0))
    rng = _rng(seed)
    if method == "mc":
        return rng.random((n, d))
    if method == "lhs":
        return np.asarray(qmc.LatinHypercube(d=d, rng=rng).random(n), dtype=float)
    if method == "sobol":
        sampler = qmc.Sobol(d=d, scramble=True, rng=rng)
        m = int(np.ceil(np.log2(n)))
        return np.asarray(sampler.random_base2(m)[:n], dtype=float)
    raise ValueError(f"unknown sampling method '{method}', expected one of {', '.join(METHODS)}")


def saltelli_sample(n: int, d: int, seed: Seed, *, calc_second_order: bool = False) -> FloatArray:
    """Saltelli's design for Sobol' indices in the unit cube (``n`` should be a power of 2)."""
    from SALib.sample import sobol as salib_sobol

    problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0.0, 1.0]] * d}
    out = salib_sobol.sample(
        problem, n, calc_second_order=calc_second_order, scramble=True, seed=_int_seed(seed)
    )
    return np.asarray(out, dtype=float)


def morris_sample(n_trajectories: int, d: int, seed: Seed, *, num_levels: int = 4) -> FloatArray:
    """Morris trajectories in the unit cube: ``n_trajectories (d + 1)`` rows."""
    from SALib.sample import morris as salib_morris

    problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0.0, 1.0]] * d}
    out = salib_morris.sample(problem, n_trajectories, num_levels=num_levels, seed=_int_seed(seed))
    return np.asarray(out, dtype=float)


def gaussian_copula(u: FloatArray, corr: FloatArray) -> FloatArray:
    """Correlate the columns of uniform draws ``u`` (n, k) with a Gaussian copula of matrix ``corr``."""
    z = stats.norm.ppf(np.clip(u, EPS, 1.0 - EPS))
    chol = np.linalg.cholesky(np.asarray(corr, dtype=float))
    return np.asarray(stats.norm.cdf(z @ chol.T), dtype=float)


def apply_copulas(u: FloatArray, groups: Sequence[tuple[Sequence[int], FloatArray]]) -> FloatArray:
    """Apply one Gaussian copula per group of column indices; other columns stay independent."""
    out = np.array(u, dtype=float, copy=True)
    for cols, corr in groups:
        idx = list(cols)
        out[:, idx] = gaussian_copula(out[:, idx], corr)
    return out


def to_values(u: FloatArray, dists: Sequence[Distribution]) -> FloatArray:
    """Map unit points ``u`` (n, d) to parameter values column by column via each quantile."""
    if u.shape[1] != len(dists):
        raise ValueError(f"u has {u.shape[1]} columns but {len(dists)} distributions were given")
    if not dists:
        return np.zeros_like(u)
    return np.column_stack([d.ppf(u[:, j]) for j, d in enumerate(dists)])


def rank_correlation(x: FloatArray) -> FloatArray:
    """Spearman rank-correlation matrix of the columns of ``x`` (for reports and checks)."""
    ranks = np.argsort(np.argsort(x, axis=0), axis=0).astype(float)
    return np.asarray(np.corrcoef(ranks, rowvar=False), dtype=float)
