"""The ``war`` section of a scenario: parameters of the bargaining-while-fighting simulator.

Owned by the war simulator (:mod:`parley.war`); see ``docs/war-model.md``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class WarSpec(BaseModel):
    """Parameters of the bargaining-while-fighting model (filled in by :mod:`parley.war`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
