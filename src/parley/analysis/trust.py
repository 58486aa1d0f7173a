"""The report's "how far to trust this" box, computed in the same run as the report.

Two checks of the war model against data that were available at the forecast origin:

- **Forecast skill of the front** (:mod:`parley.analysis.backtest`, the engine of ``parley
  backtest``): from each rolling origin the offensive front process is refitted on the data up to
  that origin only and scored over the following weeks with the weighted interval score (Bracher
  et al. 2021) against a zero-drift random walk and climatology. The origins are the shipped ones
  of ``docs/calibration.md`` (15 June to 25 October 2022 every 12 days), all before the flagship's
  origin; the scored weeks end on the last day of the shipped series (8 November 2022).
- **Reference class** (:mod:`parley.analysis.reference_model`, the engine of ``parley validate
  wars``): the simulated share of wars still going 12, 24 and 36 months after the origin, beside
  the Correlates of War inter-state wars of the same age (Sarkees & Wayman 2010; Kaplan–Meier
  conditional shares with 90 % bootstrap bands).

Both run at small sizes (``TrustSizes``), so the box states its run counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

import pandas as pd

from parley.analysis import backtest as bt
from parley.analysis.reference_model import still_going_vs_base_rates, war_age_days
from parley.scenario.schema import Scenario

#: The shipped rolling origins (docs/calibration.md): 2022-06-15 to 2022-10-31 every 12 days.
FIRST_ORIGIN = date(2022, 6, 15)
LAST_ORIGIN = date(2022, 10, 31)
ORIGIN_STEP_DAYS = 12
#: Backtest settings of docs/calibration.md: first day any fit may use, horizon, window.
FIT_FROM = date(2022, 5, 15)
HORIZON_DAYS = 150
WINDOW_DAYS = 180
#: Months after the origin of the reference-class check.
AFTER_MONTHS = (12, 24, 36)


@dataclass(frozen=True)
class TrustSizes:
    """Monte Carlo sizes of the two checks."""

    backtest_runs: int = 200
    reference_runs: int = 200
    bootstrap: int = 200
    #: Use every k-th shipped origin (1 = all twelve; 2 = six, 24 days apart).
    origin_every: int = 1

    @classmethod
    def for_runs(cls, n_runs: int) -> TrustSizes:
        """Sizes that grow with the war comparison's runs per cell: all twelve origins from 200
        runs, six from 50, two below."""
        n = max(1, int(n_runs))
        return cls(
            backtest_runs=200 if n >= 200 else 100,
            reference_runs=max(20, min(n, 500)),
            bootstrap=200,
            origin_every=1 if n >= 200 else (2 if n >= 50 else 6),
        )


@dataclass(frozen=True)
class Trust:
    """The numbers of the box: ``skill`` (one row per model of the backtest summary),
    ``origins`` (how many), ``reference`` (one row per policy and window: ``policy,
    after_months, model, cow, cow_lo, cow_hi``), the war's age in days and the sizes."""

    skill: pd.DataFrame
    origins: int
    reference: pd.DataFrame
    age_days: int
    sizes: TrustSizes


def shipped_origins(every: int = 1) -> list[date]:
    """The rolling origins of ``docs/calibration.md`` (every ``every``-th of them)."""
    out, d = [], FIRST_ORIGIN
    while d <= LAST_ORIGIN:
        out.append(d)
        d += timedelta(days=ORIGIN_STEP_DAYS)
    return out[:: max(1, every)]


def backtest_series(scenario: Scenario) -> str | None:
    """The shipped series the scenario's front is backtested on (``metadata.report.backtest_series``,
    a path under ``parley/data``), or None: only a scenario that names its series gets a skill
    check."""
    meta = dict((scenario.metadata or {}).get("report", {}) or {})
    name = meta.get("backtest_series")
    return None if name is None else str(name)


def _series(name: str) -> pd.Series:
    """A shipped area series, daily, NaN on days without a new snapshot (as ``parley backtest``
    reads it)."""
    path = resources.files("parley.data").joinpath(*name.split("/"))
    with resources.as_file(path) as p:
        df = pd.read_csv(p, parse_dates=["date"])
    values = df["occupied_total_km2"].where(df["observed"].astype(bool))
    return pd.Series(values.to_numpy(dtype=float), index=pd.DatetimeIndex(df["date"]))


def front_skill(
    scenario: Scenario, runs: int, seed: int, every: int = 1
) -> tuple[pd.DataFrame, int]:
    """The backtest summary (:func:`parley.analysis.backtest.summary_table`) at the shipped
    origins, bounded by the scenario's region, and the number of origins (empty and 0 when the
    scenario names no series, :func:`backtest_series`)."""
    origins = shipped_origins(every)
    bounds = {}
    if scenario.war is not None:
        bounds = {
            "area_min": scenario.war.region.area_min_km2,
            "area_max": scenario.war.region.area_max_km2,
        }
    name = backtest_series(scenario)
    if name is None:
        return pd.DataFrame(), 0
    results = bt.run_backtest(
        _series(name), origins, HORIZON_DAYS, runs=runs, seed=seed, start=FIT_FROM,
        window_days=WINDOW_DAYS, **bounds,
    )  # fmt: skip
    return bt.summary_table(bt.scores_table(results)), len(origins)


def reference_check(
    scenario: Scenario, policies: list[str], runs: int, seed: int, n_boot: int
) -> tuple[pd.DataFrame, int]:
    """P(war still going) 12/24/36 months on, per policy (the scenario's own uncertainties),
    beside the COW base rate for a war of the same age; and the age in days. Empty unless the
    scenario states when its war began (``metadata.war_start_date``)."""
    age = war_age_days(scenario)
    if "war_start_date" not in (scenario.metadata or {}):
        return pd.DataFrame(), age
    frames = []
    for policy in policies:
        f = still_going_vs_base_rates(
            scenario, policy=policy, age_days=age, runs=runs, seed=seed,
            after_months=AFTER_MONTHS, n_boot=n_boot,
        )  # fmt: skip
        f.insert(0, "policy", policy)
        frames.append(f)
    return pd.concat(frames, ignore_index=True), age


def assess(
    scenario: Scenario, policies: list[str], seed: int, sizes: TrustSizes | None = None
) -> Trust:
    """Run both checks (seeded by ``seed``) and collect the box's numbers."""
    sz = sizes or TrustSizes()
    skill, n_origins = front_skill(scenario, sz.backtest_runs, seed, sz.origin_every)
    reference, age = reference_check(scenario, policies, sz.reference_runs, seed, sz.bootstrap)
    return Trust(skill, n_origins, reference, age, sz)
