"""Mechanism "battles": how many battles a step holds and how many A wins.

One battle definition serves the front's discrete form, learning and the war values: a battle
lasts ``war.beliefs.battle_days`` (the unit in which Smith & Stam's expected duration D counts
and the cost per battle is charged). A step of Δ days holds ``Δ/battle_days`` battles on average:
``⌊m⌋`` plus one more with probability ``m − ⌊m⌋`` (so exactly m when m is whole). Each is won
by A with the contest probability θ (Tullock 1980; Hirshleifer 1989). Stream: ``battles``.
"""

from __future__ import annotations

import numpy as np

from parley.war.contest import contest_probability
from parley.war.params import WarParams
from parley.war.state import WarState, per_run

Streams = dict[str, np.random.Generator]


def battle_count(mean: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``⌊m⌋ + 1{u < m − ⌊m⌋}``: an integer count with mean m and the least possible spread."""
    whole = np.floor(mean)
    return np.asarray(whole + (u < mean - whole))


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """θ from the forces; battles and A's wins for every active run."""
    c = p.contest
    s.theta = contest_probability(s.force[:, 0], s.force[:, 1], c.m, c.form, c.phi)
    g = rng["battles"]
    u = g.random(s.n)
    mean = p.step_days / per_run(p.beliefs.battle_days, s.n)
    s.battles = np.where(s.active, battle_count(mean, u), 0.0)
    s.wins = g.binomial(s.battles.astype(np.int64), s.theta).astype(float)
