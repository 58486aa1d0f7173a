"""The procedural compromise model: neutral parameters, folds, and no selection on test folds."""

from __future__ import annotations

import numpy as np
import pytest

from parley.analysis.deu_fit import (
    NEUTRAL,
    DeuDesign,
    fit_procedural_compromise,
    grouped_folds,
    out_of_fold,
    procedural_compromise,
)
from parley.analysis.validation import proposal_groups, scoreable
from parley.negotiation import run_model
from parley.scenario import stakeholder_batch
from parley.scenario.importers.deu import load_shipped_deu


@pytest.fixture(scope="module")
def deu():
    sc = scoreable(load_shipped_deu())
    return sc, stakeholder_batch(sc), proposal_groups(sc)


def test_neutral_parameters_are_the_compromise_model(deu) -> None:
    sc, b, _ = deu
    d = DeuDesign.build(sc, b)
    np.testing.assert_allclose(
        procedural_compromise(NEUTRAL, d), run_model("compromise", b).outcome[:, 0], atol=1e-9
    )


def test_full_attraction_gives_the_reference_point(deu) -> None:
    sc, b, _ = deu
    d = DeuDesign.build(sc, b)
    theta = NEUTRAL.copy()
    theta[5:] = 1.0
    f = procedural_compromise(theta, d)
    known = ~np.isnan(d.reference)
    np.testing.assert_array_equal(f[known], d.reference[known])


def test_folds_keep_proposals_together_and_cover_everything(deu) -> None:
    _, _, g = deu
    folds = grouped_folds(g, 10)
    assert np.sum(folds, axis=0).tolist() == [1] * len(g)
    for f in folds:
        assert not set(g[f]) & set(g[~f])


def test_fit_on_training_rows_only(deu) -> None:
    # changing outcomes of test rows must not change the parameters fitted on training rows
    sc, b, g = deu
    d = DeuDesign.build(sc, b)
    train = np.flatnonzero(~grouped_folds(g, 10)[0])
    theta1 = fit_procedural_compromise(d, train)
    shuffled = d.outcome.copy()
    test = np.setdiff1d(np.arange(len(g)), train)
    shuffled[test] = 100.0 - shuffled[test]
    d2 = DeuDesign(**{**d.__dict__, "outcome": shuffled})
    np.testing.assert_array_equal(theta1, fit_procedural_compromise(d2, train))


@pytest.mark.slow
def test_out_of_fold_forecasts_are_complete(deu) -> None:
    sc, b, g = deu
    oof, thetas = out_of_fold(sc, b, g)
    assert thetas.shape == (10, 7)
    assert not np.isnan(oof).any()
