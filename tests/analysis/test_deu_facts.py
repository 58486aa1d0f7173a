"""The facts about the DEU data quoted in docs/validation.md, recomputed.

Data facts (share of outcomes at an actor's position, the correlation of reference point and
outcome) are computed here directly from the arrays with NumPy. Model facts (the NBS as the cost
of no deal kappa grows, the procedural model's in-sample fit) are the numbers the page quotes:
this test keeps the page and the code from drifting apart; the NBS limits are checked against
closed forms in tests/negotiation/test_baselines.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from parley.analysis.deu_fit import DeuDesign, fit_procedural_compromise, procedural_compromise
from parley.analysis.validation import scoreable
from parley.negotiation import run_model
from parley.scenario import stakeholder_batch
from parley.scenario.importers.deu import load_shipped_deu

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def deu():  # type: ignore[no-untyped-def]
    sc = scoreable(load_shipped_deu())
    return sc, stakeholder_batch(sc)


def test_outcomes_at_an_actor_position_and_reference_correlation(deu) -> None:  # type: ignore[no-untyped-def]
    _, b = deu
    pos, out, ref = b.position[:, :, 0], b.outcome[:, 0], b.reference[:, 0]
    assert out.shape == (322,)
    at_position = np.any(np.abs(pos - out[:, None]) < 1e-9, axis=1)
    assert at_position.mean() == pytest.approx(0.65, abs=0.005)  # "65 % of the 322 outcomes"
    known = ~np.isnan(ref)
    assert known.sum() == 235
    r = np.corrcoef(ref[known], out[known])[0, 1]
    assert r == pytest.approx(-0.10, abs=0.005)  # "r = -0.10 on the 235 issues"


def test_nbs_kappa_sweep_and_procedural_in_sample_fit(deu) -> None:  # type: ignore[no-untyped-def]
    sc, b = deu
    out = b.outcome[:, 0]
    quoted = {0.0: 38.6, 0.1: 30.4, 1.0: 24.7, 10.0: 23.8}
    for kappa, mae in quoted.items():
        got = np.mean(np.abs(run_model("nbs", b, kappa=kappa).outcome[:, 0] - out))
        assert got == pytest.approx(mae, abs=0.05), kappa
    d = DeuDesign.build(sc, b)
    theta = fit_procedural_compromise(d, np.arange(len(out)))
    in_sample = np.mean(np.abs(procedural_compromise(theta, d) - out))
    assert in_sample == pytest.approx(23.25, abs=0.01)
