"""Compile a scenario's ``war`` section into :class:`WarParams`, a frozen tree of plain arrays.

:func:`compile_war` applies overrides (dotted paths into the ``war`` section as written in YAML,
e.g. ``"war.front.drift_km2_per_day"``, ``"war.beliefs.A.mean"``, ``"war.supporters.usa.
aid_high_bn_per_year"``; supporters are addressed by actor id or 0-based index). An override value
may be a number or an array of shape ``(n_runs,)``: every numeric parameter the engine uses
broadcasts against the run axis, so one simulation can run one sampled parameter set per run.

Layout: per-run numbers are arrays of shape ``()`` or ``(runs,)``; side-specific numbers are arrays
of shape ``(..., 2)`` (last axis = side A, B); supporter numbers ``(..., supporters)``. Options that
select a variant (contest form, proposer rule, ...) are plain strings and cannot vary by run.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from parley.scenario.errors import ScenarioError
from parley.scenario.load import validation_error
from parley.scenario.schema import Scenario
from parley.scenario.war_schema import WarSpec
from parley.war.front import FrontParams

FloatArray = NDArray[np.float64]
Overrides = Mapping[str, "float | int | str | bool | FloatArray"]

#: war.front field -> FrontParams field.
FRONT_FIELDS: dict[str, str] = {
    "drift_km2_per_day": "drift_positional",
    "sigma_km2_per_sqrt_day": "sigma_positional",
    "jump_rate_per_day": "jump_rate_positional",
    "jump_mean_km2": "jump_mean_positional",
    "jump_sd_km2": "jump_sd_positional",
    "manoeuvre_drift_km2_per_day": "drift_manoeuvre",
    "manoeuvre_sigma_km2_per_sqrt_day": "sigma_manoeuvre",
    "manoeuvre_jump_rate_per_day": "jump_rate_manoeuvre",
    "manoeuvre_jump_mean_km2": "jump_mean_manoeuvre",
    "manoeuvre_jump_sd_km2": "jump_sd_manoeuvre",
    "p_to_manoeuvre_per_day": "p_positional_to_manoeuvre",
    "p_to_positional_per_day": "p_manoeuvre_to_positional",
    "kappa_km2_per_day": "kappa",
    "s": "drift_scale",
    "sigma1_km2_per_sqrt_day": "sigma_force",
    "eta": "eta",
}

SIDES = ("A", "B")


@dataclass(frozen=True)
class Stakeholders:
    """Positions of all scenario actors for multi-issue settlement terms."""

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    position: FloatArray  # (actors, issues), NaN where missing
    salience: FloatArray  # (actors, issues)
    capability: FloatArray  # (actors,)
    scale_min: FloatArray  # (issues,)
    scale_max: FloatArray  # (issues,)
    index_A: int
    index_B: int


@dataclass(frozen=True)
class WarParams:
    """Everything the engine needs, as arrays that broadcast against the run axis."""

    scenario_id: str
    start_date: str | None
    side_ids: tuple[str, str]
    supporter_ids: tuple[str, ...]
    supporter_side: NDArray[np.int64]  # (supporters,) 0 = A, 1 = B
    stakeholders: Stakeholders
    # region
    area_min: FloatArray
    area_max: FloatArray
    initial_area: FloatArray
    forts: FloatArray
    density: FloatArray
    red_line: FloatArray  # NaN if none
    # front
    front_form: str
    front: FrontParams
    initial_regime: str
    # forces (..., 2)
    force0: FloatArray
    replenishment: FloatArray
    effectiveness: FloatArray
    collapse_fraction: FloatArray
    casualties_per_unit: FloatArray
    # contest and attrition
    contest_form: str
    contest_m: FloatArray
    contest_phi: FloatArray
    attrition_beta: FloatArray
    attrition_substeps: int
    # beliefs (..., 2)
    belief_mean: FloatArray
    belief_strength: FloatArray
    learning: FloatArray
    battle_days: FloatArray
    quadrature_nodes: int
    # costs (..., 2)
    cost_per_month: FloatArray
    discount_per_month: FloatArray
    # support (..., 2)
    support0: FloatArray
    support_slope: FloatArray
    support_cost_gain: FloatArray
    replacement_threshold: FloatArray
    replacement_hazard: FloatArray
    punishment: FloatArray
    reference_share: FloatArray
    # escalation
    rho0_per_month: FloatArray
    gamma_intensity: FloatArray
    gamma_red_line: FloatArray
    gamma_threat: FloatArray
    intensity_scale: FloatArray
    threatener: int  # -1 none, 0 A, 1 B
    threat_prob_per_month: FloatArray
    prevail: FloatArray
    submit: FloatArray
    disaster: FloatArray
    credibility_prior: FloatArray
    # supporters (..., supporters)
    aid_high: FloatArray
    aid_low: FloatArray
    p_high_to_low: FloatArray
    p_low_to_high: FloatArray
    aid_start_high: FloatArray
    aid_escalation_sensitivity: FloatArray
    force_per_bn: FloatArray
    # settlement and guarantees
    proposer: str
    power_A: FloatArray
    terms_model: str
    territory_issue: int  # -1 if none
    guarantee: FloatArray  # (..., 2)
    guarantee_credibility: FloatArray  # (..., 2)
    # durability covariates
    agreement: str
    comprehensive: FloatArray
    peacekeepers: FloatArray
    interstate: FloatArray
    powell_horizon_months: FloatArray
    trigger_multiplier: FloatArray  # inf = certain renewal
    # policy
    negotiate_from_step: FloatArray
    negotiate_area_below: FloatArray  # NaN = no condition
    negotiate_support_below: FloatArray  # NaN = no condition
    initiator: int  # -1 none, 0 A, 1 B
    concession: FloatArray
    signal_strength: FloatArray
    aid_multiplier: FloatArray
    aid_conditional: FloatArray
    cut_aid_on_threat: FloatArray
    threat_aid_cut: FloatArray
    # time
    step_days: float
    horizon_steps: int


# --- overrides -------------------------------------------------------------------------------


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    if parts and parts[0] == "war":
        parts = parts[1:]
    node: Any = data
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if isinstance(node, list):
            idx = next((j for j, item in enumerate(node) if item.get("actor") == part), None)
            if idx is None and part.isdigit() and int(part) < len(node):
                idx = int(part)
            if idx is None:
                raise ScenarioError(f"no list item '{part}' in the war section", field=path)
            if last:
                raise ScenarioError("cannot override a whole list item", field=path)
            node = node[idx]
            continue
        if not isinstance(node, dict) or part not in node:
            raise ScenarioError("unknown war parameter (check the spelling)", field=path)
        if last:
            if isinstance(node[part], dict | list):
                raise ScenarioError("override must name a single parameter", field=path)
            node[part] = value
        else:
            node = node[part]


def _validate(data: dict[str, Any]) -> WarSpec:
    try:
        return WarSpec.model_validate(data)
    except ValidationError as exc:
        err = validation_error(exc, None)
        raise ScenarioError(err.message, field="war." + (err.field or "")) from None


def _apply_overrides(
    spec: WarSpec, overrides: Overrides, n_runs: int | None
) -> tuple[dict[str, Any], int | None]:
    base = spec.model_dump()
    lo, hi, out = copy.deepcopy(base), copy.deepcopy(base), copy.deepcopy(base)
    for path, value in overrides.items():
        arr = np.asarray(value)
        if arr.ndim > 1:
            raise ScenarioError("override must be a number or a 1-d array over runs", field=path)
        if arr.ndim == 1:
            if n_runs is None:
                n_runs = int(arr.shape[0])
            if arr.shape[0] != n_runs:
                raise ScenarioError(
                    f"override has {arr.shape[0]} values, expected n_runs = {n_runs}", field=path
                )
            if not np.issubdtype(arr.dtype, np.number) and arr.dtype != np.bool_:
                raise ScenarioError("array overrides must be numeric", field=path)
            a = arr.astype(float)
            if not np.all(np.isfinite(a)):
                raise ScenarioError("override contains NaN or infinite values", field=path)
            _set_path(lo, path, float(a.min()))
            _set_path(hi, path, float(a.max()))
            _set_path(out, path, a)
        else:
            v = value.item() if isinstance(value, np.generic | np.ndarray) else value
            for d in (lo, hi, out):
                _set_path(d, path, v)
    _validate(_restore_types(lo, base))
    _validate(_restore_types(hi, base))
    return out, n_runs


def _restore_types(data: Any, like: Any) -> Any:
    """Make 0.0/1.0 overrides of boolean fields booleans again before validation."""
    if isinstance(data, dict):
        return {
            k: _restore_types(v, like.get(k) if isinstance(like, dict) else None)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [
            _restore_types(v, like[i] if isinstance(like, list) and i < len(like) else None)
            for i, v in enumerate(data)
        ]
    if isinstance(like, bool) and isinstance(data, float | int):
        return bool(data)
    return data


# --- compilation -----------------------------------------------------------------------------


def _f(value: Any) -> FloatArray:
    if value is None:
        return np.asarray(math.nan)
    return np.asarray(value, dtype=float)


def _side(d: dict[str, Any], key: str) -> FloatArray:
    a, b = np.broadcast_arrays(_f(d["A"][key]), _f(d["B"][key]))
    return np.stack([a, b], axis=-1)


def _sup(sups: list[dict[str, Any]], key: str) -> FloatArray:
    if not sups:
        return np.zeros((0,))
    arrs = np.broadcast_arrays(*(_f(s[key]) for s in sups))
    return np.stack(arrs, axis=-1)


def _stakeholders(scenario: Scenario, war: dict[str, Any]) -> Stakeholders:
    actors = [a.id for a in scenario.actors]
    issues = [i.id for i in scenario.issues]
    pos = np.full((len(actors), len(issues)), np.nan)
    sal = np.full((len(actors), len(issues)), np.nan)
    for a, actor in enumerate(scenario.actors):
        for issue_id, stance in actor.positions.items():
            k = issues.index(issue_id)
            pos[a, k] = stance.position
            sal[a, k] = stance.salience
    return Stakeholders(
        actor_ids=tuple(actors),
        issue_ids=tuple(issues),
        position=pos,
        salience=sal,
        capability=np.array([a.capability for a in scenario.actors], dtype=float),
        scale_min=np.array([i.scale_min for i in scenario.issues], dtype=float),
        scale_max=np.array([i.scale_max for i in scenario.issues], dtype=float),
        index_A=actors.index(war["sides"]["A"]),
        index_B=actors.index(war["sides"]["B"]),
    )


def _check_terms_model(model: str) -> None:
    from parley.negotiation.registry import MODELS  # noqa: PLC0415 (keeps the import graph flat)

    if model != "share" and model not in MODELS:
        raise ScenarioError(
            f"unknown stakeholder model '{model}'; expected 'share' or one of "
            f"{', '.join(sorted(MODELS))}",
            field="war.settlement.terms_model",
        )


def compile_war(
    scenario: Scenario, overrides: Overrides | None = None, n_runs: int | None = None
) -> WarParams:
    """Validate overrides and turn ``scenario.war`` into :class:`WarParams`.

    Raises :class:`ScenarioError` if the scenario has no war section, an override names an unknown
    parameter, has the wrong length, or makes the section invalid (checked at the override's
    minimum and maximum).
    """
    if scenario.war is None:
        raise ScenarioError("scenario has no 'war' section", field="war")
    d, _ = _apply_overrides(scenario.war, overrides or {}, n_runs)
    region, front, forces = d["region"], d["front"], d["forces"]
    beliefs, costs, support, esc = d["beliefs"], d["costs"], d["support"], d["escalation"]
    sett, guar, dur, pol, time = (
        d["settlement"],
        d["guarantees"],
        d["durability"],
        d["policy"],
        d["time"],
    )
    sups: list[dict[str, Any]] = d["supporters"]
    front_kwargs: dict[str, Any] = {fp: _f(front[k]) for k, fp in FRONT_FIELDS.items()}
    front_kwargs = {k: (float(v) if v.ndim == 0 else v) for k, v in front_kwargs.items()}
    front_params = FrontParams(
        **front_kwargs,
        area_min=float(np.min(region["area_min_km2"])),
        area_max=float(np.max(region["area_max_km2"])),
    )
    stake = _stakeholders(scenario, d)
    _check_terms_model(str(sett["terms_model"]))
    issue = sett["territory_issue"]
    who = {"none": -1, "A": 0, "B": 1}
    trig = dur["trigger_multiplier"]
    return WarParams(
        scenario_id=scenario.id,
        start_date=scenario.start_date,
        side_ids=(d["sides"]["A"], d["sides"]["B"]),
        supporter_ids=tuple(s["actor"] for s in sups),
        supporter_side=np.array([0 if s["side"] == "A" else 1 for s in sups], dtype=np.int64),
        stakeholders=stake,
        area_min=_f(region["area_min_km2"]),
        area_max=_f(region["area_max_km2"]),
        initial_area=_f(region["initial_area_km2"]),
        forts=_f(region["forts"]),
        density=_f(region["population_density_per_km2"]),
        red_line=_f(region["red_line_km2"]),
        front_form=front["form"],
        front=front_params,
        initial_regime=front["initial_regime"],
        force0=_side(forces, "initial"),
        replenishment=_side(forces, "replenishment_per_day"),
        effectiveness=_side(forces, "effectiveness_per_day"),
        collapse_fraction=_side(forces, "collapse_fraction"),
        casualties_per_unit=_side(forces, "casualties_per_force_unit"),
        contest_form=d["contest"]["form"],
        contest_m=_f(d["contest"]["m"]),
        contest_phi=_f(d["contest"]["phi"]),
        attrition_beta=_f(d["attrition"]["beta"]),
        attrition_substeps=int(d["attrition"]["substeps"]),
        belief_mean=_side(beliefs, "mean"),
        belief_strength=_side(beliefs, "strength"),
        learning=_f(beliefs["learning"]),
        battle_days=_f(beliefs["battle_days"]),
        quadrature_nodes=int(beliefs["quadrature_nodes"]),
        cost_per_month=_side(costs, "per_month"),
        discount_per_month=_f(costs["discount_per_month"]),
        support0=_side(support, "initial"),
        support_slope=_side(support, "log_casualty_slope"),
        support_cost_gain=_side(support, "cost_gain"),
        replacement_threshold=_side(support, "replacement_threshold"),
        replacement_hazard=_side(support, "replacement_hazard_per_month"),
        punishment=_side(support, "punishment"),
        reference_share=_side(support, "reference_share"),
        rho0_per_month=_f(esc["rho0_per_month"]),
        gamma_intensity=_f(esc["gamma_intensity"]),
        gamma_red_line=_f(esc["gamma_red_line"]),
        gamma_threat=_f(esc["gamma_threat"]),
        intensity_scale=_f(esc["intensity_scale_km2_per_week"]),
        threatener=who[esc["threatener"]],
        threat_prob_per_month=_f(esc["threat_prob_per_month"]),
        prevail=_f(esc["prevail"]),
        submit=_f(esc["submit"]),
        disaster=_f(esc["disaster"]),
        credibility_prior=_f(esc["credibility_prior_strength"]),
        aid_high=_sup(sups, "aid_high_bn_per_year"),
        aid_low=_sup(sups, "aid_low_bn_per_year"),
        p_high_to_low=_sup(sups, "p_high_to_low_per_month"),
        p_low_to_high=_sup(sups, "p_low_to_high_per_month"),
        aid_start_high=_sup(sups, "start_high"),
        aid_escalation_sensitivity=_sup(sups, "escalation_sensitivity"),
        force_per_bn=_sup(sups, "force_per_bn"),
        proposer=sett["proposer"],
        power_A=_f(sett["power_A"]),
        terms_model=sett["terms_model"],
        territory_issue=-1 if issue is None else stake.issue_ids.index(issue),
        guarantee=_side(guar, "g"),
        guarantee_credibility=_side(guar, "credibility"),
        agreement=dur["agreement"],
        comprehensive=_f(dur["comprehensive"]),
        peacekeepers=_f(dur["peacekeepers"]),
        interstate=_f(dur["interstate"]),
        powell_horizon_months=_f(dur["powell_horizon_months"]),
        trigger_multiplier=_f(math.inf if trig is None else trig),
        negotiate_from_step=_f(pol["negotiate_from_step"]),
        negotiate_area_below=_f(pol["negotiate_when_area_below_km2"]),
        negotiate_support_below=_f(pol["negotiate_when_support_below"]),
        initiator=who[pol["initiator"]],
        concession=_f(pol["concession"]),
        signal_strength=_f(pol["signal_strength"]),
        aid_multiplier=_f(pol["aid_multiplier"]),
        aid_conditional=_f(pol["aid_conditional_on_talks"]),
        cut_aid_on_threat=_f(pol["threat_response"] == "cut_aid"),
        threat_aid_cut=_f(pol["threat_aid_cut"]),
        step_days=float(time["step_days"]),
        horizon_steps=int(time["horizon_steps"]),
    )
