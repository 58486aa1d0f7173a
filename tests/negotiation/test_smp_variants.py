"""Every non-default KTAB model parameter against KTAB's own runs of that variant.

``tests/data/ktab/variants/*.json`` hold what KTAB's compiled library (pySMP 0.1.3) reported for
each single-parameter variant on two inputs (made by ``tests/data/ktab/make_variants.py``; see
PROVENANCE.md): the number of states, the "Fractional change" and "prob :" log lines as printed,
and the float32 position history. parley must give the same number of states, the same printed
digits and, cast to float32, the same positions.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from parley.negotiation.smp import smp_model
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.errors import ScenarioError
from parley.scenario.importers.ktab import load_ktab

VARIANTS = Path(__file__).resolve().parents[1] / "data" / "ktab" / "variants"


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(VARIANTS.glob("*.json")):
        for run in json.loads(path.read_text())["runs"]:
            out.append((path.stem, run))
    return out


CASES = _cases()


def _batch(stem: str):
    text = (resources.files("parley.data") / "ktab" / f"{stem}.csv").read_text()
    return stakeholder_batch(load_ktab(text, f"{stem}.csv"))


def test_fixture_covers_every_parameter() -> None:
    # 8 parameters x their non-default values (Stochastic and ASymProsp excluded), two inputs
    assert len(CASES) == 2 * 22
    assert {run["option"] for _, run in CASES} == {
        "victory_prob_model",
        "pce_model",
        "voting_rule",
        "big_r_adjust",
        "big_r_range",
        "third_party_commit",
        "inter_vec_brgn",
        "bargn_model",
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stem", "run"), CASES, ids=[f"{s}-{r['option']}-{r['value']}" for s, r in CASES]
)
def test_variant_matches_ktab(stem: str, run: dict[str, Any]) -> None:
    batch = _batch(stem)
    if "error" in run:
        # KTAB: "SMPState::setAllAUtil: Estimate of change in utility by h out of valid range"
        assert run["value"] == "Full"
        with pytest.raises(ScenarioError, match="perceived utilities equal the actual"):
            smp_model(batch, **{run["option"]: run["value"]})
        return
    res = smp_model(batch, **{run["option"]: run["value"]})
    n = int(res.extra["n_states"][0])
    assert n == run["n_states"]
    frac = res.extra["fractional_change"][0, : n - 1]
    assert [f"{v:.4f}" for v in frac] == run["fractional_change"]
    prob = res.extra["prob"][0, :n]
    assert [[f"{v:.4f}" for v in row] for row in prob] == run["prob"]
    assert res.history is not None
    expected = np.asarray(run["position"], dtype=np.float32)
    np.testing.assert_array_equal(res.history[0, :n].astype(np.float32), expected)
