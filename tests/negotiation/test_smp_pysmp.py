"""Extra parity check: parley's SMP against KTAB itself, run in-process through pySMP, on random
scenarios. Skipped when pySMP (``pip install pySMP==0.1.3``) or its Debian libraries are missing;
pySMP is not a parley dependency.

Expected values are KTAB's: its number of states, the "Fractional change" and "prob :" lines of
its log (4 decimals) and its float32 position history.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parley.negotiation.smp import smp_model
from parley.negotiation.smp_pysmp import (
    KTABRun,
    pysmp_unavailable,
    random_ktab_csv,
    run_ktab,
)
from parley.negotiation.smp_turn import SMPParams
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.importers.ktab import load_ktab

WHY = pysmp_unavailable()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(WHY is not None, reason=str(WHY))]

CASES = [
    # (seed, actors, dimensions, non-default options)
    (1, 5, 1, {}),
    (12, 6, 2, {}),
    (3, 8, 3, {}),
    (4, 12, 2, {}),
    (5, 7, 2, {"voting_rule": "PropCbc", "pce_model": "MarkovUniform"}),
    (6, 7, 1, {"big_r_range": "Max", "inter_vec_brgn": "S2PMax"}),
    (7, 6, 3, {"bargn_model": "InitRcvrInterp", "victory_prob_model": "Quartic"}),
    (8, 9, 2, {"pce_model": "MarkovIncentive", "big_r_adjust": "Half"}),
]


def _compare(ktab: KTABRun, res) -> None:
    n = int(res.extra["n_states"][0])
    assert n == ktab.n_states
    assert ktab.fractional_change is not None and ktab.prob is not None
    frac = res.extra["fractional_change"][0, : n - 1]
    assert [f"{v:.4f}" for v in frac] == [f"{v:.4f}" for v in ktab.fractional_change]
    mine = [[f"{v:.4f}" for v in row] for row in res.extra["prob"][0, :n]]
    assert mine == [[f"{v:.4f}" for v in row] for row in ktab.prob]
    np.testing.assert_array_equal(
        res.history[0, :n].astype(np.float32), ktab.position.astype(np.float32)
    )


@pytest.mark.parametrize(("seed", "n", "d", "options"), CASES)
def test_random_scenario_matches_ktab(tmp_path: Path, seed, n, d, options) -> None:
    text = random_ktab_csv(np.random.default_rng(seed), n, d, name=f"rand{seed}")
    path = tmp_path / f"rand{seed}.csv"
    path.write_text(text)
    prm = SMPParams(**options)
    ktab = run_ktab(path, prm, log=True)
    res = smp_model(stakeholder_batch(load_ktab(text, str(path))), **options)
    _compare(ktab, res)
