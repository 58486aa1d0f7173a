"""The reference class of inter-state wars: how long wars of a given age go on, and how they end.

Data: the Correlates of War inter-state wars v4.0 (Sarkees & Wayman 2010, *Resort to War*), shipped
as ``parley/data/wars/interstate_wars_cow_v4.csv`` (95 wars, 1823–2003; see its PROVENANCE.md).

**Conditional ending shares.** For a war that has lasted ``a`` days, the share that ends within a
further ``w`` days is ``P(T <= a + w | T >= a) = 1 - S(a + w) / S(a-)``, with ``S`` the
Kaplan–Meier survival function of the durations ``T`` (Kaplan & Meier 1958). A war still going
when the data end is right-censored at its last observed day; without censoring the estimator is
the plain empirical share ``#{a <= T <= a + w} / #{T >= a}``. Every war in the shipped COW file
has ended (COW v4 closes in 2007 and its last inter-state war ended in 2003), so the COW shares are
empirical shares; the same estimator applied to simulated wars treats runs still fighting at the
horizon as censored there, which equals "condition on runs still going at age ``a``, count those
that end within the window" for every window that ends before the horizon (and is undefined past
it).

**Phases.** COW codes each phase of a war whose participants or war type changed as its own war
(the shipped file holds phase 2 of the Vietnam, Second Laotian and Second Ogaden wars; their first
phases are intra- or extra-state wars, not in this file). Each row is one war here: a phase's age
counts from its own start.

**Bands.** 90 % percentile bootstrap bands resample wars with replacement (Efron & Tibshirani
1993, ch. 13), seeded.

**Outcomes.** COW's per-participant outcome codes (1 winner, 2 loser, 3 compromise/tied,
4 transformed into another type of war, 5 ongoing, 6 stalemate, 7 continuing below war level,
8 changed sides; COW inter-state war codebook v4.0) are summarised per war as ``victory`` (a
winner and a loser), ``compromise`` (3), ``stalemate`` (6), ``transformed`` (4) or ``ongoing``
(5 or 7, right-censored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parley.seeds import DEFAULT_SEED

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Days per month (a Julian year over twelve; the war engine uses the same month).
MONTH_DAYS = 365.25 / 12.0
#: Ages of the wars (months) and further windows (months) of the reference table.
AGES_MONTHS: tuple[int, ...] = (3, 6, 9, 12)
WITHIN_MONTHS: tuple[int, ...] = (6, 12, 24, 36)
#: Bootstrap: resamples, band level, default seed (the flagship's forecast origin).
N_BOOT = 2000
BAND = 0.90
SEED = DEFAULT_SEED
#: War outcome types, in reporting order.
OUTCOME_TYPES: tuple[str, ...] = ("victory", "compromise", "stalemate", "transformed", "ongoing")


@dataclass(frozen=True)
class Wars:
    """Durations of a set of wars with their censoring flags and outcome types."""

    names: tuple[str, ...]
    duration_days: FloatArray
    ended: BoolArray
    outcome: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.duration_days.size)


def outcome_type(codes: str) -> str:
    """One war's outcome type from COW's comma-separated participant outcome codes."""
    found = {int(c) for c in str(codes).replace(" ", "").split(",") if c}
    if found & {5, 7}:
        return "ongoing"
    if {1, 2} <= found:
        return "victory"
    for code, label in ((3, "compromise"), (6, "stalemate"), (4, "transformed")):
        if code in found:
            return label
    raise ValueError(f"unknown COW outcome codes '{codes}'")


def wars_from_frame(frame: pd.DataFrame) -> Wars:
    """:class:`Wars` from a table with ``name``, ``dur_days`` and ``outcomes`` (COW codes)."""
    types = tuple(outcome_type(c) for c in frame["outcomes"])
    return Wars(
        names=tuple(str(n) for n in frame["name"]),
        duration_days=frame["dur_days"].to_numpy(dtype=float),
        ended=np.array([t != "ongoing" for t in types]),
        outcome=types,
    )


def load_cow_wars() -> Wars:
    """The shipped COW inter-state wars v4.0 (Sarkees & Wayman 2010), one row per war or phase."""
    ref = resources.files("parley.data").joinpath("wars/interstate_wars_cow_v4.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return wars_from_frame(pd.read_csv(fh))


def _km_rows(durations: FloatArray, ended: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Row-wise Kaplan–Meier steps: sorted durations and the survival just after each of them.

    ``durations`` and ``ended`` have shape ``(rows, n)``. Within a row, observations are sorted by
    duration with events before censorings at ties; the survival after the i-th is
    ``prod_{j <= i} (1 - event_j / (n - j))``, which over a tie of ``d`` events among ``m`` at
    risk telescopes to the Kaplan–Meier factor ``1 - d / m``.
    """
    n = durations.shape[1]
    order = np.lexsort((~ended, durations), axis=1)
    t = np.take_along_axis(durations, order, axis=1)
    e = np.take_along_axis(ended, order, axis=1)
    at_risk = n - np.arange(n, dtype=float)
    surv = np.cumprod(1.0 - e / at_risk, axis=1)
    return t, surv


def _survival_at(t: FloatArray, surv: FloatArray, x: float, *, left: bool) -> FloatArray:
    """``S(x)`` (or ``S(x-)`` with ``left``) per row from :func:`_km_rows`' output."""
    k = (t < x).sum(axis=1) if left else (t <= x).sum(axis=1)
    padded = np.concatenate([np.ones((t.shape[0], 1)), surv], axis=1)
    return np.take_along_axis(padded, k[:, None], axis=1)[:, 0]


def _end_shares(
    durations: FloatArray, ended: BoolArray, ages: Sequence[float], windows: Sequence[float]
) -> FloatArray:
    """Shares ``(rows, ages, windows)`` ending within each window, row-wise (NaN if none aged a)."""
    t, surv = _km_rows(durations, ended)
    out = np.full((durations.shape[0], len(ages), len(windows)), np.nan)
    for i, a in enumerate(ages):
        at_age = _survival_at(t, surv, a, left=True)
        for j, w in enumerate(windows):
            later = _survival_at(t, surv, a + w, left=False)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, i, j] = np.where(at_age > 0, 1.0 - later / at_age, np.nan)
    return out


def conditional_end_share(
    durations: FloatArray,
    ended: BoolArray,
    age_days: Sequence[float],
    within_days: Sequence[float],
) -> FloatArray:
    """``P(T <= a + w | T >= a)`` for every age ``a`` and window ``w`` (days): shape (ages, windows).

    Kaplan–Meier (Kaplan & Meier 1958) with right-censoring where ``ended`` is false; NaN where no
    war reached age ``a``. Without censoring this is ``#{a <= T <= a + w} / #{T >= a}``.
    """
    d = np.asarray(durations, dtype=float)[None, :]
    e = np.asarray(ended, dtype=bool)[None, :]
    return _end_shares(d, e, list(age_days), list(within_days))[0]


def bootstrap_end_shares(
    wars: Wars,
    age_days: Sequence[float],
    within_days: Sequence[float],
    *,
    n_boot: int = N_BOOT,
    seed: int = SEED,
    band: float = BAND,
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper percentile-bootstrap bounds (ages, windows) of the conditional end shares.

    Resamples wars with replacement (Efron & Tibshirani 1993, ch. 13); the same seed gives the
    same bands.
    """
    if n_boot < 2:
        raise ValueError("n_boot must be at least 2")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(wars), size=(n_boot, len(wars)))
    boot = _end_shares(wars.duration_days[idx], wars.ended[idx], list(age_days), list(within_days))
    q = 100.0 * np.array([(1.0 - band) / 2.0, (1.0 + band) / 2.0])
    lo, hi = np.nanpercentile(boot, q, axis=0)
    return lo, hi


def reference_cells(
    wars: Wars | None = None,
    *,
    ages_months: Sequence[float] = AGES_MONTHS,
    within_months: Sequence[float] = WITHIN_MONTHS,
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> pd.DataFrame:
    """The reference table: one row per (age, window) with ``cow``, ``cow_lo`` and ``cow_hi``.

    Ages and windows in months of 365.25/12 days; a war "aged a" has lasted at least a months.
    """
    wars = load_cow_wars() if wars is None else wars
    ages = [m * MONTH_DAYS for m in ages_months]
    windows = [m * MONTH_DAYS for m in within_months]
    point = conditional_end_share(wars.duration_days, wars.ended, ages, windows)
    lo, hi = bootstrap_end_shares(wars, ages, windows, n_boot=n_boot, seed=seed)
    rows = [
        {
            "age_months": a,
            "within_months": w,
            "cow": point[i, j],
            "cow_lo": lo[i, j],
            "cow_hi": hi[i, j],
        }
        for i, a in enumerate(ages_months)
        for j, w in enumerate(within_months)
    ]
    return pd.DataFrame(rows)


def outcome_shares(
    wars: Wars | None = None, *, n_boot: int = N_BOOT, seed: int = SEED, band: float = BAND
) -> pd.DataFrame:
    """Share of each outcome type (index ``OUTCOME_TYPES``): ``n``, ``share``, ``lo``, ``hi``."""
    wars = load_cow_wars() if wars is None else wars
    codes = np.array([OUTCOME_TYPES.index(o) for o in wars.outcome])
    counts = np.bincount(codes, minlength=len(OUTCOME_TYPES))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(wars), size=(n_boot, len(wars)))
    boot = np.stack([(codes[idx] == k).mean(axis=1) for k in range(len(OUTCOME_TYPES))], axis=1)
    q = 100.0 * np.array([(1.0 - band) / 2.0, (1.0 + band) / 2.0])
    lo, hi = np.percentile(boot, q, axis=0)
    return pd.DataFrame(
        {"n": counts, "share": counts / len(wars), "lo": lo, "hi": hi},
        index=pd.Index(OUTCOME_TYPES, name="outcome"),
    )


def still_going(
    wars: Wars | None,
    age_days: float,
    after_months: Sequence[float],
    *,
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> pd.DataFrame:
    """Base rate that a war aged ``age_days`` is still going ``after_months`` later, with bands.

    ``P(T > a + w | T >= a) = S(a + w) / S(a-)``: one minus the conditional end share.
    Columns ``after_months``, ``cow``, ``cow_lo``, ``cow_hi``.
    """
    wars = load_cow_wars() if wars is None else wars
    windows = [m * MONTH_DAYS for m in after_months]
    end = conditional_end_share(wars.duration_days, wars.ended, [age_days], windows)[0]
    lo, hi = bootstrap_end_shares(wars, [age_days], windows, n_boot=n_boot, seed=seed)
    return pd.DataFrame(
        {
            "after_months": list(after_months),
            "cow": 1.0 - end,
            "cow_lo": 1.0 - hi[0],
            "cow_hi": 1.0 - lo[0],
        }
    )
