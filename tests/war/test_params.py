"""The scenario's war section: invalid combinations are located ScenarioErrors; overrides compile."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.war.params import compile_war

DATA = Path(__file__).parents[1] / "data" / "war_minimal.yaml"


def _doc() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DATA.read_text())
    return data


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    node: Any = doc
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    node[parts[-1]] = value


def _error(tmp_path: Path, changes: dict[str, Any]) -> ScenarioError:
    doc = copy.deepcopy(_doc())
    for path, value in changes.items():
        _set(doc, path, value)
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(doc, sort_keys=False))
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    return info.value


BAD: list[tuple[dict[str, Any], str]] = [
    ({"war.sides.B": "north"}, "must be different"),
    ({"war.sides.A": "nobody"}, "unknown actor"),
    ({"war.supporters.0.actor": "south"}, "is a belligerent"),
    ({"war.settlement.territory_issue": "oceans"}, "unknown issue"),
    ({"war.region.initial_area_km2": 150000}, "strictly inside"),
    ({"war.region.area_max_km2": -5}, "must exceed"),
    ({"war.region.red_line_km2": 200000}, "red_line"),
    ({"war.front.p_to_manoeuvre_per_day": 0.7, "war.front.p_to_positional_per_day": 0.6}, "<= 1"),
    ({"war.supporters.0.aid_low_bn_per_year": 90}, "must not exceed"),
    ({"war.escalation.prevail": 0.0, "war.escalation.submit": 0.5}, "prevail > submit"),
    ({"war.policy.concession": 0.1}, "needs policy.initiator"),
    ({"war.policy.signal_strength": 2.0}, "needs policy.initiator"),
    ({"war.escalation.threat_prob_per_month": 0.2}, "needs escalation.threatener"),
    ({"war.beliefs.A.mean": 1.5}, "less than or equal"),
    ({"war.costs.A.per_month": -0.1}, "greater than or equal"),
    ({"war.front.form": "hexagons"}, "continuous"),
    ({"war.time.step_days": 0}, "greater than"),
    ({"war.attrition.beta": 1.5}, "less than or equal"),
    ({"war.forces.A.typo": 1}, "unknown field"),
]


@pytest.mark.parametrize("changes,words", BAD)
def test_invalid_war_sections_are_scenario_errors(
    tmp_path: Path, changes: dict[str, Any], words: str
) -> None:
    err = _error(tmp_path, changes)
    assert err.file is not None and err.file.endswith("bad.yaml")
    assert words in err.message, err.format()
    assert "\n" not in err.format() or err.format().count("\n") <= 1


def test_field_path_is_named(tmp_path: Path) -> None:
    err = _error(tmp_path, {"war.beliefs.A.mean": 1.5})
    assert err.field is not None and "war.beliefs.A.mean" in err.field


def test_unknown_terms_model_is_a_scenario_error() -> None:
    sc = load_scenario(DATA)
    with pytest.raises(ScenarioError) as info:
        compile_war(sc, {"war.settlement.terms_model": "crystal_ball"})
    assert info.value.field == "war.settlement.terms_model"


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"war.beliefs.A.meen": 0.5}, "war.beliefs.A.meen"),
        ({"war.supporters.nobody.force_per_bn": 0.1}, "war.supporters.nobody.force_per_bn"),
        ({"war.beliefs.A": 0.5}, "war.beliefs.A"),
    ],
)
def test_bad_override_paths(overrides: dict[str, Any], field: str) -> None:
    sc = load_scenario(DATA)
    with pytest.raises(ScenarioError) as info:
        compile_war(sc, overrides)
    assert info.value.field == field


def test_array_overrides_are_checked_at_their_extremes() -> None:
    sc = load_scenario(DATA)
    with pytest.raises(ScenarioError, match="expected n_runs"):
        compile_war(sc, {"war.beliefs.A.mean": np.array([0.4, 0.5])}, n_runs=3)
    with pytest.raises(ScenarioError):
        compile_war(sc, {"war.beliefs.A.mean": np.array([0.4, 1.2, 0.5])}, n_runs=3)
    with pytest.raises(ScenarioError, match="NaN"):
        compile_war(sc, {"war.beliefs.A.mean": np.array([0.4, np.nan])}, n_runs=2)
    p = compile_war(sc, {"war.beliefs.A.mean": np.array([0.4, 0.6, 0.5])}, n_runs=3)
    assert p.beliefs.mean.shape == (3, 2)
    assert p.beliefs.mean[:, 0].tolist() == [0.4, 0.6, 0.5]
    assert p.beliefs.mean[:, 1].tolist() == [0.4, 0.4, 0.4]


@settings(max_examples=40, deadline=None)
@given(
    mean=st.floats(-1, 2) | st.just(float("nan")),
    strength=st.floats(-5, 200) | st.just(float("nan")),
    horizon=st.integers(-3, 400),
)
def test_overrides_either_compile_or_raise_scenario_errors(
    mean: float, strength: float, horizon: int
) -> None:
    sc = load_scenario(DATA)
    ov = {
        "war.beliefs.A.mean": mean,
        "war.beliefs.B.strength": strength,
        "war.time.horizon_steps": horizon,
    }
    valid = 1e-6 <= mean <= 1 - 1e-6 and strength >= 1e-6 and 1 <= horizon <= 100000
    if valid:
        p = compile_war(sc, ov)
        assert p.horizon_steps == horizon
        assert float(p.beliefs.mean[0]) == mean
    else:
        with pytest.raises(ScenarioError):
            compile_war(sc, ov)


def _leaves(model: type, prefix: str = "") -> list[str]:
    """Dotted names of every leaf field of a pydantic model class (A/B and list items folded)."""
    from pydantic import BaseModel  # noqa: PLC0415

    out: list[str] = []
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = getattr(ann, "__args__", ())
        inner = next(
            (a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None
        )
        if inner is None:
            out.append(prefix + name)
        elif name in ("A", "B"):
            out.extend(_leaves(inner, prefix))
        else:
            out.extend(_leaves(inner, f"{prefix}{name}."))
    return out


def test_every_schema_field_reaches_the_engine() -> None:
    """Parameters are derived from the schema mechanically: each field is an attribute."""
    from parley.scenario.war_schema import WarSpec  # noqa: PLC0415

    sc = load_scenario(DATA)
    p = compile_war(sc)
    names = [n for n in _leaves(WarSpec) if not n.startswith(("sides.", "issue_bounds."))]
    assert len(names) > 90
    for dotted in names:
        node = p
        for part in dotted.split("."):
            node = getattr(node, part)
    assert p.forces.initial.shape == (2,)
    assert p.supporters.aid_high_bn_per_year.shape == (1,)
    assert p.beliefs.learning.shape == ()
    assert p.support.regime == ("unspecified", "unspecified")
    with pytest.raises(AttributeError, match="no parameter"):
        _ = p.forces.not_a_field


def test_compiled_parameters_pickle_and_copy() -> None:
    """Parameters travel to worker processes (pickle) and copy like plain data."""
    import copy as copy_mod  # noqa: PLC0415
    import pickle  # noqa: PLC0415

    p = compile_war(load_scenario(DATA), {"war.beliefs.A.mean": np.array([0.4, 0.6])}, n_runs=2)
    for q in (pickle.loads(pickle.dumps(p)), copy_mod.deepcopy(p)):
        np.testing.assert_array_equal(q.beliefs.mean, p.beliefs.mean)
        assert q.front_params == p.front_params and q.side_ids == p.side_ids
