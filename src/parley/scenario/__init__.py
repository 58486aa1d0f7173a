"""Scenario files: the validated objects, the importers and the batched array layout."""

from parley.scenario.arrays import StakeholderBatch, stakeholder_batch
from parley.scenario.errors import ScenarioError
from parley.scenario.load import FORMATS, load_scenario, load_scenarios, parse_scenario
from parley.scenario.schema import Actor, Issue, ScalePoint, Scenario, Stance

__all__ = [
    "FORMATS",
    "Actor",
    "Issue",
    "ScalePoint",
    "Scenario",
    "ScenarioError",
    "Stance",
    "StakeholderBatch",
    "load_scenario",
    "load_scenarios",
    "parse_scenario",
    "stakeholder_batch",
]
