"""The experiment section: distribution parameters and paths are validated with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from parley.scenario import ScenarioError, load_scenario, parse_scenario
from parley.scenario.experiment_schema import resolve_path

TOY = Path(__file__).parents[1] / "experiments" / "data" / "toy.yaml"


def _base() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TOY.read_text())
    return data


def _with(experiment: dict[str, Any]) -> dict[str, Any]:
    data = _base()
    data["experiment"] = experiment
    return data


def test_toy_scenario_loads_with_every_section() -> None:
    sc = load_scenario(TOY)
    assert sc.experiment is not None
    assert set(sc.experiment.uncertainties) == {
        "actors.a.capability",
        "actors.b.capability",
        "actors.c.capability",
    }
    assert sc.experiment.policies["concede"].levers == {
        "actors.b.positions.territory.position": 70.0
    }
    assert sc.experiment.assumptions["weak_c"].overrides["actors.c.capability"].dist == "uniform"


@pytest.mark.parametrize(
    ("dist", "needle"),
    [
        ({"dist": "uniform", "low": 2, "high": 1}, "high > low"),
        ({"dist": "normal", "mean": 0, "sd": 0}, "sd > 0"),
        ({"dist": "truncnormal", "mean": 0, "sd": 1}, "at least one of low, high"),
        ({"dist": "truncnormal", "mean": 0, "sd": 1, "low": 50, "high": 60}, "no probability mass"),
        ({"dist": "lognormal", "mu": 0, "sigma": -1}, "sigma > 0"),
        ({"dist": "beta", "a": 0, "b": 1}, "a > 0"),
        ({"dist": "triangular", "low": 0, "mode": 5, "high": 2}, "low <= mode <= high"),
        ({"dist": "choice", "values": [1, 2], "weights": [1]}, "2 values but 1 weights"),
        ({"dist": "empirical", "samples": [1]}, "at least 2"),
        ({"dist": "gamma", "k": 1}, "dist"),
    ],
)
def test_bad_distribution_parameters(dist: dict[str, Any], needle: str) -> None:
    data = _with({"uncertainties": {"actors.a.capability": dist}})
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data, file="s.yaml")
    assert needle in str(err.value)
    assert "experiment.uncertainties" in str(err.value)


def test_missing_path_names_the_segment() -> None:
    data = _with(
        {"uncertainties": {"actors.zz.capability": {"dist": "normal", "mean": 1, "sd": 1}}}
    )
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data, file="s.yaml")
    msg = str(err.value)
    assert "actors.zz.capability" in msg and "does not exist" in msg and "ids: a, b, c" in msg


def test_non_numeric_path_is_refused() -> None:
    data = _with({"policies": {"p": {"levers": {"actors.a.name": 1}}}})
    with pytest.raises(ScenarioError, match="must point to a number"):
        parse_scenario(data, file="s.yaml")


def test_assumption_path_is_checked() -> None:
    data = _with({"assumptions": {"x": {"overrides": {"issues.territory.nope": 1}}}})
    with pytest.raises(ScenarioError, match=r"assumptions.x.overrides.*no 'nope'"):
        parse_scenario(data, file="s.yaml")


def test_correlation_must_name_uncertain_params_and_be_positive_definite() -> None:
    unc = {
        "actors.a.capability": {"dist": "uniform", "low": 0, "high": 1},
        "actors.b.capability": {"dist": "uniform", "low": 0, "high": 1},
    }
    bad_name = {
        "params": ["actors.a.capability", "actors.c.capability"],
        "matrix": [[1, 0], [0, 1]],
    }
    with pytest.raises(ScenarioError, match="not an uncertain parameter"):
        parse_scenario(_with({"uncertainties": unc, "correlations": [bad_name]}))
    not_pd = {"params": list(unc), "matrix": [[1, 1.5], [1.5, 1]]}
    with pytest.raises(ScenarioError, match="in \\[-1, 1\\]|positive definite"):
        parse_scenario(_with({"uncertainties": unc, "correlations": [not_pd]}))
    asym = {"params": list(unc), "matrix": [[1, 0.2], [0.3, 1]]}
    with pytest.raises(ScenarioError, match="symmetric"):
        parse_scenario(_with({"uncertainties": unc, "correlations": [asym]}))


def test_resolve_path_by_id_and_index() -> None:
    data = load_scenario(TOY).model_dump()
    assert resolve_path(data, "actors.b.capability") == 2.0
    assert resolve_path(data, "actors.1.capability") == 2.0
    assert resolve_path(data, "issues.territory.reference_point") == 50.0
    with pytest.raises(KeyError, match="no 'x' under actors.a"):
        resolve_path(data, "actors.a.x")
