"""The statement a war analysis examines ("policy A leaves side A no more territory than B") and
how often it holds under each assumption set.

The conclusion is read from ``metadata.report.conclusion``; :func:`conclusion_by_set` pairs the
runs of the two policies (common random numbers, Law 2015, §11.2) and gives the share of pairs
where it holds (Wilson interval) and the mean paired difference (t interval,
:func:`parley.analysis.compare.paired_ci`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parley.analysis.compare import paired_ci, paired_table
from parley.scenario.report_settings import report_meta
from parley.scenario.schema import Scenario
from parley.war.summary import proportion


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


def default_conclusion(scenario: Scenario) -> Conclusion:
    """The conclusion examined by discovery and sensitivity.

    Read from ``metadata.report.conclusion`` (keys ``policy_a``, ``policy_b``, ``measure``,
    ``text``) when present; else "the first policy leaves side A no more territory than the
    second".
    """
    spec = scenario.experiment
    pols = list(spec.policies) if spec is not None else []
    meta = report_meta(scenario).get("conclusion") or {}
    a = str(meta.get("policy_a", pols[0] if pols else ""))
    b = str(meta.get("policy_b", pols[1] if len(pols) > 1 else ""))
    measure = str(meta.get("measure", "territory_after_km2"))
    text = str(meta.get("text", f"'{a}' leaves side A no more territory after the war than '{b}'"))
    return Conclusion(a, b, measure, text)


def conclusion_by_set(runs: pd.DataFrame, conclusion: Conclusion) -> pd.DataFrame:
    """Per assumption set: the share of paired runs where the conclusion holds (with its Wilson
    interval) and the mean paired difference ``measure@A - measure@B`` with its t interval.

    Runs are paired by (assumptions, point, replicate): the same draws under both policies.
    Returns one row per set: ``assumptions, share, share_lo, share_hi, difference, diff_lo,
    diff_hi, n``.
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
