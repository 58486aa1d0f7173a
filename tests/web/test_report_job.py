"""Progress of the dashboard's full analysis: by the stages the report pipeline announces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.scenario.load import load_scenario
from parley.web.report_job import _expected_stages, _Progress, _Stages

FLAGSHIP = Path(__file__).parents[2] / "scenarios" / "ukraine-2022-11.yaml"


def test_stages_of_the_flagship_and_their_share_of_the_bar(tmp_path: Path) -> None:
    stages = _expected_stages(load_scenario(FLAGSHIP))
    assert stages == ["stakeholder models", "war comparison", "forecast skill and reference class"]
    progress = _Progress(tmp_path / "progress.jsonl")
    tracker = _Stages(progress, stages, 50)
    for stage in stages:
        tracker.start(stage)
    tracker.stop()
    lines = [json.loads(x) for x in (tmp_path / "progress.jsonl").read_text().splitlines()]
    firsts = [x for x in lines if x[2].startswith("stage") and "so far" not in x[2]]
    # three stages share 0.1-0.8 of the bar: 0.1, 0.1 + 0.7/3, 0.1 + 1.4/3
    assert [x[1] for x in firsts] == pytest.approx([0.1, 0.1 + 0.7 / 3, 0.1 + 1.4 / 3])
    assert [x[2] for x in firsts] == [
        "stage 1 of 3: stakeholder models (50 Monte Carlo runs)",
        "stage 2 of 3: war comparison (50 Monte Carlo runs)",
        "stage 3 of 3: forecast skill and reference class (50 Monte Carlo runs)",
    ]


def test_a_scenario_without_war_has_one_stage() -> None:
    sc = load_scenario(Path(__file__).parent / "tiny.yaml")
    assert _expected_stages(sc) == ["stakeholder models"]
