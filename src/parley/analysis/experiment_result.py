"""The one result of an experiment workflow (:mod:`parley.analysis.workflows`).

Inputs (the design points), outcomes (one row per run) and the analysis travel together, as the
EMA Workbench's ``perform_experiments`` returns experiments and outcomes together.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parley.analysis.discovery import PrimResult
from parley.analysis.sensitivity import SensitivityResult
from parley.experiments.sweep import SweepResult


@dataclass(frozen=True)
class ExperimentResult:
    """What an experiment workflow returns: its inputs, its outcomes and its analysis.

    Attributes
    ----------
    kind : str
        ``"compare"``, ``"sensitivity"`` or ``"discover"``.
    table : pandas.DataFrame
        The analysis: the comparison table of :func:`compare`, the index table of
        :func:`sensitivity` or the PRIM box of :func:`discover` (see each function).
    sweep : SweepResult
        The sweep: per-run rows (``sweep.frame``), design and, when stored, run id.
    detail : SensitivityResult or PrimResult or None
        The full analysis object of :func:`sensitivity` and :func:`discover` (notes, PRIM
        trajectory); ``None`` for :func:`compare`.
    points : pandas.DataFrame or None
        :func:`discover`: the varied parameters of every design point and its ``outcome``.
    """

    kind: str
    table: pd.DataFrame
    sweep: SweepResult
    detail: SensitivityResult | PrimResult | None = None
    points: pd.DataFrame | None = None

    @property
    def run_id(self) -> str | None:
        """The run id in the store (``None`` when the sweep ran in memory)."""
        return self.sweep.run_id

    @property
    def experiments(self) -> pd.DataFrame:
        """The inputs: one row per (cell, design point) with every parameter's value — the design
        columns and the values a cell fixes (policy levers, fixed overrides; NaN in cells that do
        not set them)."""
        pts = self.sweep.points()
        fixed: dict[str, dict[str, float]] = {}
        for cell in self.sweep.design.cells:
            for path, value in cell.fixed:
                fixed.setdefault(path, {})[cell.label] = value
        for path, by_cell in fixed.items():
            if path not in pts:
                pts[path] = pts["cell"].map(by_cell).astype(float)
        return pts

    @property
    def outcomes(self) -> pd.DataFrame:
        """The outcomes: one row per run (``cell, policy, assumptions, point, replicate, run``
        and every measure of the model)."""
        return self.sweep.frame

    @property
    def data(self) -> pd.DataFrame:
        """Inputs and outcomes joined: one row per run with its parameter values."""
        keys = ["cell", "policy", "assumptions", "point"]
        return self.outcomes.merge(self.experiments, on=keys, how="left", suffixes=("", " (input)"))
