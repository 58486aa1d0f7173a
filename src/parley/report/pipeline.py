"""Run the whole analysis of a scenario and return tidy tables for the report.

:func:`analyse` is the one entry point used by ``parley report`` and ``parley demo``: it runs the
stakeholder models with Monte Carlo bands (:mod:`parley.analysis.stakeholder_bands`) and, when the scenario
has a ``war`` section, the comparison of assumption sets x
policies with sensitivity and scenario discovery (:mod:`parley.analysis.war_analysis`). Everything it returns
is plain data (pandas frames and numbers), so that the text, the figures and the tests read the same
numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from parley.analysis.stakeholder_bands import StakeholderAnalysis, analyse_stakeholders
from parley.analysis.trust import Trust, TrustSizes, assess
from parley.analysis.war_analysis import WarAnalysis, WarSizes, analyse_war
from parley.negotiation.registry import StakeholderModel
from parley.scenario.schema import Scenario
from parley.scenario.stated_ranges import input_ranges
from parley.seeds import DEFAULT_SEED


@dataclass(frozen=True)
class Analysis:
    """Everything a report shows, as data.

    Attributes
    ----------
    scenario_id, title, question, start_date:
        From the scenario (``question`` is its description).
    issues:
        One row per issue: ``id, name, unit, scale_min, scale_max, reference, labels`` (labels is a
        list of ``(value, text)`` pairs).
    actors:
        One row per actor: ``id, name, capability``.
    parameters:
        Every input with its value, stated range and source: ``parameter, value, low, high, source``.
    stakeholder:
        Forecasts and position paths of the stakeholder models, or None if none could run.
    war:
        The war-simulation analysis (:class:`parley.analysis.war_analysis.WarAnalysis`), or None.
    n_runs, seed:
        Monte Carlo size and seed, so that the report can be reproduced.
    headline:
        The question in one line (``metadata.report.question``), shown first.
    trust:
        The checks of the box "how far to trust this" (:class:`parley.analysis.trust.Trust`), or
        None when they were not run.
    notes:
        Plain-language notes on what was left out (e.g. a model that failed).
    """

    scenario_id: str
    title: str
    question: str
    start_date: str | None
    issues: pd.DataFrame
    actors: pd.DataFrame
    parameters: pd.DataFrame
    stakeholder: StakeholderAnalysis | None
    war: WarAnalysis | None
    n_runs: int
    seed: int
    notes: tuple[str, ...] = ()
    trust: Trust | None = None
    headline: str = ""


def issues_frame(scenario: Scenario) -> pd.DataFrame:
    """One row per issue with its scale and labelled points."""
    return pd.DataFrame(
        [
            {
                "id": i.id,
                "name": i.name or i.id,
                "unit": i.unit,
                "scale_min": i.scale_min,
                "scale_max": i.scale_max,
                "reference": math.nan if i.reference_point is None else i.reference_point,
                "labels": [(p.value, p.label) for p in i.labels],
                "source": i.source,
            }
            for i in scenario.issues
        ]
    )


def stakeholder_parameters(scenario: Scenario) -> pd.DataFrame:
    """Every stakeholder input (capabilities, positions, saliences, reference points) with sources."""
    r = input_ranges(scenario)
    rows: list[dict[str, Any]] = []
    for a, actor in enumerate(scenario.actors):
        key = f"{actor.id}.capability"
        rows.append(
            {
                "parameter": f"actors.{key}",
                "value": actor.capability,
                "low": float(r.capability_lo[a]),
                "high": float(r.capability_hi[a]),
                "source": r.sources.get(key, ""),
            }
        )
        for k, issue in enumerate(scenario.issues):
            stance = actor.positions.get(issue.id)
            if stance is None:
                continue
            for what, value, lo, hi in (
                ("position", stance.position, r.position_lo, r.position_hi),
                ("salience", stance.salience, r.salience_lo, r.salience_hi),
            ):
                key = f"{actor.id}.{issue.id}.{what}"
                rows.append(
                    {
                        "parameter": f"actors.{actor.id}.positions.{issue.id}.{what}",
                        "value": value,
                        "low": float(lo[a, k]),
                        "high": float(hi[a, k]),
                        "source": r.sources.get(key, ""),
                    }
                )
    for issue in scenario.issues:
        if issue.reference_point is not None:
            rows.append(
                {
                    "parameter": f"issues.{issue.id}.reference_point",
                    "value": issue.reference_point,
                    "low": issue.reference_point,
                    "high": issue.reference_point,
                    "source": issue.source,
                }
            )
    return pd.DataFrame(rows, columns=["parameter", "value", "low", "high", "source"])


def analyse(
    scenario: Scenario,
    n_runs: int = 200,
    seed: int = DEFAULT_SEED,
    *,
    models: Mapping[str, StakeholderModel] | None = None,
    war: bool = True,
    war_runs: int | None = None,
    war_sizes: WarSizes | None = None,
    trust_sizes: TrustSizes | None = None,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    """Run every analysis the scenario supports and collect the results as tidy tables.

    ``n_runs`` Monte Carlo draws are used for the stakeholder bands; the war comparison uses
    ``war_runs`` runs per cell (default ``n_runs``); ``war_sizes`` (a
    :class:`parley.analysis.war_analysis.WarSizes`) sets every Monte Carlo size of the war part and
    ``trust_sizes`` (a :class:`parley.analysis.trust.TrustSizes`) those of the box "how far to trust
    this" (run only with the war part). Seeds are spawned from one
    :class:`numpy.random.SeedSequence`, so the whole report is reproducible from ``seed``.
    ``progress`` is called with the name of each stage as it starts.
    """
    if n_runs < 1:
        raise ValueError("n_runs must be at least 1")
    ss_stake, ss_war, ss_trust = np.random.SeedSequence(seed).spawn(3)
    tell = progress or (lambda _stage: None)
    notes: list[str] = []
    tell("stakeholder models")
    stake = analyse_stakeholders(scenario, n_runs, ss_stake, models)
    for model_id, message in stake.failed.items():
        notes.append(f"The {model_id} model could not run on this scenario ({message}).")
    if stake.forecasts.empty:
        notes.append("No stakeholder model could be run (none is installed or all failed).")
    war_result: WarAnalysis | None = None
    if war and scenario.war is not None:
        tell("war comparison")
        war_result, war_notes = analyse_war(scenario, war_runs or n_runs, ss_war, sizes=war_sizes)
        notes.extend(war_notes)
    trust = None
    if war_result is not None:
        tell("forecast skill and reference class")
        trust = assess(
            scenario,
            list(war_result.policies["policy"]),
            int(ss_trust.generate_state(1)[0]),
            trust_sizes or TrustSizes.for_runs(war_result.n_runs),
        )
    params = stakeholder_parameters(scenario)
    if war_result is not None:
        params = pd.concat([war_result.parameters, params], ignore_index=True)
    return scenario_analysis(
        scenario,
        parameters=params,
        stakeholder=None if stake.forecasts.empty else stake,
        war=war_result,
        trust=trust,
        n_runs=n_runs,
        seed=seed,
        notes=notes,
    )


def scenario_analysis(
    scenario: Scenario,
    *,
    parameters: pd.DataFrame,
    stakeholder: StakeholderAnalysis | None = None,
    war: WarAnalysis | None = None,
    trust: Trust | None = None,
    n_runs: int = 1,
    seed: int = DEFAULT_SEED,
    notes: Sequence[str] = (),
) -> Analysis:
    """The report's :class:`Analysis` of ``scenario`` holding the parts given: what
    :func:`analyse` returns, and what the dashboard renders from a war run of its own."""
    actors = [
        {"id": a.id, "name": a.name or a.id, "capability": a.capability} for a in scenario.actors
    ]
    meta = dict((scenario.metadata or {}).get("report", {}) or {})
    return Analysis(
        scenario_id=scenario.id,
        title=scenario.name or scenario.id,
        question=scenario.description,
        start_date=scenario.start_date,
        issues=issues_frame(scenario),
        actors=pd.DataFrame(actors),
        parameters=parameters,
        stakeholder=stakeholder,
        war=war,
        n_runs=n_runs,
        seed=seed,
        notes=tuple(notes),
        trust=trust,
        headline=str(meta.get("question", "")),
    )
