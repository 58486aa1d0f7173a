"""The generalised Nash bargaining solution with a disagreement point.

Nash (1950), "The bargaining problem", Econometrica 18(2); the asymmetric (generalised) form of
Kalai (1977) weights each actor's utility gain by its bargaining power. On each issue, actor i has the
quadratic spatial utility ``u_i(x) = -s_i (x - p_i)^2`` (x and p_i on the unit-normalised scale,
s_i its salience) and bargaining power ``c_i`` (capability). The solution maximises

    sum_i c_i * log(u_i(x) - u_i(q) + kappa)

where q is the disagreement point (the issue's reference point / status quo) and ``kappa >= 0`` is
the extra loss every actor suffers if talks fail on top of being left at q (a "cost of no deal",
in utility units of the unit scale; the default 1 makes failure as costly as the largest spatial
loss a fully salient actor can suffer on the scale). With ``kappa = 0`` disagreement means exactly the status quo;
as ``kappa`` grows, or where no reference point is known, the solution tends to the capability x
salience weighted mean of positions: Achen (2006), "Institutional realism and bargaining models",
in *The European Union Decides*. This is the "NBS" of Stokman's exchange-model tradition
(positions 0 and 100, saliences 10 and 60, equal power give 85 5/7).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.negotiation._weights import present
from parley.negotiation.compromise import weighted_mean
from parley.negotiation.registry import ModelResult
from parley.scenario.arrays import StakeholderBatch


def nash_bargaining(
    position: NDArray[np.float64],
    salience: NDArray[np.float64],
    power: NDArray[np.float64],
    disagreement: NDArray[np.float64],
    kappa: float = 1.0,
    iterations: int = 80,
) -> NDArray[np.float64]:
    """Generalised NBS on unit-scaled issues, batched.

    Parameters
    ----------
    position, salience, power:
        ``(batch, actors, issues)`` arrays; positions in [0, 1]; NaN positions or zero
        salience/power mean the actor does not take part in that issue.
    disagreement:
        ``(batch, issues)`` disagreement point q in [0, 1]. NaN means no known status quo: the
        remote-disagreement limit (the weighted mean) is returned there.
    kappa:
        Cost of no agreement beyond the status quo (utility units on the unit scale), >= 0.

    Returns
    -------
    ``(batch, issues)`` solution in [0, 1]; NaN where no actor takes part.
    """
    if kappa < 0:
        raise ValueError("kappa must be >= 0")
    active = ~np.isnan(position) & (salience > 0) & (power > 0)
    p = np.where(active, position, 0.0)
    s = np.where(active, salience, 0.0)
    c = np.where(active, power, 0.0)
    total = (c * s).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (c * s * p).sum(axis=1) / total
    q = disagreement[:, None, :]
    # feasible set: every active actor strictly better off than at disagreement
    with np.errstate(invalid="ignore", divide="ignore"):
        radius = np.sqrt((q - p) ** 2 + np.where(s > 0, kappa / s, np.inf))
    lo = np.max(np.where(active, p - radius, -np.inf), axis=1)
    hi = np.min(np.where(active, p + radius, np.inf), axis=1)
    lo = np.clip(lo, 0.0, 1.0)
    hi = np.clip(hi, 0.0, 1.0)
    q2 = disagreement

    def slope(x: NDArray[np.float64]) -> NDArray[np.float64]:
        xe = x[:, None, :]
        gain = s * ((q - p) ** 2 - (xe - p) ** 2) + kappa
        with np.errstate(invalid="ignore", divide="ignore"):
            term = np.where(active, c * (-2.0 * s * (xe - p)) / gain, 0.0)
        out: NDArray[np.float64] = term.sum(axis=1)
        return out

    # The objective is concave on the feasible interval, so its slope decreases: bisect on it.
    a, b = lo.copy(), hi.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(iterations):
            mid = 0.5 * (a + b)
            pos_slope = slope(mid) > 0
            a = np.where(pos_slope, mid, a)
            b = np.where(pos_slope, b, mid)
    x = 0.5 * (a + b)
    # kappa == 0 with actors on both sides of q: the feasible set shrinks to q itself
    x = np.where(hi - lo <= 1e-12, np.clip(q2, lo, hi), x)
    x = np.where(np.isnan(q2), mean, x)
    return np.where(total > 0, x, np.nan)


def nash_bargaining_model(batch: StakeholderBatch, kappa: float = 1.0) -> ModelResult:
    """Generalised Nash bargaining solution with the reference point as disagreement point.

    Issues without a reference point get the remote-disagreement limit (the compromise model).
    """
    span = batch.scale_max - batch.scale_min
    unit = batch.normalised_position()
    q = (batch.reference - batch.scale_min) / span
    mask = present(batch)
    power = np.where(mask, batch.capability[:, :, None], 0.0)
    sal = np.where(mask, batch.salience, 0.0)
    x = nash_bargaining(np.where(mask, unit, np.nan), sal, power, q, kappa=kappa)
    outcome = batch.to_scale(x)
    # where no reference point is known the closed form is exact; use it on the original scale
    outcome = np.where(np.isnan(batch.reference), weighted_mean(batch), outcome)
    return ModelResult(outcome=outcome)
