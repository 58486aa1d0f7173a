"""Property tests: no input makes a loader do anything but return scenarios or raise ScenarioError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.scenario import Scenario, ScenarioError
from parley.scenario.front_params import RANGES, check_area_series, validate_front_params
from parley.scenario.importers.deu import load_deu
from parley.scenario.importers.eum_csv import load_eum_csv
from parley.scenario.importers.exchange import load_exchange
from parley.scenario.importers.ktab import load_ktab
from parley.scenario.limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_NODES,
    check_tree,
    json_depth,
    load_json,
    load_yaml,
)
from parley.scenario.load import load_native
from parley.war.front import FrontParams

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


# --- every other loader: mutations of a valid file and arbitrary text --------------------------

KTAB = "Bench,Random,2,1,\nActor,Description,Power,Pstn1,Sal1,\nA,x,10,20,50,\nB,y,20,90,50,\n"
EUM = "Stakeholder,Resources,Position,Salience\nA,80,25,50\nB,90,15,80\n"
EXCHANGE = (
    "'#A'\t'a'\t'a'\t''\n'#A'\t'b'\t'b'\t''\n'#P'\t'p'\t'p'\t'p'\n'#M'\t'p'\t0\n'#M'\t'p'\t100\n"
    "'#D'\t'a'\t'p'\t20\t0.5\t0.5\n'#D'\t'b'\t'p'\t80\t0.5\t0.5\n"
)
VALID = {
    "ktab": (load_ktab, KTAB, "fuzz.csv"),
    "eum": (load_eum_csv, EUM, "fuzz.csv"),
    "exchange": (load_exchange, EXCHANGE, "fuzz.csv"),
    "deu": (load_deu, HEADER + "1\t1\tCOD\tQMV\t1\t50\t1\t60\t1\t0\t55\n", "fuzz.tsv"),
}
numbers = st.sampled_from(["nan", "inf", "-inf", "1e308", "-1", "", "1e400", "x", "0", "9" * 30])


def _mutate(text: str, data: st.DataObject) -> str:
    """Replace, delete or insert a few characters or cells of a valid file."""
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["cell", "cut", "insert"]))
        k = data.draw(st.integers(0, max(0, len(text) - 1)))
        if op == "cell":
            cells = text.split(",") if "," in text else text.split("\t")
            j = data.draw(st.integers(0, len(cells) - 1))
            cells[j] = data.draw(numbers)
            text = ("," if "," in text else "\t").join(cells)
        elif op == "cut":
            text = text[:k] + text[k + data.draw(st.integers(1, 10)) :]
        else:
            text = text[:k] + data.draw(st.text(max_size=6)) + text[k:]
    return text


def _only_scenarios_or_error(fn: Any, text: str, file: str) -> None:
    try:
        out = fn(text, file)
    except ScenarioError:
        return
    assert all(isinstance(s, Scenario) for s in out)
    for sc in out:  # what is accepted is within the limits
        assert check_tree(sc.model_dump(mode="python")) is None


@pytest.mark.parametrize("fmt", sorted(VALID))
@FUZZ
@given(data=st.data())
def test_importers_on_mutated_files(fmt: str, data: st.DataObject) -> None:
    fn, text, file = VALID[fmt]
    _only_scenarios_or_error(fn, _mutate(text, data), file)


@pytest.mark.parametrize("fmt", ["ktab", "eum", "exchange"])
@FUZZ
@given(text=st.text(max_size=300))
def test_importers_on_arbitrary_text(fmt: str, text: str) -> None:
    fn, _, file = VALID[fmt]
    _only_scenarios_or_error(fn, text, file)


# --- the guarded YAML reader: anchors, aliases, nesting ---------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    levels=st.integers(1, 12),
    fan=st.integers(1, 12),
    depth=st.integers(0, 120),
)
def test_yaml_aliases_and_nesting_are_bounded(levels: int, fan: int, depth: int) -> None:
    lines = ['l0: &l0 ["x"]']
    for k in range(1, levels):
        lines.append(f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * fan)}]")
    lines.append("deep: " + "[" * depth + "]" * depth)
    text = "\n".join(lines) + "\n"
    # nodes once expanded, counted by hand: level 0 is a list and its string (2); level k is a
    # list of `fan` copies of level k-1; each level adds its key; the root mapping, the "deep" key
    # and its `depth` nested lists (or one null) complete the document
    size = 2
    total = 1 + 1 + size
    for _ in range(1, levels):
        size = 1 + fan * size
        total += 1 + size
    total += 1 + max(depth, 1)
    too_big = total > MAX_NODES or depth + 1 > MAX_DEPTH or (levels - 1) * fan > MAX_ALIASES
    try:
        data, _ = load_yaml(text, "f.yaml")
    except ScenarioError as exc:
        assert too_big, exc  # refused exactly when a limit is passed
        assert exc.file == "f.yaml"
        return
    assert not too_big and isinstance(data, dict)


def test_recursive_alias_and_duplicate_keys_are_refused() -> None:
    with pytest.raises(ScenarioError, match="recursive alias"):
        load_yaml("a: &a [*a]\n", "f.yaml")
    with pytest.raises(ScenarioError, match="duplicate key 'id'") as err:
        load_yaml("id: x\nname: y\nid: z\n", "f.yaml")
    assert err.value.line == 3


def test_json_depth_ignores_strings_and_counts_brackets() -> None:
    # hand counts: three levels; brackets inside strings and escaped quotes do not count
    assert json_depth('{"a": [{"b": "]]]"}]}') == 3
    assert json_depth('{"a": "\\"[[[[", "b": [1]}') == 2
    assert json_depth("[" * 100 + "]" * 100) == 100
    with pytest.raises(ScenarioError, match="nested deeper"):
        load_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "f.json")


# --- front-params and the front series ------------------------------------------------------

FRONT = json.loads(
    (Path(__file__).parents[2] / "src/parley/data/ukraine/front_fit_2022-11-08.json").read_text()
)
front_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.text(max_size=3),
    st.lists(st.floats(-10, 10), max_size=3),
    st.integers(-(10**20), 10**20),
)


@FUZZ
@given(
    drop=st.lists(st.sampled_from(sorted(FRONT["params"])), max_size=3),
    change=st.dictionaries(st.sampled_from(sorted(FRONT["params"])), front_values, max_size=3),
    meta=st.dictionaries(
        st.sampled_from(["last_value", "last_date", "p_manoeuvre_last", "theta", "theta_cov"]),
        front_values,
        max_size=2,
    ),
)
def test_front_params_validate_or_refuse(drop: list[str], change: dict, meta: dict) -> None:
    doc = json.loads(json.dumps(FRONT))
    for k in drop:
        doc["params"].pop(k, None)
    doc["params"].update(change)
    doc["metadata"].update(meta)
    try:
        out = validate_front_params(json.loads(json.dumps(doc)), "f.json")
    except ScenarioError as exc:
        assert exc.file == "f.json"
        return
    assert set(out["params"]) == set(RANGES)  # every parameter present, none defaulted silently
    FrontParams.from_dict(out)  # and the simulator accepts what passed


@FUZZ
@given(
    weights=st.lists(front_values, min_size=0, max_size=3),
    entry=st.dictionaries(
        st.sampled_from(["window_days", "first_day", "weight", "log_score", "params", "extra"]),
        front_values | st.booleans() | st.dates().map(str),
        max_size=3,
    ),
    last_date=st.sampled_from(["2022-11-07", "2022-11-01", "soon"]) | st.none(),
)
def test_front_mixture_validates_or_refuses(
    weights: list[Any], entry: dict, last_date: str | None
) -> None:
    # a window mixture (parley calibrate front --windows) with mutated weights, keys and end days
    top = {k: FRONT[k] for k in ("params", "stderr", "metadata")}
    mixture = []
    for k, w in enumerate(weights):
        comp = {"window_days": 60 * (k + 1), "first_day": "2022-06-01", "weight": w}
        comp.update(json.loads(json.dumps(top)))
        mixture.append(comp)
    if mixture:
        mixture[-1].update(entry)
        if last_date is not None:
            mixture[-1]["metadata"]["last_date"] = last_date
    doc = {**top, "mixture": mixture}
    try:
        out = validate_front_params(json.loads(json.dumps(doc)), "f.json")
    except ScenarioError as exc:
        assert exc.file == "f.json"
        return
    assert abs(sum(c["weight"] for c in out["mixture"]) - 1) <= 1e-3
    assert all(c["weight"] >= 0 for c in out["mixture"])
    days = {c["metadata"].get("last_date") for c in out["mixture"]}
    assert days == {out["metadata"].get("last_date")}


@FUZZ
@given(st.text(max_size=300))
def test_front_params_arbitrary_text(text: str) -> None:
    try:
        validate_front_params(load_json(text, "f.json"), "f.json")
    except ScenarioError:
        pass


@FUZZ
@given(
    rows=st.lists(
        st.tuples(st.dates().map(str) | st.text(max_size=4), numbers | st.floats().map(str)),
        max_size=8,
    )
)
def test_front_series_reads_or_refuses(tmp_path_factory: Any, rows: list) -> None:
    from parley.cli.calibrate import read_series  # noqa: PLC0415

    path = tmp_path_factory.mktemp("series") / "s.csv"
    path.write_text("date,km2\n" + "".join(f"{d},{v}\n" for d, v in rows), encoding="utf-8")
    try:
        series = read_series(path, "km2")
        check_area_series(series, path, "km2")
    except ScenarioError:
        return
    values = series.to_numpy()
    assert ((values >= 0) & (values <= 2e8) | (values != values)).all()
