"""Experiments: designs over a scenario's uncertainties and policies, sweeps on an executor,
the run store (public names load on first use)."""

from __future__ import annotations

from parley._lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "Design": ("parley.experiments.design", "Design"),
    "make_design": ("parley.experiments.design", "make_design"),
    "policy_overrides": ("parley.experiments.design", "policy_overrides"),
    "run_sweep": ("parley.experiments.sweep", "run_sweep"),
    "SweepResult": ("parley.experiments.sweep", "SweepResult"),
    "RunStore": ("parley.experiments.store", "RunStore"),
    "results_dir": ("parley.experiments.store", "results_dir"),
    "ExperimentModel": ("parley.experiments.models", "ExperimentModel"),
    "resolve_model": ("parley.experiments.models", "resolve_model"),
    "war_model": ("parley.experiments.models", "war_model"),
    "tidy_runs": ("parley.experiments.models", "tidy_runs"),
    "war_outcomes_model": ("parley.experiments.war_outcomes", "war_outcomes_model"),
    "war_parameters": ("parley.experiments.parameter_table", "war_parameters"),
}

__all__ = [
    "Design",
    "ExperimentModel",
    "RunStore",
    "SweepResult",
    "make_design",
    "policy_overrides",
    "resolve_model",
    "results_dir",
    "run_sweep",
    "tidy_runs",
    "war_model",
    "war_outcomes_model",
    "war_parameters",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
