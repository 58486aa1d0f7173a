"""Per-donor switching shrunk towards the pool: hand-computed posteriors, an independent
marginal likelihood (scipy's beta-binomial), and properties of the shrinkage."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from parley.analysis.aid_pooling import S_MIN, PooledPrior, fit_prior, log_marginal, posterior


def test_posterior_by_hand() -> None:
    # prior mean 0.25, strength 8 -> Beta(2, 6); 3 switches in 4 months -> Beta(2 + 3, 6 + 1)
    law = posterior(PooledPrior(mean=0.25, strength=8.0, at_bound=""), 3, 4)
    assert (law.a, law.b) == pytest.approx((5.0, 7.0))
    assert law.mean == pytest.approx(5 / 12)
    # var = a b / ((a+b)^2 (a+b+1)) = 35 / (144 * 13)
    assert law.sd == pytest.approx(math.sqrt(35 / (144 * 13)))


def test_a_donor_without_months_in_the_regime_keeps_the_prior() -> None:
    prior = PooledPrior(mean=0.3, strength=10.0, at_bound="")
    law = posterior(prior, 0, 0)
    assert law.mean == pytest.approx(0.3)
    # Beta(3, 7): sd = sqrt(21 / (100 * 11))
    assert law.sd == pytest.approx(math.sqrt(21 / 1100))


def test_prior_mean_is_the_pooled_rate_and_alike_donors_pool_completely() -> None:
    # five donors, each 2 switches in 8 months: nothing tells them apart, the marginal likelihood
    # keeps rising towards complete pooling, so the strength sits on its upper bound sum(n) = 40
    prior = fit_prior([2] * 5, [8] * 5)
    assert prior.mean == pytest.approx((10 + 1) / (40 + 2))
    assert prior.strength == pytest.approx(40.0) and prior.at_bound == "upper"


def test_very_different_donors_are_not_pooled() -> None:
    # half the donors always switch, half never: the likelihood wants s -> 0, bounded at S_MIN
    prior = fit_prior([0, 20, 0, 20], [20, 20, 20, 20])
    assert prior.mean == pytest.approx(41 / 82)
    assert prior.strength == pytest.approx(S_MIN) and prior.at_bound == "lower"


def test_strength_maximises_scipys_beta_binomial_likelihood() -> None:
    k, n = np.array([0, 5, 2, 9, 4]), np.array([10, 10, 10, 12, 10])
    prior = fit_prior(k, n)
    m = (20 + 1) / (52 + 2)
    assert prior.mean == pytest.approx(m) and prior.at_bound == ""
    # brute force with an independent implementation on a fine grid of the strength
    grid = np.exp(np.linspace(0.0, math.log(52.0), 20001))
    ll = [stats.betabinom.logpmf(k, n, m * s, (1 - m) * s).sum() for s in grid]
    best = grid[int(np.argmax(ll))]
    assert prior.strength == pytest.approx(best, rel=0.01)
    # and the module's likelihood differs from scipy's by the binomial coefficients only
    const = sum(math.log(math.comb(int(a), int(b))) for a, b in zip(n, k, strict=True))
    for s in (1.5, 7.0, 30.0):
        ref = stats.betabinom.logpmf(k, n, m * s, (1 - m) * s).sum()
        assert log_marginal(k, n, m, s) + const == pytest.approx(ref)


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="0 <= k <= n"):
        fit_prior([3], [2])
    with pytest.raises(ValueError, match="0 <= k <= n"):
        posterior(PooledPrior(0.5, 2.0, ""), -1, 2)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=8),
    st.integers(0, 7),
)
def test_shrinkage_lies_between_the_donors_rate_and_the_prior(
    pairs: list[tuple[int, int]], pick: int
) -> None:
    k = [min(a, b) for a, b in pairs]
    n = [max(a, b) for a, b in pairs]
    prior = fit_prior(k, n)
    assert 0 < prior.mean < 1
    assert S_MIN - 1e-9 <= prior.strength <= max(sum(n), S_MIN) + 1e-9
    j = pick % len(k)
    law = posterior(prior, k[j], n[j])
    assert 0 < law.mean < 1 and law.sd > 0
    if n[j]:
        raw = k[j] / n[j]
        lo, hi = min(raw, prior.mean), max(raw, prior.mean)
        assert lo - 1e-12 <= law.mean <= hi + 1e-12
    else:
        assert law.mean == pytest.approx(prior.mean)
