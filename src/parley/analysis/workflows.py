"""End-to-end analyses behind ``parley compare``, ``parley sensitivity`` and ``parley discover``.

Each builds a design from the scenario's ``experiment`` section, runs it as a sweep on the chosen
executor — in memory by default, stored and resumable in a run store when
:attr:`RunOptions.results` names one — and applies one analysis of this package to the per-run
rows. All three return an :class:`ExperimentResult`: the design points (inputs), the per-run
outcomes, both joined in :attr:`ExperimentResult.data`, and the analysis table (the way the EMA
Workbench's ``perform_experiments`` returns experiments and outcomes together).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.analysis.compare import compare_policies, measures, paired_table
from parley.analysis.discovery import prim
from parley.analysis.experiment_result import ExperimentResult
from parley.analysis.expressions import evaluate_text, parse, refs
from parley.analysis.sensitivity import morris, oat, oat_unit, sobol
from parley.experiments.design import BASELINE, make_design
from parley.experiments.sweep import SweepResult, run_sweep

__all__ = ["ExperimentResult", "RunOptions", "compare", "discover", "point_outcomes", "sensitivity"]
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RunOptions:
    """How to run a sweep: model, executor, store.

    Attributes
    ----------
    model : str or callable
        ``"war"`` (default), a stakeholder model id, ``"module:function"`` or an experiment model
        function (:mod:`parley.experiments.models`).
    model_options : mapping, optional
        Keyword arguments passed to the model.
    executor : str
        ``"local"``, ``"process"`` or ``"dask"``.
    workers : int
        Workers of the process or Dask executor.
    scheduler : str, optional
        Dask scheduler address.
    results : str or Path, optional
        Run store directory; ``None`` (default) keeps the sweep in memory only.
    resume : bool
        Continue the latest interrupted identical run of the store.
    progress : bool
        Show a progress bar.
    chunk_runs : int
        Runs per stored chunk.
    """

    model: str = "war"
    model_options: Mapping[str, Any] | None = None
    executor: str = "local"
    workers: int = 2
    scheduler: str | None = None
    results: str | Path | None = None
    resume: bool = False
    progress: bool = False
    chunk_runs: int = 2000


def _sweep(
    scenario: Scenario, opts: RunOptions, kind: str, runs_per_point: int, **design: Any
) -> SweepResult:
    d = make_design(
        scenario,
        runs_per_point=runs_per_point,
        chunk_points=max(1, opts.chunk_runs // runs_per_point),
        **design,
    )
    return run_sweep(
        scenario,
        d,
        opts.model,
        model_options=opts.model_options,
        executor=opts.executor,
        workers=opts.workers,
        scheduler=opts.scheduler,
        results=opts.results,
        resume=opts.resume,
        progress=opts.progress,
        kind=kind,
    )


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def compare(
    scenario: Scenario | str | Path,
    policies: Sequence[str],
    opts: RunOptions | None = None,
    *,
    combos: Sequence[Sequence[str]] = ((),),
    runs: int = 1000,
    seed: int = DEFAULT_SEED,
    expressions: Sequence[str] = (),
    conf: float = 0.95,
) -> ExperimentResult:
    """Paired differences of every measure between the policies (the first is the reference).

    Runs a Monte Carlo design of ``runs`` points (one simulation each) for every policy x
    assumption combination, all cells on the same draws and seeds (common random numbers).

    Parameters
    ----------
    scenario : Scenario, str or Path
        The scenario (or its file) with an ``experiment`` section naming the policies.
    policies : sequence of str
        At least two policy names; the first is the reference.
    opts : RunOptions, optional
        Model, executor and store; the war model in memory by default.
    combos : sequence of sequence of str
        Assumption-set combinations; ``()`` is the baseline.
    runs : int
        Paired runs per policy and combination.
    seed : int
        Root seed (same seed, same results).
    expressions : sequence of str
        Extra measures as outcome expressions (:mod:`parley.analysis.expressions`).
    conf : float
        Confidence level of the intervals.

    Returns
    -------
    ExperimentResult
        ``table`` is :func:`parley.analysis.compare.compare_policies`'s tidy frame, one row per
        (assumptions, policy, measure) with columns ``assumptions`` (``"baseline"`` for none),
        ``reference``, ``policy``, ``measure``, ``mean_reference``, ``mean_policy`` (means over
        the runs where the measure is defined), ``difference``, ``ci_low``, ``ci_high``, ``se``,
        ``n_pairs`` (paired t interval over pairs where both runs define it) and
        ``unpaired_ci_low``/``unpaired_ci_high`` (Welch).
    """
    sc = _scenario(scenario)
    if len(policies) < 2:
        raise ScenarioError("compare needs at least two policies (--policy A --policy B)")
    sw = _sweep(
        sc,
        opts or RunOptions(),
        "compare",
        1,
        policies=policies,
        combos=combos,
        method="mc",
        n_points=runs,
        seed=seed,
    )
    table = compare_policies(sw.frame, policies, expressions=expressions, conf=conf)
    return ExperimentResult("compare", table, sw)


def _columns(frame: pd.DataFrame, combo: str) -> dict[str, FloatArray]:
    sub = frame[frame.assumptions == combo]
    cols = measures(sub)
    wide = paired_table(sub.assign(**{c: sub[c].astype(float) for c in cols}), cols)
    out = {c: wide[c].to_numpy(dtype=float) for c in wide.columns}
    out["__point"] = wide.index.get_level_values("point").to_numpy(dtype=float)
    return out


def point_outcomes(
    frame: pd.DataFrame, expr: str, policies: Sequence[str], combo: str = ""
) -> tuple[FloatArray, float]:
    """Mean of ``expr`` over the replicates of every point, and the share of noise variance.

    Returns ``(means, noise_share)``: ``means`` is a float array of shape ``(n_points,)`` in
    design-point order (for the assumption combination ``combo``, ``"a+b"``; ``""`` for none);
    bare names in ``expr`` read ``policies[0]``, ``name@policy`` another policy, paired run by
    run. The noise share is mean within-point variance / replicates, over the variance of the
    point means (0 for deterministic models or one replicate per point).
    """
    cols = _columns(frame, combo)
    point = cols.pop("__point").astype(int)
    v = evaluate_text(expr, cols, default_policy=policies[0])
    v = np.broadcast_to(v, point.shape).astype(float)
    df = pd.DataFrame({"point": point, "v": v})
    g = df.groupby("point").v
    means = g.mean().to_numpy(dtype=float)
    reps = int(g.size().max())
    total = float(np.var(means))
    noise = float(np.nanmean(g.var(ddof=1).to_numpy())) / reps if reps > 1 else 0.0
    return means, (noise / total if total > 0 else 0.0)


def _policies_in(expr: str, default: Sequence[str]) -> list[str]:
    named = sorted({r.policy for r in refs(parse(expr)) if r.policy})
    return list(dict.fromkeys([*default, *named])) or [BASELINE]


def sensitivity(
    scenario: Scenario | str | Path,
    method: str,
    outcome: str,
    opts: RunOptions | None = None,
    *,
    policy: str = BASELINE,
    combo: Sequence[str] = (),
    n: int = 256,
    runs_per_point: int = 10,
    seed: int = DEFAULT_SEED,
    num_levels: int = 4,
    oat_low: float = 0.05,
    oat_high: float = 0.95,
) -> ExperimentResult:
    """Which uncertain inputs drive the mean of an outcome: Sobol', Morris or one-at-a-time.

    Parameters
    ----------
    scenario : Scenario, str or Path
        The scenario (or its file) with ``experiment.uncertainties``.
    method : {"sobol", "morris", "oat"}
        Sobol' indices (Saltelli design of ``n`` base samples), Morris elementary effects
        (``n`` trajectories) or one-at-a-time swings.
    outcome : str
        Outcome expression whose mean over ``runs_per_point`` simulations is analysed.
    opts : RunOptions, optional
        Model, executor and store; the war model in memory by default.
    policy : str
        Policy in force (``"baseline"`` for none).
    combo : sequence of str
        Assumption sets in force.
    n, runs_per_point, seed : int
        Design size, simulations per point, root seed.
    num_levels : int
        Morris grid levels.
    oat_low, oat_high : float
        Quantiles of the one-at-a-time swings.

    Returns
    -------
    ExperimentResult
        ``detail`` is a :class:`~parley.analysis.sensitivity.SensitivityResult` (``notes``
        explain negative, unstable or noise-diluted indices); ``table`` has one row per uncertain
        parameter — Sobol': ``parameter, S1, S1_conf, ST, ST_conf, note``; Morris: ``parameter,
        mu, mu_star, sigma, mu_star_conf`` (sorted by ``mu_star``); OAT: ``parameter, low_value,
        high_value, base_value, y_low, y_base, y_high, swing`` (sorted by ``swing``).

    Raises
    ------
    ScenarioError
        Unknown ``method``, or no uncertain parameters.
    """
    sc = _scenario(scenario)
    policies = _policies_in(outcome, [policy])
    spec = sc.experiment
    if spec is None or not spec.uncertainties:
        raise ScenarioError(
            "sensitivity needs uncertain parameters: add experiment.uncertainties to the scenario"
        )
    design: dict[str, Any]
    if method == "sobol":
        design = {"method": "saltelli", "n_points": n}
    elif method == "morris":
        design = {"method": "morris", "n_points": n, "num_levels": num_levels}
    elif method == "oat":
        unit = oat_unit(len(sw_names(sc, combo)), oat_low, oat_high)
        design = {"method": "given", "unit": unit, "n_points": 1}
    else:
        raise ScenarioError(f"unknown method '{method}', expected sobol, morris or oat")
    sw = _sweep(
        sc,
        opts or RunOptions(),
        "sensitivity",
        runs_per_point,
        policies=policies,
        combos=[combo],
        seed=seed,
        **design,
    )
    names = list(sw.design.names)
    y, noise = point_outcomes(sw.frame, outcome, policies, "+".join(combo))
    if method == "sobol":
        res = sobol(y, names, noise_share=noise, seed=seed)
    elif method == "morris":
        res = morris(sw.design.unit, y, names, num_levels=num_levels, seed=seed)
    else:
        res = oat(sw.design.values(0), y, names)
    return ExperimentResult("sensitivity", res.table, sw, detail=res)


def sw_names(scenario: Scenario, combo: Sequence[str]) -> list[str]:
    """The design columns for one assumption combination (for sizing given designs)."""
    return list(make_design(scenario, combos=[combo], n_points=1, runs_per_point=1).names)


def discover(
    scenario: Scenario | str | Path,
    outcome: str,
    opts: RunOptions | None = None,
    *,
    policies: Sequence[str] = (),
    combo: Sequence[str] = (),
    n: int = 1000,
    runs_per_point: int = 10,
    seed: int = DEFAULT_SEED,
    threshold: float = 0.8,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> ExperimentResult:
    """Scenario discovery: PRIM boxes of the uncertain parameters where ``outcome`` holds.

    A Latin hypercube of ``n`` points, ``runs_per_point`` simulations each; a point's ``y`` is
    the share of replicates where the outcome holds (or the outcome's mean, in [0, 1]).

    Parameters
    ----------
    scenario : Scenario, str or Path
        The scenario (or its file) with ``experiment.uncertainties``.
    outcome : str
        A condition (``"settled_by_365d"``, ``"y@concede > y@hold - 0.5"``) or a share.
    opts : RunOptions, optional
        Model, executor and store; the war model in memory by default.
    policies : sequence of str
        Policies in force; those named in ``outcome`` (``m@policy``) are added.
    combo : sequence of str
        Assumption sets in force.
    n, runs_per_point, seed : int
        Points, simulations per point, root seed.
    threshold, alpha, min_mass : float
        PRIM's target density, peeling share and smallest box mass
        (:func:`parley.analysis.discovery.prim`).

    Returns
    -------
    ExperimentResult
        ``detail`` is a :class:`~parley.analysis.discovery.PrimResult` (``trajectory`` with
        ``step, coverage, density, mass, n, n_restricted``; ``chosen``; ``note``); ``table`` is
        its ``box()`` (``parameter, low, high, restricted``); ``points`` holds the varied
        parameters of every design point plus ``outcome`` (the share in [0, 1]).

    Raises
    ------
    ScenarioError
        No uncertain parameters, or an outcome outside [0, 1].
    """
    sc = _scenario(scenario)
    pols = _policies_in(outcome, policies)
    sw = _sweep(
        sc,
        opts or RunOptions(),
        "discover",
        runs_per_point,
        policies=pols,
        combos=[combo],
        method="lhs",
        n_points=n,
        seed=seed,
    )
    y, _ = point_outcomes(sw.frame, outcome, pols, "+".join(combo))
    x = sw.design.values(0)
    varied = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 0]
    if not varied:
        raise ScenarioError("discover needs uncertain parameters: add experiment.uncertainties")
    names = [sw.design.names[j] for j in varied]
    points = pd.DataFrame(x[:, varied], columns=names)
    points["outcome"] = y
    if np.nanmin(y) < 0 or np.nanmax(y) > 1:
        raise ScenarioError(
            f"the outcome '{outcome}' must be a condition (true/false) or a share in [0, 1] for "
            f"PRIM; write it as a comparison, e.g. '{outcome} > 0'"
        )
    res = prim(x[:, varied], y, names, threshold=threshold, alpha=alpha, min_mass=min_mass)
    return ExperimentResult("discover", res.box(), sw, detail=res, points=points)
