"""The ``experiment`` section of a scenario: uncertain inputs, assumption sets and policies.

Owned by :mod:`parley.experiments`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ExperimentSpec(BaseModel):
    """Uncertainties, named assumption sets and policies (filled in by :mod:`parley.experiments`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
