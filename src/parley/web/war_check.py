"""The one check of a dashboard war run, called by the *Check* button and by the run itself.

A war run compares the chosen policies under the chosen assumption sets, ``n_runs`` paired runs
per cell, exactly as ``parley compare`` does (:func:`parley.analysis.workflows.compare`): the same
Monte Carlo design (:func:`parley.experiments.design.make_design`) and the same war outcome model
(:func:`parley.experiments.war_outcomes.war_outcomes_model`). Before it simulates, the war model validates each
chunk's parameters at their minimum and maximum (:func:`parley.war.params.compile_war`); an
out-of-range draw of an assumption set (``uniform`` from 0.5 to 1.5 for a probability) is only
found there, not by the scenario schema.

:func:`check_war_run` therefore does everything the run does before its first simulation — the
scenario schema, the policies and sets, the limits, the design, and ``compile_war`` on every
chunk of that design — and returns the plan the run then executes. The page's check and the run
call this same function, so a check that passes means the run will not be refused, and a refusal
carries the same message in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parley.analysis.workflows import RunOptions
from parley.experiments.design import Design, make_design
from parley.report.assumption_sets import plain_name
from parley.scenario.errors import ScenarioError
from parley.scenario.report_settings import named_combos, policy_names
from parley.scenario.schema import Scenario
from parley.war.params import compile_war
from parley.web.library import check_scenario_data, field_path

#: Most runs per cell of a dashboard war run (the same bound as an analysis run's Monte Carlo size).
MAX_WAR_RUNS = 5000


@dataclass(frozen=True)
class WarPlan:
    """A checked war run: the scenario, the policies, the named assumption sets and the design."""

    scenario: Scenario
    policies: tuple[str, ...]
    sets: dict[str, tuple[str, ...]]
    n_runs: int
    seed: int
    design: Design


def assumption_choices(scenario: Scenario) -> list[dict[str, Any]]:
    """The assumption sets a war run can compare: the report's named combinations
    (``metadata.report.combos``, the baseline first) and every assumption group on its own."""
    spec = scenario.experiment
    out = [
        {"name": name, "label": plain_name(name), "groups": list(groups)}
        for name, groups in named_combos(scenario).items()
    ]
    seen = {tuple(x["groups"]) for x in out}
    for name in spec.assumptions if spec is not None else []:
        if (name,) not in seen:
            out.append({"name": name, "label": plain_name(name), "groups": [name]})
    return out


def policy_choices(scenario: Scenario) -> list[dict[str, str]]:
    """The policies of the scenario with their names in words (``metadata.report.policy_names``)."""
    return [{"name": k, "label": v} for k, v in policy_names(scenario).items()]


def war_paths(scenario: Scenario) -> list[dict[str, Any]]:
    """Every numeric parameter of the war section as the dotted path an override or lever names
    (``war.renege.B.probability``, ``war.supporters.0.p_high_to_low_per_month``), with its value."""
    if scenario.war is None:
        return []
    out: list[dict[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for k, v in enumerate(node):
                walk(v, f"{path}.{k}")
        elif isinstance(node, int | float) and not isinstance(node, bool):
            out.append({"path": path, "value": node})

    walk(scenario.war.model_dump(mode="json"), "war")
    return out


def _error(message: str, field: str | None, parameter: str | None = None) -> dict[str, Any]:
    return {"message": message, "field": field, "parameter": parameter, "line": None}


def _form_field(scenario: Scenario, policy: str, groups: Sequence[str], parameter: str) -> str:
    """The form field that sets ``parameter`` in a cell: the last assumption group overriding it,
    else the policy's lever, else the scenario's uncertainty, else the war section itself."""
    spec = scenario.experiment
    path = parameter if parameter.startswith("war.") else f"war.{parameter}"
    if spec is not None:
        for name in reversed(list(groups)):
            if path in spec.assumptions[name].overrides:
                return field_path(("experiment", "assumptions", name, "overrides", path))
        if policy in spec.policies and path in spec.policies[policy].levers:
            return field_path(("experiment", "policies", policy, "levers", path))
        if path in spec.uncertainties:
            return field_path(("experiment", "uncertainties", path))
    return field_path(tuple(int(p) if p.isdigit() else p for p in path.split(".")))


def war_design(
    scenario: Scenario,
    policies: Sequence[str],
    combos: Sequence[Sequence[str]],
    runs: int,
    seed: int,
) -> Design:
    """The design of ``parley compare`` (:func:`parley.analysis.workflows.compare`): Monte Carlo,
    one run per point, ``runs`` points, chunks of :attr:`RunOptions.chunk_runs` runs."""
    return make_design(
        scenario,
        runs_per_point=1,
        chunk_points=max(1, RunOptions().chunk_runs),
        policies=policies,
        combos=combos,
        method="mc",
        n_points=runs,
        seed=seed,
    )


def _request_errors(
    scenario: Scenario, policies: Sequence[str], sets: Sequence[str], n_runs: int, max_runs: int
) -> list[dict[str, Any]]:
    errors = []
    spec = scenario.experiment
    if scenario.war is None or spec is None:
        return [_error("a war run needs a scenario with 'war' and 'experiment' sections", None)]
    known = {x["name"] for x in assumption_choices(scenario)}
    if len(policies) < 2:
        errors.append(_error("choose at least two policies to compare", "policies"))
    for p in policies:
        if p not in spec.policies:
            errors.append(_error(f"unknown policy '{p}'", "policies"))
    if not sets:
        errors.append(_error("choose at least one assumption set", "assumptions"))
    for s in sets:
        if s not in known:
            errors.append(_error(f"unknown assumption set '{s}'", "assumptions"))
    if not 1 <= n_runs <= max_runs:
        errors.append(_error(f"runs per cell must be between 1 and {max_runs}", "n_runs"))
    return errors


def check_war_run(
    data: Any,
    policies: Sequence[str],
    sets: Sequence[str],
    n_runs: int,
    seed: int,
    max_runs: int = MAX_WAR_RUNS,
) -> tuple[WarPlan | None, list[dict[str, Any]]]:
    """Validate a war run as the run itself does; return its plan, or ``None`` and every problem.

    Each problem is ``{"message", "field", "parameter", "line"}``: ``field`` is the form field to
    mark (``experiment.assumptions.mine.overrides["war.renege.B.probability"]``), ``parameter``
    the engine's field and ``message`` the engine's own words.
    """
    scenario, errors = check_scenario_data(data)
    if scenario is None:
        return None, errors
    errors = _request_errors(scenario, policies, sets, n_runs, max_runs)
    if errors:
        return None, errors
    if seed < 0:
        return None, [_error("the seed must be a whole number ≥ 0", "seed")]
    choices = {x["name"]: tuple(x["groups"]) for x in assumption_choices(scenario)}
    chosen = {s: choices[s] for s in sets}
    try:
        design = war_design(scenario, policies, list(chosen.values()), n_runs, seed)
    except ScenarioError as exc:
        return None, [_error(exc.message, exc.field)]
    seen: set[tuple[str | None, str]] = set()
    for index in range(design.n_chunks):
        cell = design.cells[design.chunk(index)[0]]
        params = design.chunk_params(index)
        n = len(next(iter(params.values()))) if params else None
        try:
            compile_war(scenario, params, n_runs=n)
        except ScenarioError as exc:
            field = _form_field(scenario, cell.policy, cell.assumptions, exc.field or "")
            if (exc.field, exc.message) not in seen:
                seen.add((exc.field, exc.message))
                errors.append(_error(exc.message, field, exc.field))
    if errors:
        return None, errors
    return WarPlan(scenario, tuple(policies), chosen, n_runs, seed, design), []


def plan_from_request(request: Mapping[str, Any]) -> WarPlan:
    """The plan of a stored war-run request; raise :class:`ScenarioError` with the first problem."""
    plan, errors = check_war_run(
        request["variants"][0]["scenario"],
        list(request["policies"]),
        list(request["assumptions"]),
        int(request["n_runs"]),
        int(request["seed"]),
    )
    if plan is None:
        e = errors[0]
        raise ScenarioError(e["message"], field=e.get("parameter") or e.get("field"))
    return plan
