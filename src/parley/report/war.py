"""The war part of a report: every assumption set x policy, where the conclusion flips, what drives it.

:func:`analyse_war` runs the bargaining-while-fighting simulator (:mod:`parley.war`) through the
experiment engine (:mod:`parley.experiments`, :mod:`parley.analysis.workflows`) and returns plain
tables, so that the text, the figures and the tests read the same numbers:

- **comparison**: for each assumption set x policy, P(settlement within 6/12/24 months), expected
  terms per issue (among settled runs), P(a settlement holds 5 years), casualties per side,
  population under occupation, territory under A's control after the war, and escalation, each with
  a 95 % Monte Carlo interval (Wilson 1927 for shares, normal approximation for means; the
  functions of :mod:`parley.war.summary`). Policies are compared under common random numbers (Law
  2015, §11.2), and paired differences come from :func:`parley.analysis.compare.compare_policies`.
- **curves**: P(settled by month t) and P(a settlement still holds after t years) per cell.
- **front**: the observed DeepState series before the start date and the fan of the occupied area
  if no talks open, under each assumption set.
- **scenario discovery**: PRIM (Friedman & Fisher 1999; Bryant & Lempert 2010) over the uncertain
  parameters for the cases where the scenario's *conclusion* holds (by default: the first policy
  leaves A no more territory than the second).
- **sensitivity**: one-at-a-time swings (tornado) and Sobol' first-order and total indices
  (Saltelli et al. 2010, via SALib) of the conclusion's underlying difference.

Every number is an estimate from a finite Monte Carlo sample under the stated assumptions; the
module takes no side between assumption sets or policies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from parley.analysis.compare import compare_policies, paired_ci, paired_table
from parley.analysis.robustness import holds_up_table, regret_table, satisficing_table
from parley.analysis.workflows import RunOptions, compare, discover, sensitivity
from parley.experiments.design import make_design
from parley.experiments.distributions import Distribution, from_spec
from parley.experiments.models import war_model
from parley.report.assumption_sets import (
    BASELINE_SET,
    combo_description,
    named_combos,
    plain_name,
    policy_names,
    satisficing_thresholds,
    set_sources,
)
from parley.scenario.schema import Scenario
from parley.war.engine import simulate
from parley.war.params import compile_war
from parley.war.politics import DAYS_PER_MONTH
from parley.war.summary import front_quantiles, mean_ci, proportion

FloatArray = NDArray[np.float64]

#: The experiment model used by every sweep here: the war simulator plus ``territory_after_km2``.
MODEL = "parley.report.war:war_outcomes_model"

#: Largest 95 % half-width of a total Sobol' index for the indices to be quoted.
SOBOL_MAX_CONF = 0.1

#: Months for P(settlement within t) and years for P(a settlement holds t years).
SETTLE_MONTHS = (6, 12, 24)
HELD_YEARS = (1, 5, 10)


def war_outcomes_model(
    scenario: Scenario,
    params: Mapping[str, FloatArray],
    n_runs: int,
    seed: np.random.SeedSequence,
    **options: Any,
) -> xr.Dataset:
    """The war simulator (:func:`parley.experiments.models.war_model`) plus one derived outcome.

    ``territory_after_km2`` is the area under side A's control after the war: the settled line on
    the territorial issue (``war.settlement.territory_issue``) when the run ends in a settlement,
    and the front line at the end of the run otherwise (collapse, catastrophe or a war still going
    at the horizon). It makes "how much territory does a policy leave?" one number per run.
    """
    ds = war_model(scenario, params, n_runs, seed, **options)
    area = ds["final_area_km2"].values.astype(float)
    issue = scenario.war.settlement.territory_issue if scenario.war is not None else None
    if issue is not None and "terms" in ds and issue in list(ds["issue"].values):
        line = ds["terms"].sel(issue=issue).values.astype(float)
        settled = ds["settled"].values.astype(bool)
        area = np.where(settled & np.isfinite(line), line, area)
    ds["territory_after_km2"] = (("run",), area, {"units": "km2"})
    return ds


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
class Conclusion:
    """The statement whose truth scenario discovery and sensitivity analysis examine.

    ``difference`` is an outcome expression (``measure@policy - measure@policy``); the conclusion
    holds in a run when it is ``<= 0``.
    """

    policy_a: str
    policy_b: str
    measure: str
    text: str

    @property
    def difference(self) -> str:
        """The expression of the difference, A minus B."""
        return f"{self.measure}@{self.policy_a} - {self.measure}@{self.policy_b}"

    @property
    def holds(self) -> str:
        """The expression that is true where the conclusion holds."""
        return f"{self.measure}@{self.policy_a} <= {self.measure}@{self.policy_b}"


#: Measures of the comparison table: key, label, unit, kind (``share`` or ``mean``).
MEASURES: tuple[tuple[str, str, str, str], ...] = (
    *(
        (f"p_settle_{m}m", f"P(settlement within {m} months)", "share", "share")
        for m in SETTLE_MONTHS
    ),
    ("p_held_5y", "P(a settlement holds 5 years)", "share", "share"),
    ("territory_after_km2", "Territory under A after the war", "km2", "mean"),
    ("population_under_occupation", "Population under occupation", "people", "mean"),
    ("p_catastrophe", "P(catastrophic escalation)", "share", "share"),
    ("max_escalation_hazard", "Peak escalation hazard", "per month", "mean"),
    ("p_ongoing", "P(war still on at the horizon)", "share", "share"),
)


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

    def comparison_display(self) -> pd.DataFrame:
        """The comparison as a wide table of formatted ``estimate [low, high]`` strings."""
        from parley.report.summary_text import fmt_estimate

        rows = []
        for (aset, pol), block in self.cells.groupby(["assumptions", "policy"], sort=False):
            row: dict[str, str] = {"assumptions": str(aset), "policy": str(pol)}
            for _, r in block.iterrows():
                row[str(r.label)] = fmt_estimate(r.estimate, r.lo, r.hi, str(r.unit))
            rows.append(row)
        return pd.DataFrame(rows)


# --- the cells table ---------------------------------------------------------------------------


def settle_months(frame: pd.DataFrame, step_days: float) -> FloatArray:
    """Months from the start to the settlement, ``(settle_step + 1) * step_days / month`` (NaN if
    none), the convention of :func:`parley.war.summary.summarise`."""
    step = frame["settle_step"].to_numpy(dtype=float)
    return (step + 1.0) * step_days / DAYS_PER_MONTH


def _row(
    aset: str, pol: str, key: str, label: str, unit: str, stat: Mapping[str, float | int]
) -> dict[str, Any]:
    est = stat["p"] if "p" in stat else stat["mean"]
    return {
        "assumptions": aset,
        "policy": pol,
        "measure": key,
        "label": label,
        "unit": unit,
        "estimate": float(est),
        "lo": float(stat["lo"]),
        "hi": float(stat["hi"]),
        "n": int(stat["n"]),
    }


def cell_measures(
    runs: pd.DataFrame, step_days: float, issues: Sequence[str], sides: Sequence[str],
    units: Mapping[str, str] | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Every measure of every (assumptions, policy) cell with its 95 % Monte Carlo interval."""
    units = dict(units or {})
    out: list[dict[str, Any]] = []
    for (aset, pol), d in runs.groupby(["assumptions", "policy"], sort=False):
        a, p = str(aset), str(pol)
        months = np.nan_to_num(settle_months(d, step_days), nan=np.inf)
        settled = d["settled"].to_numpy(dtype=bool)
        stats: dict[str, Mapping[str, float | int]] = {}
        for m in SETTLE_MONTHS:
            stats[f"p_settle_{m}m"] = proportion(months <= m)
        held = d["held_5y"].to_numpy(dtype=float)
        stats["p_held_5y"] = proportion(np.where(settled, held, np.nan))
        stats["territory_after_km2"] = mean_ci(d["territory_after_km2"])
        stats["population_under_occupation"] = mean_ci(d["population_under_occupation"])
        stats["p_catastrophe"] = proportion(d["catastrophe"].to_numpy(dtype=float))
        stats["max_escalation_hazard"] = mean_ci(d["max_escalation_hazard"])
        stats["p_ongoing"] = proportion((d["outcome"].to_numpy() == 0).astype(float))
        for key, label, unit, _ in MEASURES:
            out.append(_row(a, p, key, label, unit, stats[key]))
        total = sum(d[f"casualties.{side}"].to_numpy(dtype=float) for side in sides)
        out.append(
            _row(a, p, "casualties_total", "Casualties, both sides", "people", mean_ci(total))
        )
        for side in sides:
            out.append(
                _row(a, p, f"casualties.{side}", f"Casualties, {side}", "people",
                     mean_ci(d[f"casualties.{side}"]))
            )  # fmt: skip
        for issue in issues:
            vals = np.where(settled, d[f"terms.{issue}"].to_numpy(dtype=float), np.nan)
            out.append(
                _row(a, p, f"terms.{issue}", f"Terms: {issue} (if settled)",
                     units.get(issue, ""), mean_ci(vals))
            )  # fmt: skip
    return pd.DataFrame(out)


def settlement_curve(runs: pd.DataFrame, step_days: float, horizon_months: float) -> pd.DataFrame:
    """P(settled by month t) with Wilson intervals, t = 0, 1, ..., horizon, per cell."""
    grid = np.arange(0, int(math.floor(horizon_months)) + 1)
    rows = []
    for (aset, pol), d in runs.groupby(["assumptions", "policy"], sort=False):
        months = np.nan_to_num(settle_months(d, step_days), nan=np.inf)
        for t in grid:
            s = proportion(months <= t)
            rows.append(
                {"assumptions": aset, "policy": pol, "month": int(t), "p": s["p"],
                 "lo": s["lo"], "hi": s["hi"]}
            )  # fmt: skip
    return pd.DataFrame(rows)


def durability_curve(runs: pd.DataFrame) -> pd.DataFrame:
    """P(a settlement still holds after t years), t = 0, 1, 5, 10, among settled runs, per cell."""
    rows = []
    for (aset, pol), d in runs.groupby(["assumptions", "policy"], sort=False):
        settled = d["settled"].to_numpy(dtype=bool)
        rows.append(
            {"assumptions": aset, "policy": pol, "years": 0, "p": 1.0, "lo": 1.0, "hi": 1.0}
        )
        for y in HELD_YEARS:
            s = proportion(np.where(settled, d[f"held_{y}y"].to_numpy(dtype=float), np.nan))
            rows.append(
                {"assumptions": aset, "policy": pol, "years": y, "p": s["p"], "lo": s["lo"],
                 "hi": s["hi"], "n": s["n"]}
            )  # fmt: skip
    return pd.DataFrame(rows)


def conclusion_by_set(runs: pd.DataFrame, conclusion: Conclusion) -> pd.DataFrame:
    """Per assumption set: the share of paired runs where the conclusion holds (with its Wilson
    interval) and the mean paired difference ``measure@A - measure@B`` with its t interval.

    Runs are paired by (assumptions, point, replicate): the same draws under both policies.
    """
    m, a, b = conclusion.measure, conclusion.policy_a, conclusion.policy_b
    sub = runs[runs["policy"].isin([a, b])]
    wide = paired_table(sub.assign(**{m: sub[m].astype(float)}), [m])
    rows = []
    for aset, block in wide.groupby(level="assumptions", sort=False):
        d = (block[f"{m}@{a}"] - block[f"{m}@{b}"]).to_numpy(dtype=float)
        d = d[np.isfinite(d)]
        share = proportion((d <= 0).astype(float))
        mean, lo, hi, _, n = paired_ci(d)
        rows.append(
            {"assumptions": aset, "share": share["p"], "share_lo": share["lo"],
             "share_hi": share["hi"], "difference": mean, "diff_lo": lo, "diff_hi": hi, "n": n}
        )  # fmt: skip
    return pd.DataFrame(rows)


# --- front: observed history and fan ------------------------------------------------------------


def observed_front(until: str | None, days_before: int | None = None) -> pd.DataFrame:
    """The shipped DeepState series of the occupied area (``date, km2``) up to ``until``.

    Source: ``parley/data/ukraine/occupied_area_daily_deepstate.csv`` (DeepStateMap polygons; see
    its PROVENANCE.md); days without a new snapshot (``observed = False``) are left out.
    """
    path = resources.files("parley.data") / "ukraine" / "occupied_area_daily_deepstate.csv"
    with resources.as_file(path) as p:
        df = pd.read_csv(p, parse_dates=["date"])
    df = df[df["observed"].astype(bool)]
    if until:
        df = df[df["date"] <= pd.Timestamp(until)]
    if days_before is not None and until:
        df = df[df["date"] >= pd.Timestamp(until) - pd.Timedelta(days=days_before)]
    return pd.DataFrame(
        {"date": df["date"].dt.strftime("%Y-%m-%d"), "km2": df["occupied_total_km2"].astype(float)}
    ).reset_index(drop=True)


def front_fan(
    scenario: Scenario,
    combos: Sequence[tuple[str, ...]],
    n_runs: int,
    seed: int,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Weekly quantiles of the occupied area if no talks open, per assumption set.

    The uncertain parameters are drawn as in the comparison (Monte Carlo design of each set) and the
    policy is "fight on": talks never open (``war.policy.negotiate_from_step`` = the horizon), so the
    fan shows what each set of assumptions implies for the front itself.
    """
    assert scenario.war is not None
    horizon = scenario.war.time.horizon_steps
    frames = []
    labels = list(names) if names is not None else ["+".join(c) or BASELINE_SET for c in combos]
    for combo, label in zip(combos, labels, strict=True):
        design = make_design(
            scenario, combos=[combo], method="mc", n_points=n_runs, runs_per_point=1,
            chunk_points=n_runs, seed=seed,
        )  # fmt: skip
        params = design.chunk_params(0)
        params["war.policy.negotiate_from_step"] = np.full(n_runs, float(horizon))
        params.pop("war.policy.negotiate_when_area_below_km2", None)
        wp = compile_war(scenario, params, n_runs=n_runs)
        ds = simulate(wp, n_runs, design.chunk_seed(0), record_paths=True)
        q = front_quantiles(ds, scenario.start_date)
        q.insert(0, "assumptions", label)
        frames.append(q)
    return pd.concat(frames, ignore_index=True)


# --- parameters and their sources ---------------------------------------------------------------


def _flatten(x: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(x, dict):
        out: list[tuple[str, Any]] = []
        for k, v in x.items():
            out.extend(_flatten(v, f"{prefix}.{k}"))
        return out
    if isinstance(x, list):
        out = []
        for i, v in enumerate(x):
            out.extend(_flatten(v, f"{prefix}.{i}"))
        return out
    return [(prefix, x)]


def dist_range(d: Distribution) -> tuple[float, float, str]:
    """The stated range of a distribution: its bounds when bounded, else its central 95 %."""
    if d.kind in ("uniform", "triangular", "beta"):
        return float(d.param("low")), float(d.param("high")), f"{d.kind} range"
    if d.kind == "choice":
        vals = [float(v) for v in d.param("values")]
        return min(vals), max(vals), "choice among values"
    if d.kind in ("normal", "lognormal") or (
        d.kind == "truncnormal" and (d.param("low") is None or d.param("high") is None)
    ):
        lo, hi = d.ppf(np.array([0.025, 0.975]))
        args = ", ".join(f"{k}={v:g}" for k, v in d.params if isinstance(v, int | float))
        return float(lo), float(hi), f"central 95 % of {d.kind}({args})"
    lo, hi = d.ppf(np.array([0.0, 1.0]))
    return float(lo), float(hi), f"{d.kind} range"


def war_sources(scenario: Scenario) -> dict[str, str]:
    """``metadata.war_sources`` of the scenario: dotted path (``*`` matches one segment) -> source."""
    raw = scenario.metadata.get("war_sources", {}) if scenario.metadata else {}
    return {str(k): str(v) for k, v in dict(raw).items()}


def source_for(path: str, sources: Mapping[str, str]) -> str:
    """The source of ``path``: an exact key, else the first key whose ``*`` segments match."""
    if path in sources:
        return sources[path]
    seg = path.split(".")
    for key, src in sources.items():
        pat = key.split(".")
        if len(pat) == len(seg) and all(p in ("*", s) for p, s in zip(pat, seg, strict=True)):
            return src
    return ""


def war_parameters(scenario: Scenario) -> pd.DataFrame:
    """Every numeric war parameter with its value, stated range and source.

    The range is that of ``experiment.uncertainties`` when the parameter is uncertain (else the
    value itself); the source comes from ``metadata.war_sources``. Each assumption set's override
    is listed as its own row ``<path> [<set>]``.
    """
    assert scenario.war is not None
    sources = war_sources(scenario)
    spec = scenario.experiment
    unc = {p: from_spec(d) for p, d in (spec.uncertainties.items() if spec else [])}
    rows: list[dict[str, Any]] = []
    for path, value in _flatten(scenario.war.model_dump(), "war"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        lo = hi = float(value)
        src = source_for(path, sources)
        if path in unc:
            lo, hi, how = dist_range(unc[path])
            src = f"{src} Uncertain: {how}." if src else f"Uncertain: {how}."
        rows.append(
            {"parameter": path, "value": float(value), "low": lo, "high": hi, "source": src}
        )
    dur = (scenario.metadata or {}).get("durability_source")
    if dur:
        d = scenario.war.durability
        what = ", ".join(f"{k}={v}" for k, v in d.model_dump().items() if isinstance(v, bool | str))
        rows.append(
            {"parameter": f"war.durability ({what})", "value": math.nan, "low": math.nan,
             "high": math.nan, "source": str(dur)}
        )  # fmt: skip
    per_value = set_sources(scenario)
    used = {s for combo in named_combos(scenario).values() for s in combo}
    if spec is not None:
        for name, aset in spec.assumptions.items():
            if name not in used:  # a set no compared combination uses is not in the table
                continue
            for path, val in aset.overrides.items():
                if isinstance(val, int | float):
                    lo = hi = float(val)
                    how = "fixed"
                else:
                    lo, hi, how = dist_range(from_spec(val))
                why = per_value.get((name, path)) or (
                    f"Illustrative assumption of the set '{name}'; reason in "
                    f"experiment.assumptions.{name}."
                )
                rows.append(
                    {"parameter": f"{path} [{name}]", "value": math.nan, "low": lo, "high": hi,
                     "source": f"{why} ({how})"}
                )  # fmt: skip
    return pd.DataFrame(rows, columns=["parameter", "value", "low", "high", "source"])


def assumption_table(scenario: Scenario) -> pd.DataFrame:
    """Each uncertain parameter's range under the scenario's own uncertainties and each set."""
    spec = scenario.experiment
    if spec is None:
        return pd.DataFrame(columns=["parameter", BASELINE_SET])
    paths = list(spec.uncertainties)
    for aset in spec.assumptions.values():
        paths.extend(p for p in aset.overrides if p not in paths)
    rows = []
    for path in paths:
        row = {"parameter": path}
        base = spec.uncertainties.get(path)
        row[BASELINE_SET] = _range_text(from_spec(base)) if base is not None else "as written"
        for name, aset in spec.assumptions.items():
            v = aset.overrides.get(path)
            row[name] = (
                "" if v is None else f"{v:g}" if isinstance(v, int | float)
                else _range_text(from_spec(v))
            )  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def _range_text(d: Distribution) -> str:
    lo, hi, _ = dist_range(d)
    return f"{lo:.4g} to {hi:.4g}"


# --- the analysis ------------------------------------------------------------------------------


def default_conclusion(scenario: Scenario) -> Conclusion:
    """The conclusion examined by discovery and sensitivity.

    Read from ``metadata.report.conclusion`` (keys ``policy_a``, ``policy_b``, ``measure``,
    ``text``) when present; else "the first policy leaves side A no more territory than the
    second".
    """
    spec = scenario.experiment
    pols = list(spec.policies) if spec is not None else []
    meta = dict((scenario.metadata or {}).get("report", {}) or {}).get("conclusion") or {}
    a = str(meta.get("policy_a", pols[0] if pols else ""))
    b = str(meta.get("policy_b", pols[1] if len(pols) > 1 else ""))
    measure = str(meta.get("measure", "territory_after_km2"))
    text = str(meta.get("text", f"'{a}' leaves side A no more territory after the war than '{b}'"))
    return Conclusion(a, b, measure, text)


def _seeds(ss: np.random.SeedSequence, k: int) -> tuple[int, ...]:
    return tuple(int(s) for s in ss.generate_state(k, dtype=np.uint32))


def analyse_war(
    scenario: Scenario,
    n_runs: int,
    seed_sequence: np.random.SeedSequence,
    sizes: WarSizes | None = None,
) -> tuple[WarAnalysis | None, list[str]]:
    """Compare every assumption set x policy, find where the conclusion flips and what drives it.

    ``n_runs`` runs per cell (each with its own draw of the uncertain parameters and of the
    simulator's randomness); the sizes of the discovery and sensitivity designs follow
    :meth:`WarSizes.for_runs` unless ``sizes`` is given. Returns the analysis (None when the
    scenario has no policies to compare) and plain-language notes.
    """
    notes: list[str] = []
    spec = scenario.experiment
    if scenario.war is None:
        return None, ["The scenario has no war section."]
    if spec is None or len(spec.policies) < 2:
        return None, ["The war comparison needs at least two policies under experiment.policies."]
    sz = sizes or WarSizes.for_runs(n_runs)
    seeds = _seeds(seed_sequence, 5)
    policies = list(spec.policies)
    named = named_combos(scenario)
    combos = list(named.values())
    opts = RunOptions(model=MODEL)
    war = scenario.war
    sides = (war.sides.A, war.sides.B)
    names = {a.id: (a.name or a.id) for a in scenario.actors}
    issues = tuple(i.id for i in scenario.issues)
    units = {i.id: i.unit for i in scenario.issues}

    _, sw = compare(scenario, policies, opts, combos=combos, runs=sz.runs, seed=seeds[0])
    runs = sw.frame.copy()
    runs["assumptions"] = runs["assumptions"].map({"+".join(c): name for name, c in named.items()})
    runs["casualties_total"] = sum(runs[f"casualties.{s}"].astype(float) for s in sides)
    runs["settle_months"] = settle_months(runs, war.time.step_days)
    cells = cell_measures(runs, war.time.step_days, issues, sides, units)
    horizon_months = war.time.horizon_steps * war.time.step_days / DAYS_PER_MONTH
    key = ["territory_after_km2", "population_under_occupation", "settled", "held_5y",
           "catastrophe", *(f"casualties.{s}" for s in sides)]  # fmt: skip
    diffs = compare_policies(runs, policies, columns=[c for c in key if c in runs])
    if runs["held_5y"].isna().all():
        notes.append(
            "Durability after a settlement could not be estimated: the durability model "
            "(parley.war.durability) is not installed, so P(a settlement holds) is n/a."
        )

    conc = default_conclusion(scenario)
    tornado = pd.DataFrame()
    sobol_tab = pd.DataFrame()
    sobol_notes: tuple[str, ...] = ()
    prim_box = pd.DataFrame()
    prim_traj = pd.DataFrame()
    prim_stats: dict[str, float] = {}
    prim_note = ""
    if conc.policy_a in spec.policies and conc.policy_b in spec.policies and spec.uncertainties:
        oat_res, _ = sensitivity(
            scenario, "oat", conc.difference, opts, policy=conc.policy_a, n=1,
            runs_per_point=sz.oat_reps, seed=seeds[1],
        )  # fmt: skip
        tornado = oat_res.table
        if sz.sobol_n > 0:
            sob, _ = sensitivity(
                scenario, "sobol", conc.difference, opts, policy=conc.policy_a, n=sz.sobol_n,
                runs_per_point=sz.sobol_reps, seed=seeds[2],
            )  # fmt: skip
            sobol_tab, sobol_notes = sob.table, sob.notes
        prim_res, points, _ = discover(
            scenario, conc.holds, opts, n=sz.prim_points, runs_per_point=sz.prim_reps,
            seed=seeds[3],
        )  # fmt: skip
        prim_box = prim_res.box()
        prim_box["min"] = prim_res.x_min
        prim_box["max"] = prim_res.x_max
        prim_traj = prim_res.trajectory
        chosen = prim_traj.iloc[prim_res.chosen]
        prim_stats = {
            "share_overall": float(points["outcome"].mean()),
            "coverage": float(chosen["coverage"]),
            "density": float(chosen["density"]),
            "mass": float(chosen["mass"]),
            "n_points": float(len(points)),
            "chosen": float(prim_res.chosen),
        }
        prim_note = prim_res.note
    else:
        notes.append(
            "Scenario discovery and sensitivity were skipped: the conclusion's policies "
            f"('{conc.policy_a}', '{conc.policy_b}') or the uncertain parameters are missing."
        )

    fan = front_fan(scenario, combos, min(sz.runs, 500), seeds[4], names=list(named))
    limits, limit_sources = satisficing_thresholds(scenario)
    regret = regret_table(runs, conc.measure, policies)
    limits = limits or {conc.measure: float(war.region.initial_area_km2)}
    sat = satisficing_table(runs, limits, policies)
    observed = observed_front(scenario.start_date)
    pol_table = pd.DataFrame(
        [
            {"policy": k, "description": p.description,
             "levers": ", ".join(f"{lk} = {lv:g}" for lk, lv in p.levers.items())}
            for k, p in spec.policies.items()
        ]
    )  # fmt: skip
    aset_table = pd.DataFrame(
        [{"assumptions": plain_name(k), "groups": ", ".join(c) or "none",
          "description": combo_description(scenario, c)} for k, c in named.items()]
    )  # fmt: skip
    result = WarAnalysis(
        sizes=sz,
        seeds=seeds,
        step_days=float(war.time.step_days),
        horizon_months=float(horizon_months),
        sides=sides,
        side_names=(names.get(sides[0], sides[0]), names.get(sides[1], sides[1])),
        issues=issues,
        policies=pol_table,
        assumption_sets=aset_table,
        assumption_table=assumption_table(scenario),
        runs=runs,
        cells=cells,
        settlement_curve=settlement_curve(runs, war.time.step_days, horizon_months),
        durability_curve=durability_curve(runs),
        differences=diffs,
        front_observed=observed,
        front_fan=fan,
        conclusion=conc,
        conclusion_by_set=(
            conclusion_by_set(runs, conc)
            if {conc.policy_a, conc.policy_b} <= set(policies) and conc.measure in runs
            else pd.DataFrame()
        ),
        tornado=tornado,
        sobol=sobol_tab,
        sobol_notes=tuple(sobol_notes),
        prim_box=prim_box,
        prim_trajectory=prim_traj,
        prim_stats=prim_stats,
        prim_note=prim_note,
        parameters=war_parameters(scenario),
        notes=tuple(notes),
        combos=named,
        regret=regret,
        satisficing=sat,
        holds_up=holds_up_table(regret, sat, order=list(named)),
        thresholds=limits,
        threshold_sources=limit_sources,
        policy_names=policy_names(scenario),
        supporter_names=tuple(names.get(x.actor, x.actor) for x in war.supporters),
    )
    return result, notes
