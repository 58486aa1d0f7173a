"""The tidy table of realised exchanges that :func:`parley.negotiation.exchange.exchange_model`
returns in ``extra["exchanges"]``: one row per side of every realised exchange (the per-exchange
output of the Decide reference implementation, spec §8), positions on each issue's own scale.

Built once from the arrays of all rounds (not one DataFrame per round, whose construction cost
dominated many-negotiation runs such as the DEU validation).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from parley.scenario.arrays import StakeholderBatch

COLUMNS = [
    "scenario", "round", "step", "side", "actor", "supply_issue", "demand_issue",
    "position", "move", "voting_position", "target", "gain", "side_gain",
]  # fmt: skip


def exchanges_frame(
    batch: StakeholderBatch, records: list[tuple[int, int, dict[str, np.ndarray]]]
) -> pd.DataFrame:
    """One row per side of every realised exchange.

    ``records`` holds ``(scenario index, round, realised)`` with ``realised`` the arrays of
    :class:`parley.negotiation.exchange.RoundResult` (normalised 0-100 positions).
    """
    cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for b, rnd, r in records:
        k = r["actor"].shape[0]
        if k == 0:
            continue
        actors = np.asarray(batch.actor_ids[b], dtype=object)
        issues = np.asarray(batch.issue_ids[b], dtype=object)
        sup = r["supply"]
        lo = batch.scale_min[b][sup]
        f = (batch.scale_max[b][sup] - lo) / 100.0
        cols["scenario"].append(np.full(2 * k, batch.scenario_ids[b], dtype=object))
        cols["round"].append(np.full(2 * k, rnd))
        cols["step"].append(np.repeat(np.arange(1, k + 1), 2))
        cols["side"].append(np.tile(np.array(["I", "J"], dtype=object), k))
        cols["actor"].append(actors[r["actor"].ravel()])
        cols["supply_issue"].append(issues[sup.ravel()])
        cols["demand_issue"].append(issues[sup[:, ::-1].ravel()])
        cols["position"].append((r["before"] * f + lo).ravel())
        cols["move"].append((r["move"] * f).ravel())
        cols["voting_position"].append((r["voting"] * f + lo).ravel())
        cols["target"].append((r["target"] * f + lo).ravel())
        cols["gain"].append(np.repeat(r["gain"], 2))
        cols["side_gain"].append(r["gain_side"].ravel())
    if not cols["scenario"]:
        return pd.DataFrame({c: [] for c in COLUMNS})
    return pd.DataFrame({c: np.concatenate(v) for c, v in cols.items()})
