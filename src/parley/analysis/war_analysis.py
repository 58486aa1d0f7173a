"""The war analysis of a scenario: every assumption set x policy, where the conclusion flips, what
drives it.

:func:`analyse_war` runs the bargaining-while-fighting simulator (:mod:`parley.war`) through the
experiment engine (:mod:`parley.experiments`, :mod:`parley.analysis.workflows`) and returns plain
tables (:class:`WarAnalysis`), so that the report's text, its figures and the tests read the same
numbers:

- **comparison**: for each assumption set x policy, the measures of
  :mod:`parley.analysis.war_measures` with 95 % Monte Carlo intervals; policies are compared under
  common random numbers (Law 2015, §11.2), paired differences from
  :func:`parley.analysis.compare.compare_policies`;
- **curves**: P(settled by month t) and P(a settlement still holds after t years) per cell
  (:mod:`parley.analysis.curves`);
- **front**: the observed series the scenario declares (``observed.front``) up to the start date and
  the fan of the occupied area if no talks open (:mod:`parley.analysis.front_fan`);
- **scenario discovery**: PRIM (Friedman & Fisher 1999; Bryant & Lempert 2010) over the uncertain
  parameters for the cases where the scenario's conclusion holds
  (:mod:`parley.analysis.conclusion`);
- **sensitivity**: one-at-a-time swings (tornado) and Sobol' first-order and total indices
  (Saltelli et al. 2010, via SALib) of the conclusion's underlying difference;
- **robustness**: regret and satisficing shares (:mod:`parley.analysis.robustness`).

Every number is an estimate from a finite Monte Carlo sample under the stated assumptions; the
module takes no side between assumption sets or policies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from parley.analysis.compare import compare_policies
from parley.analysis.conclusion import Conclusion, conclusion_by_set, default_conclusion
from parley.analysis.curves import durability_curve, settlement_curve
from parley.analysis.discovery import PrimResult
from parley.analysis.front_fan import front_fan
from parley.analysis.observed_series import observed_front, observed_source
from parley.analysis.robustness import holds_up_table, regret_table, satisficing_table
from parley.analysis.sensitivity import SensitivityResult
from parley.analysis.war_measures import cell_measures, settle_months
from parley.analysis.workflows import RunOptions, compare, discover, sensitivity
from parley.experiments.parameter_table import assumption_table, war_parameters
from parley.experiments.war_outcomes import WAR_OUTCOMES_MODEL
from parley.scenario.report_settings import (
    combo_description,
    named_combos,
    policy_names,
    satisficing_thresholds,
)
from parley.scenario.schema import Scenario
from parley.war.politics import DAYS_PER_MONTH

#: Largest 95 % half-width of a total Sobol' index for the indices to be quoted.
SOBOL_MAX_CONF = 0.1


@dataclass(frozen=True)
class WarSizes:
    """Monte Carlo sizes of each part of the war analysis."""

    runs: int
    sobol_n: int
    sobol_reps: int
    oat_reps: int
    prim_points: int
    prim_reps: int

    @classmethod
    def for_runs(cls, n_runs: int) -> WarSizes:
        """Sizes that grow with ``n_runs`` (runs per cell of the comparison).

        Sobol' base samples are a power of two (Saltelli sampling needs one), from 4 up to 128.
        """
        n = max(1, int(n_runs))
        sobol_n = 2 ** int(np.clip(np.floor(np.log2(max(n / 4, 4))), 2, 7))
        return cls(
            runs=n,
            sobol_n=int(sobol_n),
            sobol_reps=4,
            oat_reps=max(4, n // 4),
            prim_points=max(50, n),
            prim_reps=4,
        )


@dataclass(frozen=True)
class Drivers:
    """What drives the conclusion: tornado, Sobol' indices and the PRIM box (empty if skipped)."""

    tornado: pd.DataFrame = field(default_factory=pd.DataFrame)
    sobol: pd.DataFrame = field(default_factory=pd.DataFrame)
    sobol_notes: tuple[str, ...] = ()
    prim_box: pd.DataFrame = field(default_factory=pd.DataFrame)
    prim_trajectory: pd.DataFrame = field(default_factory=pd.DataFrame)
    prim_stats: dict[str, float] = field(default_factory=dict)
    prim_note: str = ""


@dataclass(frozen=True)
class WarAnalysis:
    """Everything the war part of a report shows, as tidy tables (see the module docstring)."""

    sizes: WarSizes
    seeds: tuple[int, ...]
    step_days: float
    horizon_months: float
    sides: tuple[str, str]
    side_names: tuple[str, str]
    issues: tuple[str, ...]
    policies: pd.DataFrame
    assumption_sets: pd.DataFrame
    assumption_table: pd.DataFrame
    runs: pd.DataFrame
    cells: pd.DataFrame
    settlement_curve: pd.DataFrame
    durability_curve: pd.DataFrame
    differences: pd.DataFrame
    front_observed: pd.DataFrame
    front_fan: pd.DataFrame
    conclusion: Conclusion
    conclusion_by_set: pd.DataFrame
    tornado: pd.DataFrame
    sobol: pd.DataFrame
    sobol_notes: tuple[str, ...]
    prim_box: pd.DataFrame
    prim_trajectory: pd.DataFrame
    prim_stats: dict[str, float]
    prim_note: str
    parameters: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
    combos: dict[str, tuple[str, ...]] = field(default_factory=dict)
    regret: pd.DataFrame = field(default_factory=pd.DataFrame)
    satisficing: pd.DataFrame = field(default_factory=pd.DataFrame)
    holds_up: pd.DataFrame = field(default_factory=pd.DataFrame)
    thresholds: dict[str, float] = field(default_factory=dict)
    threshold_sources: dict[str, str] = field(default_factory=dict)
    policy_names: dict[str, str] = field(default_factory=dict)
    supporter_names: tuple[str, ...] = ()
    front_observed_source: str = ""

    @property
    def n_runs(self) -> int:
        """Runs per assumption set x policy cell."""
        return self.sizes.runs

    @property
    def comparison(self) -> pd.DataFrame:
        """The cells table (one row per assumption set, policy and measure)."""
        return self.cells

    @property
    def sobol_stable(self) -> bool:
        """Whether the Sobol' indices may be quoted: estimated, no warning from the estimator
        (first-order sum above 1, S1 above ST), and every total index known to within ±0.1."""
        if self.sobol.empty or self.sobol_notes:
            return False
        return bool((self.sobol["ST_conf"].astype(float) <= SOBOL_MAX_CONF).all())

    def estimate(self, assumptions: str, policy: str, measure: str) -> float:
        """One estimate of the cells table."""
        c = self.cells
        row = c[(c.assumptions == assumptions) & (c.policy == policy) & (c.measure == measure)]
        return float(row.estimate.iloc[0]) if len(row) else math.nan


def _seeds(ss: np.random.SeedSequence, k: int) -> tuple[int, ...]:
    return tuple(int(s) for s in ss.generate_state(k, dtype=np.uint32))


def drivers(
    scenario: Scenario, conc: Conclusion, opts: RunOptions, sz: WarSizes, seeds: tuple[int, ...]
) -> Drivers:
    """Tornado and Sobol' indices of the conclusion's difference, and the PRIM box where it holds.

    ``seeds[1:4]`` seed the one-at-a-time, Sobol' and PRIM designs.
    """
    oat = sensitivity(
        scenario, "oat", conc.difference, opts, policy=conc.policy_a, n=1,
        runs_per_point=sz.oat_reps, seed=seeds[1],
    )  # fmt: skip
    sobol_tab = pd.DataFrame()
    sobol_notes: tuple[str, ...] = ()
    if sz.sobol_n > 0:
        sob = sensitivity(
            scenario, "sobol", conc.difference, opts, policy=conc.policy_a, n=sz.sobol_n,
            runs_per_point=sz.sobol_reps, seed=seeds[2],
        )  # fmt: skip
        assert isinstance(sob.detail, SensitivityResult)
        sobol_tab, sobol_notes = sob.table, tuple(sob.detail.notes)
    found = discover(
        scenario, conc.holds, opts, n=sz.prim_points, runs_per_point=sz.prim_reps, seed=seeds[3]
    )
    prim, points = found.detail, found.points
    assert isinstance(prim, PrimResult) and points is not None
    box = prim.box()
    box["min"] = prim.x_min
    box["max"] = prim.x_max
    chosen = prim.trajectory.iloc[prim.chosen]
    stats = {
        "share_overall": float(points["outcome"].mean()),
        "coverage": float(chosen["coverage"]),
        "density": float(chosen["density"]),
        "mass": float(chosen["mass"]),
        "n_points": float(len(points)),
        "chosen": float(prim.chosen),
    }
    return Drivers(oat.table, sobol_tab, sobol_notes, box, prim.trajectory, stats, prim.note)


def comparison_runs(scenario: Scenario, opts: RunOptions, runs: int, seed: int) -> pd.DataFrame:
    """One row per run of every named combination x policy, with the derived columns
    ``casualties_total`` and ``settle_months``; ``assumptions`` holds the combination's name."""
    assert scenario.war is not None and scenario.experiment is not None
    named = named_combos(scenario)
    policies = list(scenario.experiment.policies)
    res = compare(scenario, policies, opts, combos=list(named.values()), runs=runs, seed=seed)
    out = res.sweep.frame.copy()
    out["assumptions"] = out["assumptions"].map({"+".join(c): name for name, c in named.items()})
    sides = (scenario.war.sides.A, scenario.war.sides.B)
    out["casualties_total"] = sum(out[f"casualties.{s}"].astype(float) for s in sides)
    out["settle_months"] = settle_months(out, scenario.war.time.step_days)
    return out


def _describe_inputs(
    scenario: Scenario, policies: list[str], sets: dict[str, tuple[str, ...]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The policies (key, description, levers) and the compared assumption sets, as tables."""
    assert scenario.experiment is not None
    spec = scenario.experiment.policies
    pol_table = pd.DataFrame(
        [
            {"policy": k, "description": spec[k].description,
             "levers": ", ".join(f"{lk} = {lv:g}" for lk, lv in spec[k].levers.items())}
            for k in policies
        ]
    )  # fmt: skip
    aset_table = pd.DataFrame(
        [{"assumptions": k, "groups": ", ".join(c) or "none",
          "description": combo_description(scenario, c)} for k, c in sets.items()]
    )  # fmt: skip
    return pol_table, aset_table


def _notes(scenario: Scenario) -> list[str] | None:
    """Why the war analysis cannot run on ``scenario`` (None when it can)."""
    if scenario.war is None:
        return ["The scenario has no war section."]
    spec = scenario.experiment
    if spec is None or len(spec.policies) < 2:
        return ["The war comparison needs at least two policies under experiment.policies."]
    return None


def analyse_war(
    scenario: Scenario,
    n_runs: int,
    seed_sequence: np.random.SeedSequence,
    sizes: WarSizes | None = None,
) -> tuple[WarAnalysis | None, list[str]]:
    """Compare every assumption set x policy, find where the conclusion flips and what drives it.

    Parameters
    ----------
    scenario : Scenario
        A scenario with a ``war`` section and at least two ``experiment.policies``.
    n_runs : int
        Runs per cell (each with its own draw of the uncertain parameters and of the simulator's
        randomness).
    seed_sequence : numpy.random.SeedSequence
        The source of every seed of the analysis.
    sizes : WarSizes, optional
        The sizes of the discovery and sensitivity designs (default
        :meth:`WarSizes.for_runs` of ``n_runs``).

    Returns
    -------
    tuple
        The analysis (None when the scenario has no war or fewer than two policies) and
        plain-language notes.
    """
    skipped = _notes(scenario)
    if skipped is not None:
        return None, skipped
    war, spec = scenario.war, scenario.experiment
    assert war is not None and spec is not None
    notes: list[str] = []
    sz = sizes or WarSizes.for_runs(n_runs)
    seeds = _seeds(seed_sequence, 5)
    policies = list(spec.policies)
    named = named_combos(scenario)
    opts = RunOptions(model=WAR_OUTCOMES_MODEL)

    runs = comparison_runs(scenario, opts, sz.runs, seeds[0])
    if runs["held_5y"].isna().all():
        notes.append(
            "Durability after a settlement could not be estimated: the durability model "
            "(parley.war.durability) is not installed, so P(a settlement holds) is n/a."
        )
    conc = default_conclusion(scenario)
    found = Drivers()
    if conc.policy_a in spec.policies and conc.policy_b in spec.policies and spec.uncertainties:
        found = drivers(scenario, conc, opts, sz, seeds)
    else:
        notes.append(
            "Scenario discovery and sensitivity were skipped: the conclusion's policies "
            f"('{conc.policy_a}', '{conc.policy_b}') or the uncertain parameters are missing."
        )
    fan = front_fan(scenario, list(named.values()), min(sz.runs, 500), seeds[4], names=list(named))
    result = summarise_runs(
        scenario, runs, policies=policies, sets=named, fan=fan, sizes=sz, seeds=seeds,
        notes=tuple(notes), found=found,
    )  # fmt: skip
    return result, notes


def summarise_runs(
    scenario: Scenario,
    runs: pd.DataFrame,
    *,
    policies: list[str],
    sets: dict[str, tuple[str, ...]],
    fan: pd.DataFrame,
    sizes: WarSizes,
    seeds: tuple[int, ...],
    notes: tuple[str, ...] = (),
    found: Drivers | None = None,
) -> WarAnalysis:
    """The war analysis of a comparison's per-run rows: the cells table, settlement and
    durability curves, paired differences, regret and satisficing (Lempert, Popper & Bankes
    2003), the "holds up" table, the observed front and the parameter tables.

    :func:`analyse_war` calls it with every policy and named set and the drivers it found; the
    dashboard's war run with the policies and sets the user chose and no drivers.
    """
    war = scenario.war
    assert war is not None
    found = found or Drivers()
    sides = (war.sides.A, war.sides.B)
    names = {a.id: (a.name or a.id) for a in scenario.actors}
    issues = tuple(i.id for i in scenario.issues)
    units = {i.id: i.unit for i in scenario.issues}
    step_days = war.time.step_days
    horizon_months = war.time.horizon_steps * step_days / DAYS_PER_MONTH
    key = ["territory_after_km2", "population_under_occupation", "settled", "held_5y",
           "catastrophe", *(f"casualties.{s}" for s in sides)]  # fmt: skip
    conc = default_conclusion(scenario)
    limits, limit_sources = satisficing_thresholds(scenario)
    limits = limits or {conc.measure: float(war.region.initial_area_km2)}
    regret = regret_table(runs, conc.measure, policies)
    sat = satisficing_table(runs, limits, policies)
    pol_table, aset_table = _describe_inputs(scenario, policies, sets)
    by_set = (
        conclusion_by_set(runs, conc)
        if {conc.policy_a, conc.policy_b} <= set(policies) and conc.measure in runs
        else pd.DataFrame()
    )
    return WarAnalysis(
        sizes=sizes, seeds=seeds, step_days=float(step_days),
        horizon_months=float(horizon_months), sides=sides,
        side_names=(names.get(sides[0], sides[0]), names.get(sides[1], sides[1])),
        issues=issues, policies=pol_table, assumption_sets=aset_table,
        assumption_table=assumption_table(scenario), runs=runs,
        cells=cell_measures(runs, step_days, issues, sides, units),
        settlement_curve=settlement_curve(runs, step_days, horizon_months),
        durability_curve=durability_curve(runs),
        differences=compare_policies(runs, policies, columns=[c for c in key if c in runs]),
        front_observed=observed_front(scenario, scenario.start_date), front_fan=fan,
        conclusion=conc, conclusion_by_set=by_set, tornado=found.tornado, sobol=found.sobol,
        sobol_notes=found.sobol_notes, prim_box=found.prim_box,
        prim_trajectory=found.prim_trajectory, prim_stats=found.prim_stats,
        prim_note=found.prim_note, parameters=war_parameters(scenario), notes=notes,
        combos=dict(sets), regret=regret, satisficing=sat,
        holds_up=holds_up_table(regret, sat, order=list(sets)), thresholds=limits,
        threshold_sources=limit_sources, policy_names=policy_names(scenario),
        supporter_names=tuple(names.get(x.actor, x.actor) for x in war.supporters),
        front_observed_source=observed_source(scenario),
    )  # fmt: skip
