"""The war simulator's mechanisms, one module each, run in this order every step.

Each module exposes ``step(state, params, streams)``: it advances the whole batch of runs
(:class:`parley.war.state.WarState`) in place, draws only from its own registered random streams
(:mod:`parley.war.streams`), and changes only active runs. Adding a mechanism = its module here
(and a place in :data:`ORDER`), its schema section, its stream appended to
:data:`parley.war.streams.STREAMS`, its tests and its section in ``docs/war-model.md``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from parley.war.mechanisms import (
    battles,
    breaking,
    escalation,
    forces,
    frontline,
    learning,
    negotiation,
    politics,
    supporters,
)
from parley.war.params import WarParams
from parley.war.state import WarState

__all__ = ["ORDER", "Step"]

Step = Callable[[WarState, WarParams, dict[str, np.random.Generator]], None]

#: (name, step function) in the order they run within one step.
ORDER: tuple[tuple[str, Step], ...] = (
    ("negotiation", negotiation.step),
    ("battles", battles.step),
    ("supporters", supporters.step),
    ("forces", forces.step),
    ("front", frontline.step),
    ("battle_windows", battles.after_front),
    ("learning", learning.step),
    ("politics", politics.step),
    ("escalation", escalation.step),
    ("breaking", breaking.step),
)
