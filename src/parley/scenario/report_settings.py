"""What a scenario asks its report to compare: combinations of assumption sets, policy names,
robustness thresholds, the conclusion examined, and the sources of each set's values.

A scenario's ``experiment.assumptions`` are groups of parameter overrides that combine
(:func:`parley.experiments.design.make_design` layers them in order). ``metadata.report.combos``
names the combinations a report compares (the flagship: each camp's full case and each "one
assumption wrong" mixture); without it every set is compared alone. ``metadata.report.satisficing``
gives the thresholds of the satisficing shares (:mod:`parley.analysis.robustness`), each with its
source; ``metadata.assumption_sources`` gives one sentence per overridden value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley.scenario.schema import Scenario

#: Label of the scenario's own uncertainties (no assumption set applied).
BASELINE_SET = "baseline"


def report_meta(scenario: Scenario) -> dict[str, Any]:
    """``metadata.report`` of the scenario (empty when absent)."""
    return dict((scenario.metadata or {}).get("report", {}) or {})


def named_combos(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Name -> tuple of assumption sets, the baseline (no set) first.

    From ``metadata.report.combos`` when present (each a list of set names), else one combination
    per set. Unknown set names are left to the experiment engine, which reports them as a
    :class:`~parley.scenario.errors.ScenarioError`.
    """
    spec = scenario.experiment
    raw = report_meta(scenario).get("combos")
    out: dict[str, tuple[str, ...]] = {BASELINE_SET: ()}
    if raw:
        for name, sets in dict(raw).items():
            out[str(name)] = tuple(str(s) for s in sets)
    elif spec is not None:
        out.update({name: (name,) for name in spec.assumptions})
    return out


def combo_description(scenario: Scenario, sets: tuple[str, ...]) -> str:
    """The descriptions of the sets of one combination, joined (or the baseline's)."""
    spec = scenario.experiment
    if not sets or spec is None:
        return "The scenario's own uncertainties: ranges that span both camps' values."
    return " ".join(spec.assumptions[s].description.strip() for s in sets if s in spec.assumptions)


def set_sources(scenario: Scenario) -> dict[tuple[str, str], str]:
    """``(set, dotted path) -> sentence`` from ``metadata.assumption_sources``."""
    raw = (scenario.metadata or {}).get("assumption_sources", {}) or {}
    return {
        (str(s), str(p)): str(text)
        for s, paths in dict(raw).items()
        for p, text in dict(paths or {}).items()
    }


def satisficing_thresholds(scenario: Scenario) -> tuple[dict[str, float], dict[str, str]]:
    """Thresholds ``measure -> max`` and their sources from ``metadata.report.satisficing``."""
    raw: Mapping[str, Any] = report_meta(scenario).get("satisficing", {}) or {}
    limits = {str(k): float(v["max"]) for k, v in raw.items()}
    sources = {str(k): str(v.get("source", "")) for k, v in raw.items()}
    return limits, sources


def policy_names(scenario: Scenario) -> dict[str, str]:
    """Policy key -> name in words, from ``metadata.report.policy_names`` (else the key)."""
    spec = scenario.experiment
    raw = dict(report_meta(scenario).get("policy_names", {}) or {})
    keys = list(spec.policies) if spec is not None else []
    return {k: str(raw.get(k, k.replace("_", " "))) for k in keys}
