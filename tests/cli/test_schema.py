"""The JSON Schema in docs/ is the one the models generate, and it accepts the shipped examples."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from parley.cli.schema import scenario_json_schema

ROOT = Path(__file__).parents[2]


def test_docs_schema_is_current() -> None:
    written = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    assert written == json.loads(json.dumps(scenario_json_schema())), (
        "docs/scenario.schema.json is stale: run `parley schema --out docs/scenario.schema.json`"
    )


def test_schema_requires_the_core_fields() -> None:
    schema = scenario_json_schema()
    assert {"id", "issues", "actors"} <= set(schema["required"])
    stance = schema["$defs"]["Stance"]["properties"]["salience"]
    assert stance["minimum"] == 0.0 and stance["maximum"] == 1.0


def test_example_is_valid_under_the_schema() -> None:
    import jsonschema

    data = yaml.safe_load((ROOT / "tests" / "data" / "ec_minimal.yaml").read_text())
    jsonschema.validate(data, scenario_json_schema())
