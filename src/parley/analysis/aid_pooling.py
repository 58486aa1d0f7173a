"""Per-donor switching probabilities with partial pooling (empirical-Bayes Beta-binomial).

Each donor ``j`` has ``k_j`` switches out of ``n_j`` months spent in a regime (for example
high → low out of the months it was high). With nine months of data per donor, ``n_j`` is at
most eight: a donor's own rate is barely identified, so it is shrunk towards the pooled rate by
a hierarchical Beta-binomial model (Efron & Morris 1975, JASA 70:311, for the empirical-Bayes
shrinkage; Gelman et al., *Bayesian Data Analysis*, 3rd ed. 2013, §5.3 for the hierarchical
Beta-binomial):

    θ_j ~ Beta(m·s, (1 − m)·s),   k_j | θ_j ~ Binomial(n_j, θ_j).

**Empirical Bayes, not the full hierarchy.** The prior mean ``m`` is the pooled rate under a
uniform prior, ``(Σk + 1)/(Σn + 2)`` (the pooled fit's posterior mean, so it stays inside (0, 1)
when no donor ever switched). The prior strength ``s`` (a sample size: ``m·s`` prior switches in
``s`` prior months) maximises the Beta-binomial marginal likelihood of all donors' counts,

    L(s) = Π_j B(k_j + m·s, n_j − k_j + (1 − m)·s) / B(m·s, (1 − m)·s),

over a log grid on ``[S_MIN, Σn]``. The upper bound: the prior may carry at most the information
of all donors pooled (when the donors look alike the likelihood keeps rising towards complete
pooling, ``s → ∞``, and would otherwise give every donor the pooled rate with a spuriously small
sd); the lower bound ``S_MIN = 1``, a prior worth one month. The uncertainty of ``m`` and ``s``
themselves is not propagated (BDA3 §5.3 integrates it; with five donors the marginal likelihood
hardly pins ``s`` down, which is why it is bounded). Each donor's posterior is then conjugate:

    θ_j | k_j ~ Beta(m·s + k_j, (1 − m)·s + n_j − k_j),

whose mean ``(m·s + k_j)/(s + n_j)`` lies between the donor's own rate ``k_j/n_j`` and ``m``; a
donor that never spent a month in the regime keeps the prior.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import betaln

S_MIN = 1.0
GRID = 801


@dataclass(frozen=True)
class BetaLaw:
    """A Beta(a, b) law of a monthly switching probability, with its mean and sd."""

    a: float
    b: float

    @property
    def mean(self) -> float:
        """``a / (a + b)``."""
        return self.a / (self.a + self.b)

    @property
    def sd(self) -> float:
        """``sqrt(a·b / ((a + b)²·(a + b + 1)))``."""
        n = self.a + self.b
        return math.sqrt(self.a * self.b / (n * n * (n + 1)))


@dataclass(frozen=True)
class PooledPrior:
    """The fitted prior ``Beta(m·s, (1 − m)·s)`` and how it was found."""

    mean: float  # m
    strength: float  # s
    at_bound: str  # "", "lower" or "upper": s on a bound of [S_MIN, Σn]

    @property
    def law(self) -> BetaLaw:
        """The prior as a :class:`BetaLaw`."""
        return BetaLaw(self.mean * self.strength, (1 - self.mean) * self.strength)


def log_marginal(k: ArrayLike, n: ArrayLike, mean: float, strength: float) -> float:
    """Beta-binomial log marginal likelihood of the counts (binomial coefficients dropped)."""
    a, b = mean * strength, (1 - mean) * strength
    kk, nn = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    return float(np.sum(betaln(kk + a, nn - kk + b) - betaln(a, b)))


def fit_prior(k: ArrayLike, n: ArrayLike) -> PooledPrior:
    """Prior mean = pooled rate ``(Σk + 1)/(Σn + 2)``; strength by maximum marginal likelihood
    on a log grid over ``[S_MIN, max(Σn, S_MIN)]`` (module docstring; Efron & Morris 1975)."""
    kk, nn = np.asarray(k, dtype=int), np.asarray(n, dtype=int)
    if kk.shape != nn.shape or np.any(kk < 0) or np.any(kk > nn):
        raise ValueError("counts need 0 <= k <= n, one pair per donor")
    total_k, total_n = int(kk.sum()), int(nn.sum())
    mean = (total_k + 1) / (total_n + 2)
    upper = max(float(total_n), S_MIN)
    grid = np.exp(np.linspace(math.log(S_MIN), math.log(upper), GRID))
    a, b = mean * grid[:, None], (1 - mean) * grid[:, None]
    ll = np.sum(betaln(kk[None, :] + a, (nn - kk)[None, :] + b) - betaln(a, b), axis=1)
    best = int(np.argmax(ll))
    bound = "lower" if best == 0 else "upper" if best == GRID - 1 else ""
    return PooledPrior(mean=mean, strength=float(grid[best]), at_bound=bound)


def posterior(prior: PooledPrior, k: int, n: int) -> BetaLaw:
    """A donor's conjugate posterior ``Beta(m·s + k, (1 − m)·s + n − k)``."""
    if not 0 <= k <= n:
        raise ValueError("counts need 0 <= k <= n")
    law = prior.law
    return BetaLaw(law.a + k, law.b + n - k)
