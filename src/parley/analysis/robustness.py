"""Robustness of policies across assumption sets: regret and satisficing.

Two of the robustness metrics of decision making under deep uncertainty (Lempert, Popper & Bankes
2003, *Shaping the Next One Hundred Years*; McPhail et al. 2018, *Earth's Future* 6, "Robustness
metrics"; the EMA Workbench's regret and satisficing metrics, Kwakkel 2017):

- **Regret** (Savage 1951). For a measure where less is better, the regret of policy ``p`` under
  assumption set ``s`` is ``E_s[y_p] - min_q E_s[y_q]``: how much worse ``p`` does than the best
  policy *for that set*. Runs are paired across policies (common random numbers: the same
  parameter draws and seeds under every policy), so the interval of the regret is the paired t
  interval of ``y_p - y_best`` (:func:`parley.analysis.compare.paired_ci`). The policy's
  **maximum regret** is its largest regret over the sets (minimax regret picks the smallest).
- **Satisficing** (Simon 1956; Starr 1963's domain criterion). The share of futures — runs — in
  which a policy meets every threshold (e.g. territory under the adversary at or below a line and
  casualties below a number), with its Wilson interval (:func:`parley.war.summary.proportion`).

Every function takes the per-run frame of a comparison (columns ``assumptions``, ``policy``,
``point``, ``replicate`` and the measures) and returns a tidy table; nothing here simulates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from parley.analysis.compare import paired_ci, paired_table
from parley.war.summary import proportion


def regret_table(runs: pd.DataFrame, measure: str, policies: Sequence[str]) -> pd.DataFrame:
    """Regret of each policy against the best policy of each assumption set (less is better).

    Columns: ``assumptions, policy, mean, best_policy, regret, lo, hi, n`` — ``mean`` is the
    policy's mean of ``measure`` in the set, ``regret`` the mean paired difference to the set's best
    policy (0 for the best policy itself) with its 95 % t interval.
    """
    sub = runs[runs["policy"].isin(list(policies))]
    wide = paired_table(sub.assign(**{measure: sub[measure].astype(float)}), [measure])
    rows = []
    for aset, block in wide.groupby(level="assumptions", sort=False):
        means = {p: float(np.nanmean(block[f"{measure}@{p}"])) for p in policies}
        best = min(policies, key=lambda p: means[p])
        for p in policies:
            d = (block[f"{measure}@{p}"] - block[f"{measure}@{best}"]).to_numpy(dtype=float)
            mean, lo, hi, _, n = paired_ci(d)
            rows.append(
                {"assumptions": str(aset), "policy": p, "mean": means[p], "best_policy": best,
                 "regret": mean, "lo": lo, "hi": hi, "n": n}
            )  # fmt: skip
    return pd.DataFrame(rows)


def max_regret(regret: pd.DataFrame) -> pd.DataFrame:
    """Each policy's largest regret over the assumption sets and the set where it occurs.

    Columns ``policy, max_regret, worst_set``, sorted from the smallest maximum regret (the
    minimax-regret choice first).
    """
    idx = regret.groupby("policy", sort=False)["regret"].idxmax()
    out = regret.loc[idx, ["policy", "regret", "assumptions"]]
    out = out.rename(columns={"regret": "max_regret", "assumptions": "worst_set"})
    return out.sort_values("max_regret", kind="stable").reset_index(drop=True)


def satisficing_table(
    runs: pd.DataFrame, thresholds: Mapping[str, float], policies: Sequence[str]
) -> pd.DataFrame:
    """Share of runs per (assumption set, policy) where every ``measure <= threshold`` holds.

    A run where a measure is undefined (NaN) does not satisfy. Columns ``assumptions, policy,
    share, lo, hi, n`` (Wilson 95 % interval).
    """
    sub = runs[runs["policy"].isin(list(policies))]
    ok = np.ones(len(sub), dtype=bool)
    for measure, limit in thresholds.items():
        ok &= np.nan_to_num(sub[measure].to_numpy(dtype=float), nan=np.inf) <= float(limit)
    flags = sub.assign(_ok=ok.astype(float))
    rows = []
    for (aset, pol), block in flags.groupby(["assumptions", "policy"], sort=False):
        s = proportion(block["_ok"].to_numpy(dtype=float))
        rows.append(
            {"assumptions": str(aset), "policy": str(pol), "share": s["p"], "lo": s["lo"],
             "hi": s["hi"], "n": int(s["n"])}
        )  # fmt: skip
    return pd.DataFrame(rows)


def holds_up_table(
    regret: pd.DataFrame, satisficing: pd.DataFrame, order: Sequence[str] | None = None
) -> pd.DataFrame:
    """The table "which policy holds up if which assumption is wrong".

    One row per assumption set (in ``order`` if given), one column per policy holding
    ``(regret, lo, hi, share, share_lo, share_hi)`` tuples, plus ``best_policy``; the caller words
    it. Sets missing from either table are left out.
    """
    sets = list(order) if order is not None else list(dict.fromkeys(regret["assumptions"]))
    policies = list(dict.fromkeys(regret["policy"]))
    rows = []
    for s in sets:
        r = regret[regret["assumptions"] == s].set_index("policy")
        q = satisficing[satisficing["assumptions"] == s].set_index("policy")
        if r.empty or q.empty:
            continue
        row: dict[str, object] = {"assumptions": s, "best_policy": str(r["best_policy"].iloc[0])}
        rv = r[["regret", "lo", "hi"]].astype(float)
        qv = q[["share", "lo", "hi"]].astype(float)
        for p in policies:
            row[p] = (*map(float, rv.loc[p]), *map(float, qv.loc[p]))
        rows.append(row)
    return pd.DataFrame(rows)
