"""Mechanism "battles": how many battles a step holds and how many A wins.

One battle definition serves learning and the war values: a battle lasts
``war.beliefs.battle_days`` (the unit in which Smith & Stam's expected duration D counts and the
cost per battle is charged).

- Discrete ("forts") form: a step of Δ days holds ``m = Δ/battle_days`` battles on average,
  ``⌊m⌋`` plus one more with probability ``m − ⌊m⌋`` (exactly m when m is whole); each is won
  by A with the contest probability θ (Tullock 1980; Hirshleifer 1989) and moves the front one
  fort (:func:`step`, before the front moves).
- Continuous form: a battle is a window of ``battle_days`` of the front; A wins it when the
  area it holds grew over the window (:func:`after_front`, after the front moves). With
  ``battle_days`` equal to the step, one battle a step, won when the area grew that step.

Stream: ``battles`` (one uniform per run and step).
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
    if p.front.form == "forts":
        s.battles = np.where(s.active, battle_count(mean, u), 0.0)
        s.wins = g.binomial(s.battles.astype(np.int64), s.theta).astype(float)


def after_front(s: WarState, p: WarParams, rng: Streams) -> None:
    """Continuous form: close the battle windows that ended this step (no random draws)."""
    if p.front.form == "forts":
        return
    length = per_run(p.beliefs.battle_days, s.n)
    clock = s.battle_clock + np.where(s.active, p.step_days, 0.0)
    ended = np.floor(clock / length + 1e-9)
    won = s.area > s.battle_start_area
    s.battles = np.where(s.active, ended, 0.0)
    s.wins = np.where(won, s.battles, 0.0)
    closed = ended > 0
    s.battle_start_area = np.where(closed, s.area, s.battle_start_area)
    s.battle_clock = clock - ended * length
