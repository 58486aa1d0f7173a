"""The commitment problem (Powell 2006, "War as a commitment problem", IO 60(1)).

A side whose power is expected to decline cannot be bought off today: the rising side cannot
commit not to exploit its future strength. With ``p`` the rising side's probability of winning,
per-period costs ``c`` and discount factor ``δ``, the declining side prefers war now iff

    δ·p_{t+1} − p_t > c_decl + δ·c_rise,

i.e. (as δ → 1) when the shift of power over one period exceeds the surplus war destroys. Here a
"period" is the projection horizon H (``war.commitment.horizon_months``): the expected shift is
computed by projecting both forces over H with the attrition law, current replenishment and
current aid (:func:`projected_theta`), and costs and discounting are taken over H. While the
inequality holds for either side, no settlement in the bargaining range is credible and the war
goes on; once the shift has happened, the condition fails and bargaining resumes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parley.war.attrition import attrition_step
from parley.war.bargaining import powell_war_rational
from parley.war.contest import contest_probability

FloatArray = NDArray[np.float64]


def commitment_blocks(
    theta_now: ArrayLike,
    theta_next: ArrayLike,
    cost: ArrayLike,
    delta: ArrayLike,
) -> NDArray[np.bool_]:
    """Whether the expected shift of θ (= P(A wins)) makes war rational for the declining side.

    ``cost`` is ``(..., 2)`` per period (A, B). A declines when θ falls: B's probability
    ``1 − θ`` rises; B declines when θ rises.
    """
    c = np.asarray(cost, dtype=float)
    th0, th1 = np.asarray(theta_now, dtype=float), np.asarray(theta_next, dtype=float)
    a_fights = powell_war_rational(1.0 - th0, 1.0 - th1, c[..., 0], c[..., 1], delta)
    b_fights = powell_war_rational(th0, th1, c[..., 1], c[..., 0], delta)
    return np.asarray(a_fights | b_fights)


def projected_theta(
    force: FloatArray,
    kill_rate: FloatArray,
    beta: ArrayLike,
    supply: FloatArray,
    days: ArrayLike,
    m: ArrayLike,
    form: str,
    phi: ArrayLike,
) -> FloatArray:
    """θ after ``days`` of expected attrition with replenishment and aid ``supply`` (per day).

    One RK4 step over the whole horizon per call (four sub-steps): the projection is an
    expectation, not a forecast of the path.
    """
    d = np.asarray(days, dtype=float)
    scale = d[..., None] if d.ndim else d
    f1, _ = attrition_step(force, kill_rate * scale, beta, supply * scale, 1.0, 4)
    return contest_probability(f1[..., 0], f1[..., 1], m, form, phi)
