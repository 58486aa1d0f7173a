"""Lanchester attrition against its closed-form solutions (Lanchester 1916)."""

from __future__ import annotations

import numpy as np
import pytest

from parley.war.attrition import (
    attrition_step,
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
