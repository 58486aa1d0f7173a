"""Analyses of experiment results: policy comparisons, sensitivity, scenario discovery,
backtests and calibration (public names load on first use)."""

from __future__ import annotations

from parley._lazy import lazy_exports

_EXPORTS: dict[str, tuple[str, str]] = {
    "compare": ("parley.analysis.workflows", "compare"),
    "sensitivity": ("parley.analysis.workflows", "sensitivity"),
    "discover": ("parley.analysis.workflows", "discover"),
    "RunOptions": ("parley.analysis.workflows", "RunOptions"),
    "ExperimentResult": ("parley.analysis.experiment_result", "ExperimentResult"),
    "point_outcomes": ("parley.analysis.workflows", "point_outcomes"),
    "compare_policies": ("parley.analysis.compare", "compare_policies"),
    "paired_ci": ("parley.analysis.compare", "paired_ci"),
    "welch_ci": ("parley.analysis.compare", "welch_ci"),
    "sobol": ("parley.analysis.sensitivity", "sobol"),
    "morris": ("parley.analysis.sensitivity", "morris"),
    "oat": ("parley.analysis.sensitivity", "oat"),
    "SensitivityResult": ("parley.analysis.sensitivity", "SensitivityResult"),
    "prim": ("parley.analysis.discovery", "prim"),
    "PrimResult": ("parley.analysis.discovery", "PrimResult"),
    "run_backtest": ("parley.analysis.backtest", "run_backtest"),
    "evaluate_text": ("parley.analysis.expressions", "evaluate_text"),
    "analyse_war": ("parley.analysis.war_analysis", "analyse_war"),
    "WarAnalysis": ("parley.analysis.war_analysis", "WarAnalysis"),
    "WarSizes": ("parley.analysis.war_analysis", "WarSizes"),
    "observed_series": ("parley.analysis.observed_series", "observed_series"),
    "StakeholderAnalysis": ("parley.analysis.stakeholder_bands", "StakeholderAnalysis"),
    "analyse_stakeholders": ("parley.analysis.stakeholder_bands", "analyse_stakeholders"),
    "report_models": ("parley.analysis.stakeholder_bands", "report_models"),
}

__all__ = [
    "ExperimentResult",
    "PrimResult",
    "RunOptions",
    "SensitivityResult",
    "StakeholderAnalysis",
    "WarAnalysis",
    "WarSizes",
    "analyse_stakeholders",
    "analyse_war",
    "compare",
    "compare_policies",
    "discover",
    "evaluate_text",
    "morris",
    "oat",
    "observed_series",
    "paired_ci",
    "point_outcomes",
    "prim",
    "report_models",
    "run_backtest",
    "sensitivity",
    "sobol",
    "welch_ci",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
