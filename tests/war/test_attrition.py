"""Lanchester attrition against its closed-form solutions (Lanchester 1916)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.war.attrition import (
    attrition_step,
    attrition_step_reference,
    square_law_invariant,
    square_law_winner,
)


def test_square_law_matches_closed_form_and_conserves_invariant() -> None:
    f0 = np.array([[1.0, 0.8], [2.0, 3.0]])
    k = np.array([[0.01, 0.02], [0.03, 0.01]])
    t = 20.0
    f, lost = attrition_step(f0, k, 1.0, 0.0, t, substeps=200)
    # F_A(t) = F_A0·cosh(ωt) − √(k_B/k_A)·F_B0·sinh(ωt), ω = √(k_A k_B)
    w = np.sqrt(k[:, 0] * k[:, 1])
    fa = f0[:, 0] * np.cosh(w * t) - np.sqrt(k[:, 1] / k[:, 0]) * f0[:, 1] * np.sinh(w * t)
    fb = f0[:, 1] * np.cosh(w * t) - np.sqrt(k[:, 0] / k[:, 1]) * f0[:, 0] * np.sinh(w * t)
    assert f[:, 0] == pytest.approx(fa, rel=1e-9)
    assert f[:, 1] == pytest.approx(fb, rel=1e-9)
    assert square_law_invariant(f, k) == pytest.approx(square_law_invariant(f0, k), rel=1e-9)
    assert lost == pytest.approx(f0 - f, rel=1e-12)


def test_square_law_winner_and_survivors() -> None:
    f0 = np.array([1.0, 0.8])
    k = np.array([0.01, 0.02])  # invariant 0.01·1 − 0.02·0.64 = −0.0028 < 0 → B wins
    assert int(square_law_winner(f0, k)) == 1
    f, _ = attrition_step(f0, k, 1.0, 0.0, 2000.0, substeps=4000)
    assert f[0] == pytest.approx(0.0, abs=1e-9)
    assert f[1] == pytest.approx(np.sqrt(0.0028 / 0.02), rel=1e-4)


def test_exponent_zero_is_exponential_decay() -> None:
    # β = 0: dF_A/dt = −k_B·F_A → F_A(t) = F_A0·exp(−k_B t)
    f, _ = attrition_step(np.array([1.0, 2.0]), np.array([0.05, 0.02]), 0.0, 0.0, 10.0, 10)
    assert f == pytest.approx([np.exp(-0.2), 2.0 * np.exp(-0.5)], rel=1e-7)


def test_replenishment_without_fighting_is_linear() -> None:
    f, lost = attrition_step(np.array([1.0, 1.0]), np.zeros(2), 0.75, np.array([0.01, 0.0]), 7.0)
    assert f == pytest.approx([1.07, 1.0])
    assert lost == pytest.approx([0.0, 0.0], abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    fa=st.floats(0.0, 5.0),
    fb=st.floats(0.0, 5.0),
    ka=st.floats(0.0, 0.05),
    kb=st.floats(0.0, 0.05),
    beta=st.floats(0.0, 1.0),
    ra=st.floats(0.0, 0.01),
)
def test_fast_step_equals_the_definition_and_stays_physical(
    fa: float, fb: float, ka: float, kb: float, beta: float, ra: float
) -> None:
    f = np.array([fa, fb])
    k = np.array([ka, kb])
    r = np.array([ra, 0.0])
    new, lost = attrition_step(f, k, beta, r, 7.0)
    assert np.all(new >= 0) and np.all(lost >= -1e-12)
    # mass balance: new = old + replenishment − losses
    np.testing.assert_allclose(new, f + 7.0 * r - lost, atol=1e-12)
    if fa > 1e-3 and fb > 1e-3 and np.all(new > 1e-3):
        ref_new, ref_lost = attrition_step_reference(f, k, beta, r, 7.0)
        np.testing.assert_allclose(new, ref_new, rtol=1e-9, atol=1e-12)
