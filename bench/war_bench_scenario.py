"""The benchmark war: two belligerents and ``n_supporters`` supporters, every mechanism switched on.

Numbers are illustrative assumptions chosen so that every mechanism is active during the run
(talks open, own noisy signals, commitment problem, renege risk, issue bounds, demands answering
a concession, threats acting on aid and bargaining, red line, regime-type casualty sensitivity,
unrest, leader punishment, donors with a common shock, substitution and fatigue, negative-binomial
losses, breaking points, guarantees, durability, settlement terms by the compromise model); they
are not estimates.
"""

from __future__ import annotations

from typing import Any

import yaml

from parley.scenario.load import parse_scenario
from parley.scenario.schema import Scenario


def bench_doc(n_supporters: int = 4, horizon_steps: int = 260) -> dict[str, Any]:
    """The scenario as a mapping (see the module docstring)."""
    sup_ids = [f"S{k}" for k in range(n_supporters)]
    actors: list[dict[str, Any]] = [
        {
            "id": "A",
            "capability": 1.0,
            "positions": {
                "territory": {"position": 100, "salience": 1.0},
                "neutrality": {"position": 100, "salience": 0.7},
                "sanctions": {"position": 0, "salience": 0.6},
            },
        },
        {
            "id": "B",
            "capability": 1.0,
            "positions": {
                "territory": {"position": 0, "salience": 1.0},
                "neutrality": {"position": 0, "salience": 0.6},
                "sanctions": {"position": 100, "salience": 0.4},
            },
        },
    ]
    for k, s in enumerate(sup_ids):
        actors.append(
            {
                "id": s,
                "capability": 0.2 + 0.1 * k,
                "positions": {
                    "territory": {"position": 10 + 5 * k, "salience": 0.5},
                    "neutrality": {"position": 20, "salience": 0.8},
                    "sanctions": {"position": 80, "salience": 0.5},
                },
            }
        )
    war: dict[str, Any] = {
        "sides": {"A": "A", "B": "B"},
        "supporters": [
            {
                "actor": s,
                "side": "B" if k % 4 else "A",
                "aid_high_bn_per_year": 20.0 + 5 * k,
                "aid_low_bn_per_year": 5.0,
                "p_high_to_low_per_month": 0.05,
                "p_low_to_high_per_month": 0.1,
                "escalation_sensitivity": 0.2,
                "force_per_bn": 0.01,
                "fatigue_per_year": 0.5,
            }
            for k, s in enumerate(sup_ids)
        ],
        "region": {
            "area_min_km2": 0,
            "area_max_km2": 135787,
            "initial_area_km2": 113286,
            "forts": 20,
            "red_line_km2": 43980,
        },
        "front": {
            "form": "continuous",
            "drift_km2_per_day": 10.7,
            "sigma_km2_per_sqrt_day": 42.1,
            "manoeuvre_drift_km2_per_day": -66.7,
            "manoeuvre_sigma_km2_per_sqrt_day": 304.0,
            "manoeuvre_jump_rate_per_day": 0.04,
            "manoeuvre_jump_mean_km2": -3431,
            "manoeuvre_jump_sd_km2": 500,
            "p_to_manoeuvre_per_day": 0.056,
            "p_to_positional_per_day": 0.135,
            "kappa_km2_per_day": 5.0,
            "sigma1_km2_per_sqrt_day": 5.0,
            "eta": 0.5,
        },
        "forces": {
            side: {
                "initial": 1.0,
                "replenishment_per_day": repl,
                "effectiveness_per_day": 0.004,
                "collapse_fraction": 0.3,
                "loss_dispersion": 3.0,
                "breaking_hazard_per_month": 0.2,
                "breaking_point_sd": 0.3,
            }
            for side, repl in (("A", 0.004), ("B", 0.003))
        },
        "attrition": {"beta": 0.75, "substeps": 7},
        "beliefs": {
            "A": {"mean": 0.62, "strength": 10, "observation_share": 0.5},
            "B": {"mean": 0.35, "strength": 10, "observation_share": 0.7},
        },
        "costs": {"A": {"per_month": 0.004}, "B": {"per_month": 0.004}},
        "support": {
            "A": {
                "initial": 0.72,
                "log_casualty_slope": 0.05,
                "punishment": 0.1,
                "regime": "personalist",
                "unrest_hazard_per_month": 0.05,
            },
            "B": {
                "initial": 0.86,
                "log_casualty_slope": 0.04,
                "punishment": 0.1,
                "regime": "democracy",
                "unrest_hazard_per_month": 0.02,
            },
        },
        "escalation": {
            "rho0_per_month": 1e-3,
            "gamma_intensity": 0.5,
            "gamma_red_line": 2.0,
            "gamma_threat": 1.0,
            "threatener": "A",
            "threat_prob_per_month": 0.1,
            "threat_bargaining_weight": 0.05,
        },
        "settlement": {
            "proposer": "random",
            "power_A": 0.5,
            "terms_model": "compromise",
            "territory_issue": "territory",
            "demand_response": 1.0,
        },
        "guarantees": {"B": {"g": 0.02, "credibility": 0.5}},
        "durability": {"agreement": "ceasefire", "interstate": True, "peacekeepers": True},
        "policy": {
            "negotiate_from_step": 0,
            "initiator": "B",
            "concession": 0.02,
            "signal_strength": 1.0,
            "aid_multiplier": 1.2,
            "threat_response": "cut_aid",
        },
        "time": {"step_days": 7, "horizon_steps": horizon_steps},
        "renege": {
            "A": {"probability": 0.2, "penalty": 0.02},
            "B": {"probability": 0.4, "penalty": 0.05},
        },
        "commitment": {"enabled": True, "horizon_months": 6},
        "issue_bounds": [
            {"issue": "territory", "side": "A", "min": 15},
            {"issue": "territory", "side": "B", "max": 90},
        ],
        "aid_dynamics": {"common_shock": 0.5, "substitution": 0.3},
    }
    return {
        "id": "bench_war",
        "name": "Benchmark war (illustrative numbers)",
        "start_date": "2022-11-08",
        "issues": [
            {"id": "territory", "name": "Territory", "scale_min": 0, "scale_max": 100},
            {"id": "neutrality", "name": "Neutrality", "scale_min": 0, "scale_max": 100},
            {"id": "sanctions", "name": "Sanctions relief", "scale_min": 0, "scale_max": 100},
        ],
        "actors": actors,
        "war": war,
    }


def bench_scenario(n_supporters: int = 4, horizon_steps: int = 260) -> Scenario:
    """The benchmark scenario, validated like a file."""
    return parse_scenario(yaml.safe_load(yaml.safe_dump(bench_doc(n_supporters, horizon_steps))))
