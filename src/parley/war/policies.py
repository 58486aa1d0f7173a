"""The policies an analyst compares (war-model §8), as array functions of the run state.

- Timing: talks open from step T, and/or once A's occupied area falls below a line, and/or once a
  side's public support falls below a level (conditions combine with "and"; unset = no condition).
- Initiation (the "demandeur" effect): the initiating side pre-concedes ``concession`` of the stakes
  and signals lower resolve; the opponent updates its belief by ``signal_strength`` pseudo-battles in
  its own favour and so raises its demand (Fearon 1995 on signalling; war-model §8). Zero values
  reproduce a neutral start.
- Aid: a multiplier on every supporter's aid, optionally only while talks are open (conditionality),
  and cut when threatened if the threat response is ``cut_aid`` (in proportion to the threat's
  credibility — this is how nuclear threats act, on the supporters' costs).
- Guarantees are part of the settlement range (:mod:`parley.war.bargaining`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def talks_open(
    step: int,
    from_step: ArrayLike,
    area: ArrayLike,
    area_below: ArrayLike,
    support: FloatArray,
    support_below: ArrayLike,
) -> NDArray[np.bool_]:
    """Whether talks are open for each run at ``step`` (conditions that are NaN are ignored)."""
    ok = step >= np.asarray(from_step, dtype=float)
    ab = np.asarray(area_below, dtype=float)
    ok = ok & (np.isnan(ab) | (np.asarray(area, dtype=float) < ab))
    sb = np.asarray(support_below, dtype=float)
    low = (support < np.asarray(sb)[..., None]).any(axis=-1)
    return np.asarray(ok & (np.isnan(sb) | low))


def initiation_signal(
    alpha: FloatArray, beta: FloatArray, initiator: int, signal: ArrayLike, opened: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """The opponent of the initiator grows more optimistic by ``signal`` pseudo-battles.

    Beliefs are over θ = P(A wins): if B initiates, A's α rises; if A initiates, B's β rises.
    Applied in the runs where talks ``opened`` this step.
    """
    if initiator < 0:
        return alpha, beta
    s = np.asarray(signal, dtype=float) * np.asarray(opened, dtype=float)
    alpha, beta = alpha.copy(), beta.copy()
    if initiator == 1:
        alpha[..., 0] = alpha[..., 0] + s
    else:
        beta[..., 1] = beta[..., 1] + s
    return alpha, beta


def aid_factor(
    talks: ArrayLike,
    multiplier: ArrayLike,
    conditional: ArrayLike,
    credibility: ArrayLike,
    threat_active: ArrayLike,
    cut_on_threat: ArrayLike,
    cut: ArrayLike,
) -> FloatArray:
    """Multiplier on supporters' aid for each run from the aid and threat-response policies."""
    mult = np.asarray(multiplier, dtype=float)
    cond = np.asarray(conditional, dtype=float) > 0
    factor = np.where(cond & ~np.asarray(talks, dtype=bool), 1.0, mult)
    threat_cut = (
        np.asarray(cut_on_threat, dtype=float)
        * np.asarray(threat_active, dtype=float)
        * np.asarray(cut, dtype=float)
        * np.asarray(credibility, dtype=float)
    )
    return np.asarray(factor * np.clip(1.0 - threat_cut, 0.0, 1.0))
