"""Property tests: no input makes a loader do anything but return scenarios or raise ScenarioError."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.scenario import Scenario, ScenarioError
from parley.scenario.importers.deu import load_deu
from parley.scenario.load import load_native

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
)
stance = st.fixed_dictionaries(
    {"position": scalars | st.floats(0, 100), "salience": scalars | st.floats(0, 1)}
)
actor = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c", ""]),
        "capability": scalars | st.floats(0, 10),
        "positions": st.dictionaries(st.sampled_from(["i", "j", "k"]), stance, max_size=3),
    }
)
issue = st.fixed_dictionaries(
    {"id": st.sampled_from(["i", "j", "k"])},
    optional={
        "scale_min": scalars,
        "scale_max": scalars | st.floats(50, 200),
        "reference_point": scalars,
        "outcome": scalars,
    },
)
documents = st.fixed_dictionaries(
    {"id": st.text(max_size=5)},
    optional={
        "issues": st.lists(issue, max_size=3),
        "actors": st.lists(actor, max_size=4),
        "extra": scalars,
    },
)


def _check(text: str, file: str) -> None:
    try:
        out = load_native(text, file)
    except ScenarioError as exc:
        assert exc.file == file
        return
    assert len(out) == 1 and isinstance(out[0], Scenario)


@FUZZ
@given(documents)
def test_structured_yaml_documents(doc: dict) -> None:
    _check(yaml.safe_dump(doc), "fuzz.yaml")


@FUZZ
@given(documents)
def test_structured_json_documents(doc: dict) -> None:
    _check(json.dumps(doc), "fuzz.json")


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_as_yaml(text: str) -> None:
    _check(text, "fuzz.yaml")


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_as_json(text: str) -> None:
    _check(text, "fuzz.json")


HEADER = '"prnr"\t"isnr"\t"proc"\t"counvte"\t"intro"\t"pcom"\t"scom"\t"pde"\t"sde"\t"rp"\t"out"\n'
cells = st.one_of(st.just(""), st.integers(-10, 120).map(str), st.text(max_size=4))


@FUZZ
@given(st.lists(st.lists(cells, min_size=0, max_size=12), max_size=5))
def test_deu_rows(rows: list[list[str]]) -> None:
    text = HEADER + "\n".join("\t".join(r) for r in rows)
    try:
        out = load_deu(text, "fuzz.tsv")
    except ScenarioError as exc:
        assert exc.file == "fuzz.tsv"
        return
    assert all(isinstance(s, Scenario) for s in out)


@FUZZ
@given(st.text(max_size=400))
def test_deu_arbitrary_text(text: str) -> None:
    try:
        load_deu(text, "fuzz.tsv")
    except ScenarioError:
        pass
