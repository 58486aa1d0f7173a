"""End-to-end analyses behind ``parley compare``, ``parley sensitivity`` and ``parley discover``.

Each builds a design from the scenario's ``experiment`` section, runs it as a (stored, resumable)
sweep on the chosen executor, and applies one analysis of this package to the per-run rows.
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
from parley.analysis.discovery import PrimResult, prim
from parley.analysis.expressions import evaluate_text, parse, refs
from parley.analysis.sensitivity import SensitivityResult, morris, oat, oat_unit, sobol
from parley.experiments.design import BASELINE, make_design
from parley.experiments.sweep import SweepResult, run_sweep
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RunOptions:
    """How to run a sweep: model, executor, store."""

    model: str
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


def compare(
    scenario: Scenario,
    policies: Sequence[str],
    opts: RunOptions,
    *,
    combos: Sequence[Sequence[str]] = ((),),
    runs: int = 1000,
    seed: int = 0,
    expressions: Sequence[str] = (),
    conf: float = 0.95,
) -> tuple[pd.DataFrame, SweepResult]:
    """Paired differences of every measure between the policies (the first is the reference).

    Runs a Monte Carlo design of ``runs`` points (one simulation each) for every policy x
    assumption combination, all cells on the same draws and seeds (common random numbers).

    Returns ``(table, sweep)``: ``table`` is :func:`parley.analysis.compare.compare_policies`'s
    tidy frame, one row per (assumptions, policy, measure) with columns ``assumptions`` (``"baseline"``
    for none), ``reference``, ``policy``, ``measure``, ``mean_reference``, ``mean_policy`` (means
    over the runs where the measure is defined), ``difference``, ``ci_low``, ``ci_high``, ``se``,
    ``n_pairs`` (paired t interval over pairs where both runs define it) and
    ``unpaired_ci_low``/``unpaired_ci_high`` (Welch); ``sweep`` is the
    :class:`~parley.experiments.sweep.SweepResult` (per-run rows, design, run id if stored).
    """
    if len(policies) < 2:
        raise ScenarioError("compare needs at least two policies (--policy A --policy B)")
    sw = _sweep(
        scenario,
        opts,
        "compare",
        1,
        policies=policies,
        combos=combos,
        method="mc",
        n_points=runs,
        seed=seed,
    )
    return compare_policies(sw.frame, policies, expressions=expressions, conf=conf), sw


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
    scenario: Scenario,
    method: str,
    outcome: str,
    opts: RunOptions,
    *,
    policy: str = BASELINE,
    combo: Sequence[str] = (),
    n: int = 256,
    runs_per_point: int = 10,
    seed: int = 0,
    num_levels: int = 4,
    oat_low: float = 0.05,
    oat_high: float = 0.95,
) -> tuple[SensitivityResult, SweepResult]:
    """Sobol' (``n`` base samples), Morris (``n`` trajectories) or one-at-a-time swings of the
    mean of ``outcome`` over ``runs_per_point`` simulations per point.

    Returns ``(result, sweep)``: ``result`` is a
    :class:`~parley.analysis.sensitivity.SensitivityResult` whose ``table`` has one row per
    uncertain parameter — Sobol': ``parameter, S1, S1_conf, ST, ST_conf, note``; Morris:
    ``parameter, mu, mu_star, sigma, mu_star_conf`` (sorted by ``mu_star``); OAT: ``parameter,
    low_value, high_value, base_value, y_low, y_base, y_high, swing`` (sorted by ``swing``) — and
    whose ``notes`` explain negative, unstable or noise-diluted indices; ``sweep`` is the
    :class:`~parley.experiments.sweep.SweepResult`. Unknown ``method``: :class:`ScenarioError`.
    """
    policies = _policies_in(outcome, [policy])
    spec = scenario.experiment
    if spec is None or not spec.uncertainties:
        raise ScenarioError(
            "sensitivity needs uncertain parameters: add experiment.uncertainties to the scenario"
        )
    names = list(spec.uncertainties)
    design: dict[str, Any]
    if method == "sobol":
        design = {"method": "saltelli", "n_points": n}
    elif method == "morris":
        design = {"method": "morris", "n_points": n, "num_levels": num_levels}
    elif method == "oat":
        unit = oat_unit(len(sw_names(scenario, combo)), oat_low, oat_high)
        design = {"method": "given", "unit": unit, "n_points": 1}
    else:
        raise ScenarioError(f"unknown method '{method}', expected sobol, morris or oat")
    sw = _sweep(
        scenario,
        opts,
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
    return res, sw


def sw_names(scenario: Scenario, combo: Sequence[str]) -> list[str]:
    """The design columns for one assumption combination (for sizing given designs)."""
    return list(make_design(scenario, combos=[combo], n_points=1, runs_per_point=1).names)


def discover(
    scenario: Scenario,
    outcome: str,
    opts: RunOptions,
    *,
    policies: Sequence[str] = (),
    combo: Sequence[str] = (),
    n: int = 1000,
    runs_per_point: int = 10,
    seed: int = 0,
    threshold: float = 0.8,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> tuple[PrimResult, pd.DataFrame, SweepResult]:
    """PRIM over the uncertain parameters for the points where ``outcome`` holds (Latin hypercube
    of ``n`` points; ``y`` = share of replicates where it holds, or the outcome's mean).

    Returns ``(prim_result, points, sweep)``: ``prim_result`` is a
    :class:`~parley.analysis.discovery.PrimResult` (``trajectory`` with ``step, coverage,
    density, mass, n, n_restricted`` and, for a pasted box, ``pasted_from``; ``chosen``; ``box()``
    with ``parameter, low, high, restricted``; ``note``); ``points`` is a frame of the varied
    parameters per design point plus ``outcome`` (the share in [0, 1]); ``sweep`` is the
    :class:`~parley.experiments.sweep.SweepResult`. Policies named in ``outcome`` (``m@policy``)
    are added to ``policies``. An outcome outside [0, 1] raises :class:`ScenarioError`.
    """
    pols = _policies_in(outcome, policies)
    sw = _sweep(
        scenario,
        opts,
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
    return res, points, sw
