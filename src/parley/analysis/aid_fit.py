"""Donors' aid regimes and their common factor, fitted to the Kiel tracker (a fit to print).

The shipped Kiel Ukraine Support Tracker file (Trebesch et al., Kiel Working Paper 2218) holds
monthly allocations in EUR bn per donor, February to October 2022 — nine months. What that can
and cannot identify decides the model:

- **Regimes.** A donor-month is *high* when the allocation is at least ``threshold`` (default
  one half) of the donor's mean monthly allocation over the window, else *low*. The monthly
  switching probabilities high → low and low → high, pooled over donors (transition counts) with
  a uniform Beta(1, 1) prior, give the pooled posterior mean and sd (the Markov-switching aid of
  war-model §6, monthly); each donor's own probabilities are its counts shrunk towards the pooled
  rate by an empirical-Bayes Beta-binomial prior (:mod:`parley.analysis.aid_pooling`).
- **Levels.** The mean monthly allocation of each donor in each regime (EUR bn/month) with the
  sd and 90 % interval of a bootstrap over the regime's months (the engine's
  ``aid_high_bn_per_year``/``aid_low_bn_per_year`` are twelve times these).
- **Common factor.** Monthly log allocations ``log(a + 0.01)`` are standardised per donor; the
  common factor of a month is the mean of the donors' standardised values, and the mean pairwise
  correlation between donors ``ρ̄`` is the squared loading of a one-factor model with equal
  loadings (Lawley & Maxwell 1971). ``ρ̄ > 0``: donors move together (a political common shock).
- **Substitution.** The correlation between each donor's log allocation and the summed allocation
  of all other donors in the same month; a negative value means the others give more when this
  donor gives less.

Intervals are from a bootstrap over months (nine months: wide, by design). The engine helper owns
the aid mechanism that would consume these numbers (``docs/calibration.md``, "Aid").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.analysis.aid_pooling import BetaLaw, PooledPrior, fit_prior, posterior
from parley.scenario.errors import ScenarioError

FloatArray = NDArray[np.float64]
MAIN_DONORS = ("USA", "EU", "GBR", "DEU")
OFFSET_BN = 0.01


@dataclass(frozen=True)
class DonorAid:
    """One donor's switching posteriors and regime levels (EUR bn/month)."""

    counts: tuple[int, int, int, int]  # high->low, months high, low->high, months low (t < T)
    high_to_low: BetaLaw
    low_to_high: BetaLaw
    high_bn_per_month: tuple[float, float, float, float]  # mean, bootstrap sd, 5 %, 95 %
    low_bn_per_month: tuple[float, float, float, float]
    months_high: int  # months in the high regime, all T months
    last_high: bool  # regime of the last month used


@dataclass(frozen=True)
class AidFit:
    """Fitted aid-regime parameters with their uncertainty."""

    months: tuple[str, ...]
    donors: tuple[str, ...]
    p_high_to_low: tuple[float, float]  # posterior mean, sd (per month)
    p_low_to_high: tuple[float, float]
    mean_correlation: tuple[float, float, float]  # estimate, bootstrap 5 %, 95 %
    substitution: dict[str, tuple[float, float, float]]  # donor -> corr with the others' sum
    mean_bn_per_month: dict[str, float]
    prior_high_to_low: PooledPrior | None = None
    prior_low_to_high: PooledPrior | None = None
    per_donor: dict[str, DonorAid] | None = None
    supporters: dict[str, str] | None = None  # scenario supporter actor -> donor (--map)

    def lines(self) -> list[str]:
        """Human-readable lines of the fit."""
        out = [f"aid {self.months[0]} .. {self.months[-1]}, donors {', '.join(self.donors)}"]
        for name, (m, s) in (("p_high_to_low", self.p_high_to_low),
                             ("p_low_to_high", self.p_low_to_high)):  # fmt: skip
            out.append(f"{name:<26} {m:8.3f} (sd {s:.3f}) per month")
        r, lo, hi = self.mean_correlation
        out.append(f"{'common factor: mean corr':<26} {r:8.3f} (90 % {lo:.2f} .. {hi:.2f})")
        for d, (c, lo, hi) in self.substitution.items():
            out.append(f"substitution {d:<13} {c:8.3f} (90 % {lo:.2f} .. {hi:.2f})")
        for d, v in self.mean_bn_per_month.items():
            out.append(f"mean allocation {d:<10} {v:8.3f} EUR bn/month")
        return out + self._donor_lines()

    def _donor_lines(self) -> list[str]:
        if not (self.per_donor and self.prior_high_to_low and self.prior_low_to_high):
            return []
        out = []
        for name, pr in (("high->low", self.prior_high_to_low),
                         ("low->high", self.prior_low_to_high)):  # fmt: skip
            bound = f", strength on its {pr.at_bound} bound" if pr.at_bound else ""
            out.append(
                f"prior {name}: Beta mean {pr.mean:.3f}, strength {pr.strength:.1f} months "
                f"(sd {pr.law.sd:.3f}{bound})"
            )
        out.append(
            f"{'donor':<8} {'H->L':>6}/{'n':<2} {'P(H->L)':>13} {'L->H':>5}/{'n':<2} "
            f"{'P(L->H)':>13}  {'high EUR bn/mo (90 %)':>24}  {'low EUR bn/mo (90 %)':>22}"
        )
        for d, a in self.per_donor.items():
            hl, nh, lh, nl = a.counts
            h, lo = a.high_bn_per_month, a.low_bn_per_month
            out.append(
                f"{d:<8} {hl:>6}/{nh:<2} {a.high_to_low.mean:6.3f} ± {a.high_to_low.sd:.3f} "
                f"{lh:>5}/{nl:<2} {a.low_to_high.mean:6.3f} ± {a.low_to_high.sd:.3f}  "
                f"{h[0]:7.3f} ({h[2]:.2f} .. {h[3]:.2f})  {lo[0]:7.3f} ({lo[2]:.2f} .. {lo[3]:.2f})"
            )
        return out


def monthly_matrix(
    kiel: pd.DataFrame,
    donors: Sequence[str] = MAIN_DONORS,
    until: str | None = None,
    since: str | None = "2022-02",
) -> pd.DataFrame:
    """Months × donors of ``total`` allocations (EUR bn); absent donor-months are 0; every other
    donor is summed into ``others``. ``since``/``until`` are ``YYYY-MM`` (inclusive; the default
    start is the month of the invasion)."""
    need = {"iso", "year", "month", "total"}
    if not need <= set(kiel.columns):
        raise ScenarioError(f"needs columns {', '.join(sorted(need))}", field="columns")
    k = kiel.assign(
        key=[f"{int(y):04d}-{int(m):02d}" for y, m in zip(kiel.year, kiel.month, strict=True)]
    )
    if until is not None:
        k = k[k["key"] <= until]
    if since is not None:
        k = k[k["key"] >= since]
    k = k.assign(donor=k["iso"].where(k["iso"].isin(list(donors)), "others"))
    mat = k.pivot_table(index="key", columns="donor", values="total", aggfunc="sum", fill_value=0)
    cols = [d for d in (*donors, "others") if d in mat.columns]
    if len(mat) < 4 or len(cols) < 2:
        raise ScenarioError(f"need at least 4 months and 2 donors, got {len(mat)} and {len(cols)}")
    return mat[cols].astype(float)


def regimes(mat: FloatArray, threshold: float) -> NDArray[np.bool_]:
    """Months × donors: high when the allocation is at least ``threshold`` × the donor's mean."""
    return np.asarray(mat >= threshold * mat.mean(axis=0, keepdims=True))


def transition_counts(high: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per donor (rows): high→low switches, months high, low→high switches, months low, each
    counted over the months that have a next month."""
    prev, nxt = high[:-1], high[1:]
    return np.stack(
        [np.sum(prev & ~nxt, 0), np.sum(prev, 0), np.sum(~prev & nxt, 0), np.sum(~prev, 0)], 1
    ).astype(np.int64)


def _level(x: FloatArray, rng: np.random.Generator, boot: int) -> tuple[float, float, float, float]:
    """Mean of ``x`` with the sd and 5 %/95 % quantiles of its bootstrap (NaN if ``x`` is empty)."""
    if x.size == 0:
        return math.nan, math.nan, math.nan, math.nan
    means = x[rng.integers(0, x.size, (boot, x.size))].mean(axis=1)
    q = np.quantile(means, [0.05, 0.95])
    return float(x.mean()), float(means.std()), float(q[0]), float(q[1])


def per_donor(
    mat: FloatArray, donors: Sequence[str], threshold: float, rng: np.random.Generator, boot: int
) -> tuple[PooledPrior, PooledPrior, dict[str, DonorAid]]:
    """Each donor's shrunk switching posteriors and its regime levels (module docstring)."""
    high = regimes(mat, threshold)
    c = transition_counts(high)
    p_hl, p_lh = fit_prior(c[:, 0], c[:, 1]), fit_prior(c[:, 2], c[:, 3])
    out = {}
    for j, d in enumerate(donors):
        out[d] = DonorAid(
            counts=(int(c[j, 0]), int(c[j, 1]), int(c[j, 2]), int(c[j, 3])),
            high_to_low=posterior(p_hl, int(c[j, 0]), int(c[j, 1])),
            low_to_high=posterior(p_lh, int(c[j, 2]), int(c[j, 3])),
            high_bn_per_month=_level(mat[high[:, j], j], rng, boot),
            low_bn_per_month=_level(mat[~high[:, j], j], rng, boot),
            months_high=int(high[:, j].sum()),
            last_high=bool(high[-1, j]),
        )
    return p_hl, p_lh, out


def _beta(k: int, n: int) -> tuple[float, float]:
    a, b = 1 + k, 1 + n - k
    return a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))


def _correlations(logs: FloatArray) -> tuple[float, FloatArray]:
    """Mean pairwise correlation (NaN pairs, from a donor that never varies, left out)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.atleast_2d(np.asarray(np.corrcoef(logs.T), dtype=float))
    pairs = c[np.triu_indices_from(c, 1)]
    pairs = pairs[np.isfinite(pairs)]
    return (float(pairs.mean()) if pairs.size else math.nan), c


def _substitution(mat: FloatArray) -> FloatArray:
    out = np.empty(mat.shape[1])
    for j in range(mat.shape[1]):
        others = mat.sum(axis=1) - mat[:, j]
        with np.errstate(divide="ignore", invalid="ignore"):  # NaN for a donor that never varies
            out[j] = np.corrcoef(np.log(mat[:, j] + OFFSET_BN), np.log(others + OFFSET_BN))[0, 1]
    return out


def fit_aid(
    mat: pd.DataFrame, *, threshold: float = 0.5, boot: int = 2000, seed: int = 0
) -> AidFit:
    """Fit the regimes, the common factor and substitution to :func:`monthly_matrix` output."""
    x = mat.to_numpy(dtype=float)
    hl, n_high, lh, n_low = (int(v) for v in transition_counts(regimes(x, threshold)).sum(0))
    logs = np.log(x + OFFSET_BN)
    rbar, _ = _correlations(logs)
    subs = _substitution(x)
    rng = np.random.default_rng(seed)
    r_boot, s_boot = [], []
    for _ in range(boot):
        rows = rng.integers(0, x.shape[0], x.shape[0])
        rest = x[rows].sum(axis=1, keepdims=True) - x[rows]  # each donor's others' sum
        if np.any(np.std(logs[rows], axis=0) == 0) or np.any(np.ptp(rest, axis=0) < 1e-9):
            continue  # a resample without variation in some donor has no correlation
        r_boot.append(_correlations(logs[rows])[0])
        s_boot.append(_substitution(x[rows]))
    if r_boot:
        rq = np.quantile(r_boot, [0.05, 0.95])
        sq = np.quantile(np.array(s_boot), [0.05, 0.95], axis=0)
    else:  # some donor never varies: no interval
        rq, sq = np.full(2, np.nan), np.full((2, x.shape[1]), np.nan)
    donors = tuple(str(c) for c in mat.columns)
    prior_hl, prior_lh, donor_fits = per_donor(x, donors, threshold, rng, max(boot, 1))
    return AidFit(
        months=tuple(str(i) for i in mat.index),
        donors=donors,
        p_high_to_low=_beta(hl, n_high),
        p_low_to_high=_beta(lh, n_low),
        mean_correlation=(rbar, float(rq[0]), float(rq[1])),
        substitution={
            d: (float(subs[j]), float(sq[0, j]), float(sq[1, j])) for j, d in enumerate(donors)
        },  # fmt: skip
        mean_bn_per_month={d: float(v) for d, v in zip(donors, x.mean(axis=0), strict=True)},
        prior_high_to_low=prior_hl,
        prior_low_to_high=prior_lh,
        per_donor=donor_fits,
    )


def supporter_map(text: str, donors: Sequence[str]) -> dict[str, str]:
    """``"ACTOR=DONOR,..."`` → ``{actor: donor}`` (``calibrate aid --map``); each donor must be
    one of the fit's ``donors`` (``others`` is the sum of every donor not fitted on its own)."""
    out: dict[str, str] = {}
    for pair in (p.strip() for p in text.split(",") if p.strip()):
        actor, sep, donor = (x.strip() for x in pair.partition("="))
        if not sep or not actor or not donor:
            raise ScenarioError(f"expected SUPPORTER=DONOR, got '{pair}'", field="--map")
        if donor not in donors:
            raise ScenarioError(
                f"donor '{donor}' is not fitted (donors: {', '.join(donors)})", field="--map"
            )
        if actor in out:
            raise ScenarioError(f"supporter '{actor}' mapped twice", field="--map")
        out[actor] = donor
    if not out:
        raise ScenarioError("expected SUPPORTER=DONOR pairs", field="--map")
    return out
