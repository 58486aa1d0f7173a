"""Experimental designs: uncertain points × (policy, assumption-set) cells × Monte Carlo replicates.

A :class:`Design` holds

- one matrix of unit-cube points ``unit`` (``n_points × n_columns``), shared by every cell, so that
  every policy and every assumption set sees the same draws of the uncertain inputs;
- the cells: each a policy (its levers are fixed values) combined with zero or more assumption sets
  (applied left to right; a later set wins where two set the same path; a number fixes a
  parameter, a distribution replaces its marginal);
- ``runs_per_point`` stochastic replicates of the simulator at every point;
- a chunking of points, and a root seed. Chunk ``k`` of every cell gets the seed
  ``SeedSequence(seed, spawn_key=(k,))`` whatever the cell, so policies are compared under common
  random numbers (war-model §8), and a chunk's result does not depend on which executor ran it, in
  which order, or whether the sweep was resumed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.experiments.distributions import Distribution, fixed, from_spec
from parley.experiments.samplers import (
    apply_copulas,
    morris_sample,
    saltelli_sample,
    to_values,
    unit_sample,
)
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario

FloatArray = NDArray[np.float64]

#: Sampling designs accepted by :func:`make_design`.
DESIGNS = ("mc", "lhs", "sobol", "saltelli", "morris", "given")

BASELINE = "baseline"


@dataclass(frozen=True)
class Cell:
    """One combination of a policy with assumption sets.

    Attributes
    ----------
    policy:
        Policy name (``"baseline"`` for none).
    assumptions:
        Names of the assumption sets applied, in order.
    dists:
        The marginal of every design column in this cell (a point mass where fixed).
    fixed:
        Path -> value of levers and numeric overrides that are not design columns.
    """

    policy: str
    assumptions: tuple[str, ...]
    dists: tuple[Distribution, ...]
    fixed: tuple[tuple[str, float], ...]

    @property
    def label(self) -> str:
        """``policy`` or ``policy|set1+set2``."""
        return self.policy + ("|" + "+".join(self.assumptions) if self.assumptions else "")


@dataclass(frozen=True)
class Design:
    """Points, cells, replicates, chunking and the root seed of one sweep."""

    names: tuple[str, ...]
    unit: FloatArray
    cells: tuple[Cell, ...]
    runs_per_point: int
    chunk_points: int
    seed: int
    method: str
    groups: tuple[tuple[tuple[int, ...], tuple[tuple[float, ...], ...]], ...] = ()
    options: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def n_points(self) -> int:
        """Number of points in the design."""
        return int(self.unit.shape[0])

    @property
    def n_point_chunks(self) -> int:
        """Chunks per cell."""
        return -(-self.n_points // self.chunk_points)

    @property
    def n_chunks(self) -> int:
        """Chunks in the whole sweep (cells × point chunks)."""
        return len(self.cells) * self.n_point_chunks

    def values(self, cell: int) -> FloatArray:
        """Parameter values ``(n_points, n_columns)`` of one cell (copula, then marginals)."""
        groups = [(cols, np.asarray(m)) for cols, m in self.groups]
        u = apply_copulas(self.unit, groups)
        tail = float(dict(self.options).get("tail", 0.0))
        if self.method == "morris" and tail > 0:
            u = tail + u * (1.0 - 2.0 * tail)
        return to_values(u, self.cells[cell].dists)

    def chunk(self, index: int) -> tuple[int, int, int]:
        """``(cell, first_point, stop_point)`` of chunk ``index``."""
        cell, k = divmod(index, self.n_point_chunks)
        start = k * self.chunk_points
        return cell, start, min(start + self.chunk_points, self.n_points)

    def chunk_seed(self, index: int) -> np.random.SeedSequence:
        """The chunk's seed: the same for chunk ``k`` of every cell (common random numbers)."""
        k = index % self.n_point_chunks
        return np.random.SeedSequence(self.seed, spawn_key=(k,))

    def chunk_params(self, index: int) -> dict[str, FloatArray]:
        """Per-run parameters of chunk ``index``: every point repeated ``runs_per_point`` times."""
        cell, start, stop = self.chunk(index)
        vals = self.values(cell)[start:stop]
        reps = self.runs_per_point
        out: dict[str, FloatArray] = {}
        for j, name in enumerate(self.names):
            if np.all(np.isnan(vals[:, j])):  # not varied in this cell: the scenario's own value
                continue
            out[name] = np.repeat(vals[:, j], reps)
        n = (stop - start) * reps
        for path, value in self.cells[cell].fixed:
            out[path] = np.full(n, value)
        return out

    def describe(self) -> dict[str, Any]:
        """A JSON-able description (for the manifest and the resume key)."""
        return {
            "method": self.method,
            "names": list(self.names),
            "n_points": self.n_points,
            "runs_per_point": self.runs_per_point,
            "chunk_points": self.chunk_points,
            "seed": self.seed,
            "cells": [
                {
                    "policy": c.policy,
                    "assumptions": list(c.assumptions),
                    "dists": [[d.kind, [list(p) for p in d.params]] for d in c.dists],
                    "fixed": [list(f) for f in c.fixed],
                }
                for c in self.cells
            ],
            "groups": [[list(c), [list(r) for r in m]] for c, m in self.groups],
            "options": {k: v for k, v in self.options},
            "unit_sha256": hashlib.sha256(np.ascontiguousarray(self.unit).tobytes()).hexdigest(),
        }

    def key(self) -> str:
        """A hash identifying the design (same key -> same results)."""
        blob = json.dumps(self.describe(), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def parse_combo(text: str) -> tuple[str, ...]:
    """``"a+b"`` -> ``("a", "b")``; ``""`` or ``"none"`` -> ``()``."""
    if text.strip() in ("", "none", BASELINE):
        return ()
    return tuple(p.strip() for p in text.split("+") if p.strip())


def _cell(
    scenario: Scenario,
    names: Sequence[str],
    base: Mapping[str, Distribution],
    policy: str,
    combo: Sequence[str],
) -> Cell:
    spec = scenario.experiment
    dists = dict(base)
    fixed_vals: dict[str, float] = {}
    if policy != BASELINE:
        if spec is None or policy not in spec.policies:
            known = ", ".join(sorted(spec.policies)) if spec else "none"
            raise ScenarioError(
                f"unknown policy '{policy}' (policies in the scenario: {known})",
                field="experiment.policies",
            )
        for path, lever in spec.policies[policy].levers.items():
            fixed_vals[path] = float(lever)
    for name in combo:
        if spec is None or name not in spec.assumptions:
            known = ", ".join(sorted(spec.assumptions)) if spec else "none"
            raise ScenarioError(
                f"unknown assumption set '{name}' (assumption sets in the scenario: {known})",
                field="experiment.assumptions",
            )
        for path, value in spec.assumptions[name].overrides.items():
            if isinstance(value, int | float):
                if path in dists:
                    dists[path] = fixed(float(value))
                else:
                    fixed_vals[path] = float(value)
            else:
                dists[path] = from_spec(value)
                fixed_vals.pop(path, None)
    col_dists = []
    for n in names:
        if n in fixed_vals:  # a lever fixes an uncertain parameter
            col_dists.append(fixed(fixed_vals.pop(n)))
        else:
            col_dists.append(dists.get(n, base.get(n, fixed(float("nan")))))
    return Cell(policy, tuple(combo), tuple(col_dists), tuple(sorted(fixed_vals.items())))


def make_design(
    scenario: Scenario,
    *,
    policies: Sequence[str] = (BASELINE,),
    combos: Sequence[Sequence[str]] = ((),),
    method: str = "mc",
    n_points: int = 1,
    runs_per_point: int = 100,
    chunk_points: int | None = None,
    seed: int = 0,
    calc_second_order: bool = False,
    num_levels: int = 4,
    tail: float = 0.01,
    unit: FloatArray | None = None,
) -> Design:
    """Build a full-factorial design: every policy × every assumption combination.

    ``n_points`` is the number of points for ``mc``/``lhs``/``sobol``, the base sample ``N`` for
    ``saltelli`` (giving ``N (d + 2)`` points) and the number of trajectories for ``morris``; with
    ``method="given"`` the unit points are passed in ``unit``. Morris grid points are mapped to the
    ``[tail, 1 - tail]`` quantiles, so unbounded marginals stay finite. Correlations (Gaussian
    copula) apply to ``mc``, ``lhs`` and ``sobol`` designs only: Sobol' and Morris indices and
    one-at-a-time swings assume independent inputs. Columns are the scenario's uncertain
    parameters followed by any path an assumption set gives a distribution.
    """
    spec = scenario.experiment
    base = {p: from_spec(d) for p, d in (spec.uncertainties.items() if spec else [])}
    names = list(base)
    for combo in combos:
        for name in combo:
            if spec is not None and name in spec.assumptions:
                for path, value in spec.assumptions[name].overrides.items():
                    if not isinstance(value, int | float) and path not in names:
                        names.append(path)
    d = len(names)
    if runs_per_point < 1:
        raise ValueError("runs_per_point must be >= 1")
    root = np.random.SeedSequence(seed)
    design_ss, _ = root.spawn(2)
    if method == "given":
        if unit is None or unit.ndim != 2 or unit.shape[1] != d:
            raise ValueError(f"method 'given' needs unit points of shape (n, {d})")
        u = np.asarray(unit, dtype=float)
    elif method == "saltelli":
        u = saltelli_sample(n_points, d, design_ss, calc_second_order=calc_second_order)
    elif method == "morris":
        u = morris_sample(n_points, d, design_ss, num_levels=num_levels)
    else:
        u = unit_sample(method, n_points, d, design_ss)
    if d == 0:
        u = np.zeros((max(n_points, 1), 0))
    groups: list[tuple[tuple[int, ...], tuple[tuple[float, ...], ...]]] = []
    if spec is not None and method in ("mc", "lhs", "sobol"):
        for g in spec.correlations:
            cols = tuple(names.index(p) for p in g.params)
            groups.append((cols, tuple(tuple(r) for r in g.matrix)))
    cells = tuple(_cell(scenario, names, base, p, tuple(c)) for p in policies for c in combos)
    cp = chunk_points or max(1, min(u.shape[0], max(1, 20_000 // runs_per_point)))
    opts: tuple[tuple[str, Any], ...] = (
        ("calc_second_order", calc_second_order),
        ("num_levels", num_levels),
        ("tail", tail),
    )
    return Design(
        names=tuple(names),
        unit=u,
        cells=cells,
        runs_per_point=runs_per_point,
        chunk_points=cp,
        seed=seed,
        method=method,
        groups=tuple(groups),
        options=opts,
    )


def policy_overrides(
    sc: Scenario, policy: str | None, assumptions: str | None, runs: int, seed: int
) -> dict[str, Any]:
    """Per-run overrides for one policy under one assumption set (both optional).

    Parameters
    ----------
    sc : Scenario
        The scenario with an ``experiment`` section.
    policy : str, optional
        A policy of ``experiment.policies``: its levers, as fixed values.
    assumptions : str, optional
        An assumption set, or ``"baseline"``: ``runs`` draws of the uncertain parameters under
        it (with the policy's levers), from a Monte Carlo design seeded by ``seed``.
    runs, seed : int
        Number of runs and root seed of the draws.

    Returns
    -------
    dict
        Dotted path -> value (a float or an array of shape ``(runs,)``), as
        :func:`parley.war.params.compile_war` takes them.
    """
    if policy is None and assumptions is None:
        return {}
    if assumptions is None:
        spec = sc.experiment
        if spec is None or policy not in spec.policies:
            known = ", ".join(sorted(spec.policies)) if spec else "none"
            raise ScenarioError(
                f"unknown policy '{policy}' (policies in the scenario: {known})",
                field="experiment.policies",
            )
        return {k: float(v) for k, v in spec.policies[policy].levers.items()}
    combo = () if assumptions == BASELINE else (assumptions,)
    design = make_design(
        sc, policies=[policy or BASELINE], combos=[combo], method="mc", n_points=runs,
        runs_per_point=1, chunk_points=runs, seed=seed,
    )  # fmt: skip
    return dict(design.chunk_params(0))
