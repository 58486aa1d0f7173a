"""Mechanism "learning": each side updates its belief from its own noisy signal of the battles.

Two-sided private information (Fearon 1995; Slantchev 2003; Smith & Stam 2004 with
side-specific signals; Filson & Werner 2002): side i observes each battle's outcome
independently with probability ``q_i`` (``war.beliefs.<side>.observation_share``) and misses the
rest (fog of war, censored reporting). Thinning keeps the update exactly conjugate: side i's
Beta(α_i, β_i) belief over θ gains its observed wins and losses,
``α_i += Bin(wins, q_i)``, ``β_i += Bin(losses, q_i)``, so each side stays unbiased but learns
at its own speed, and two sides that start apart (non-common priors) converge only as fast as
their own signals allow: the expected number of battles observed by side i after t battles is
``q_i·t``. ``q = 1`` for both reproduces the common signal. Stream: ``signals`` (binomial
draws for the runs that fought a battle this step).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.war.params import WarParams
from parley.war.state import WarState, per_side

Streams = dict[str, np.random.Generator]
FloatArray = NDArray[np.float64]


def observed(
    wins: FloatArray, losses: FloatArray, q: FloatArray, g: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """``(wins_seen, losses_seen)`` of shape ``(runs, 2)``: each battle seen with probability q."""
    w = np.broadcast_to(wins[:, None], q.shape).astype(np.int64)
    l_ = np.broadcast_to(losses[:, None], q.shape).astype(np.int64)
    return g.binomial(w, q).astype(float), g.binomial(l_, q).astype(float)


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """Update both sides' beliefs with what each observed of this step's battles."""
    learn = s.active & (np.asarray(p.beliefs.learning, dtype=float) > 0)
    idx = np.flatnonzero(learn & (s.battles > 0))  # binomial draws only where battles were seen
    q = np.ascontiguousarray(per_side(p.beliefs.observation_share, s.n)[idx])
    seen_w, seen_l = observed(s.wins[idx], s.battles[idx] - s.wins[idx], q, rng["signals"])
    s.alpha = s.alpha.copy()
    s.beta = s.beta.copy()
    s.alpha[idx] += seen_w
    s.beta[idx] += seen_l
