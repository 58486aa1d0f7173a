"""The robustness table "which policy holds up if which assumption is wrong" in words, and its
caption: one wording for the HTML report, its Markdown first screen and the dashboard.

The numbers are those of :func:`parley.analysis.robustness.holds_up_table` (regret against the best
policy of each assumption set, and the share of futures meeting the thresholds; Lempert, Popper &
Bankes 2003; McPhail et al. 2018).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parley.report.answer import threshold_words
from parley.report.assumption_sets import plain_name, policy_name
from parley.report.formatting import fmt_percent, fmt_value


def holds_up_words(war: Any, best: str = "best") -> pd.DataFrame:
    """One row per assumption set (in words), one column per policy (in words); each cell the
    policy's regret with its interval (``best`` for the set's best policy) and, on a second line,
    the share of futures meeting the thresholds with its interval."""
    policies = [c for c in war.holds_up.columns if c not in ("assumptions", "best_policy")]
    rows = []
    for _, r in war.holds_up.iterrows():
        row = {"assumptions": plain_name(str(r["assumptions"]))}
        for p in policies:
            reg, lo, hi, sh, slo, shi = r[p]
            head = (
                best
                if p == r["best_policy"]
                else f"+{fmt_value(reg, 'km2')} [{fmt_value(lo, 'km2')}, {fmt_value(hi, 'km2')}]"
            )
            row[policy_name(war, p)] = (
                f"{head}\nmeets thresholds {fmt_percent(sh)} [{fmt_percent(slo)}, "
                f"{fmt_percent(shi)}]"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def robustness_caption(war: Any) -> str:
    """How to read the table, with the side, the thresholds and the run count of this analysis."""
    return (
        "Each row is a set of assumptions: each camp's full case, and the advocates' case with one "
        "of its three assumptions replaced by the critics'. Each cell: the policy's regret — how "
        f"much more territory {war.side_names[0]} holds after the war than under the best policy "
        "of that row (paired runs, 95 % interval) — and the share of futures in which it meets the "
        f"thresholds ({threshold_words(war)}), with its 95 % interval; {war.n_runs} runs per "
        "policy and set."
    )
