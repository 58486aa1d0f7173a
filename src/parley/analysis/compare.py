"""Policy comparisons: paired differences of every outcome measure, with confidence intervals.

Every policy in a sweep is run on the same uncertain draws and the same random numbers (common
random numbers; Law 2015, *Simulation Modeling and Analysis*, 5th ed., §11.2). The difference of a
measure between policies A and B is then estimated run by run, ``d_i = y_i(B) - y_i(A)``, with the
paired t interval ``mean(d) ± t_{n-1, 1-α/2} sd(d) / √n``; its width falls by the positive
correlation CRN induces. The unpaired (Welch) interval, which ignores the pairing, is reported
alongside to show the gain.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from parley.analysis.expressions import evaluate_text

META = ("chunk", "cell", "policy", "assumptions", "point", "replicate", "run")
PAIR_KEYS = ["assumptions", "point", "replicate"]


def measures(frame: pd.DataFrame) -> list[str]:
    """The outcome measures of a sweep: its numeric and boolean columns other than the labels."""
    return [c for c in frame.columns if c not in META and frame[c].dtype.kind in "biuf"]


#: The outcome measures of the war model, grouped as the issue and the reports name them; the
#: first matching group (in this order) claims a column.
MEASURE_GROUPS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # (group, exact names, name prefixes)
    ("P(settlement by t)", ("settled",), ("settled_by_",)),
    ("terms", ("terms",), ("terms.",)),
    ("durability", ("renewal_triggered",), ("held_",)),
    ("casualties", ("casualties",), ("casualties.",)),
    ("occupation", ("population_under_occupation", "final_area_km2"), ()),
    ("escalation", ("catastrophe", "max_escalation_hazard"), ("escalation",)),
)


def measure_group(name: str) -> str:
    """The group of an outcome measure (see :data:`MEASURE_GROUPS`), or ``"other"``."""
    for group, exact, prefixes in MEASURE_GROUPS:
        if name in exact or any(name.startswith(p) for p in prefixes):
            return group
    return "other"


def outcome_measures(frame: pd.DataFrame, *, include_other: bool = False) -> list[tuple[str, str]]:
    """``(group, measure)`` pairs of a sweep's measures, ordered by group then by column.

    Groups: P(settlement by t) (``settled``, ``settled_by_<d>d``), terms (``terms.<issue>``),
    durability (``held_<y>y``, ``renewal_triggered``), casualties (``casualties.<side>``),
    occupation (``population_under_occupation``, ``final_area_km2``) and escalation
    (``catastrophe``, ``max_escalation_hazard``). Other measures (``share_A``, the ``outcome``
    code, ...) are listed last as ``"other"`` only with ``include_other=True``.
    """
    cols = measures(frame)
    order = [g for g, _, _ in MEASURE_GROUPS] + ["other"]
    pairs = [(measure_group(c), c) for c in cols]
    if not include_other:
        pairs = [p for p in pairs if p[0] != "other"]
    return sorted(pairs, key=lambda p: order.index(p[0]))  # stable: column order within a group


@contextmanager
def _quiet_moments() -> Iterator[None]:
    """Silence SciPy's precision-loss note on nearly equal values (common random numbers)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Precision loss", category=RuntimeWarning)
        yield


def paired_ci(d: NDArray[np.float64], conf: float = 0.95) -> tuple[float, float, float, float, int]:
    """``(mean, low, high, standard error, n)`` of the t interval for the mean of ``d`` (NaNs dropped).

    The interval is SciPy's one-sample t interval (``scipy.stats.ttest_1samp(...)
    .confidence_interval``; Student 1908). A constant difference (zero spread, where SciPy returns
    NaN) gives the zero-width interval at the mean.
    """
    d = np.asarray(d, dtype=float)
    d = d[np.isfinite(d)]
    n = d.size
    if n == 0:
        return (np.nan, np.nan, np.nan, np.nan, 0)
    mean = float(d.mean())
    if n == 1:
        return (mean, np.nan, np.nan, np.nan, 1)
    se = float(stats.sem(d))
    if se == 0:
        return (mean, mean, mean, 0.0, n)
    with _quiet_moments():
        ci = stats.ttest_1samp(d, 0.0).confidence_interval(conf)
    return (mean, float(ci.low), float(ci.high), se, n)


def welch_ci(
    x: NDArray[np.float64], y: NDArray[np.float64], conf: float = 0.95
) -> tuple[float, float, float]:
    """``(mean(y) - mean(x), low, high)``: Welch's unpaired t interval (Welch 1947).

    Computed by ``scipy.stats.ttest_ind(y, x, equal_var=False).confidence_interval``; with zero
    spread in both samples (SciPy: NaN) the interval is the difference itself.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if x.size < 2 or y.size < 2:
        return (np.nan, np.nan, np.nan)
    diff = float(y.mean() - x.mean())
    if x.var(ddof=1) + y.var(ddof=1) == 0:
        return (diff, diff, diff)
    with _quiet_moments():
        ci = stats.ttest_ind(y, x, equal_var=False).confidence_interval(conf)
    return (diff, float(ci.low), float(ci.high))


def paired_table(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Runs side by side across policies: index (assumptions, point, replicate), columns
    ``measure@policy``."""
    wide = frame.pivot_table(
        index=PAIR_KEYS, columns="policy", values=list(columns), aggfunc="first", dropna=False
    )
    wide.columns = [f"{c[0]}@{c[1]}" for c in wide.columns]
    return wide.sort_index()


def compare_policies(
    frame: pd.DataFrame,
    policies: Sequence[str],
    *,
    columns: Sequence[str] | None = None,
    expressions: Sequence[str] = (),
    conf: float = 0.95,
) -> pd.DataFrame:
    """Differences of every measure between each policy and the first one, per assumption set.

    Returns a tidy table with one row per (assumptions, policy, measure): the means under the
    reference and the policy, the paired difference with its CI, and Welch's unpaired CI.
    ``expressions`` are extra measures written as outcome expressions (e.g. ``casualties.A >
    10000``), evaluated run by run.
    """
    if len(policies) < 2:
        raise ValueError("compare needs at least two policies")
    cols = list(columns) if columns is not None else measures(frame)
    frame = frame.copy()
    for text in expressions:
        table = {c: frame[c].to_numpy(dtype=float) for c in cols}
        frame[text] = evaluate_text(text, table)
        cols.append(text)
    frame[cols] = frame[cols].astype(float)
    wide = paired_table(frame, cols)
    ref = policies[0]
    rows = []
    for assumptions, block in wide.groupby(level="assumptions", sort=False):
        for pol in policies[1:]:
            for m in cols:
                a = block[f"{m}@{ref}"].to_numpy(dtype=float)
                b = block[f"{m}@{pol}"].to_numpy(dtype=float)
                diff, lo, hi, se, n = paired_ci(b - a, conf)
                _, ulo, uhi = welch_ci(a, b, conf)
                rows.append(
                    {
                        "assumptions": assumptions or "baseline",
                        "reference": ref,
                        "policy": pol,
                        "measure": m,
                        "mean_reference": float(np.nanmean(a)) if np.isfinite(a).any() else np.nan,
                        "mean_policy": float(np.nanmean(b)) if np.isfinite(b).any() else np.nan,
                        "difference": diff,
                        "ci_low": lo,
                        "ci_high": hi,
                        "se": se,
                        "n_pairs": n,
                        "unpaired_ci_low": ulo,
                        "unpaired_ci_high": uhi,
                    }
                )
    return pd.DataFrame(rows)
