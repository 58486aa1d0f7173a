"""Sensitivity indices against closed forms: Ishigami (Sobol'), linear functions (Morris, OAT).

Ishigami & Homma (1990), ``y = sin x1 + a sin² x2 + b x3⁴ sin x1`` with ``x_i ~ U(-π, π)``; the
partial variances are (Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, §4.7)

    V1 = (1 + b π⁴ / 5)² / 2,  V2 = a² / 8,  V3 = 0,  V13 = b² π⁸ (1/18 - 1/50),
    V = a² / 8 + b π⁴ / 5 + b² π⁸ / 18 + 1/2,

so S1_i = V_i / V and ST1 = (V1 + V13) / V, ST2 = S1_2, ST3 = V13 / V.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from parley.analysis.sensitivity import (
    UNSTABLE_WIDTH,
    _note,
    morris,
    oat,
    oat_unit,
    sobol,
)
from parley.experiments.samplers import morris_sample, saltelli_sample
from parley.experiments.testfunctions import ishigami

A, B = 7.0, 0.1
V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
V2 = A**2 / 8
V13 = B**2 * math.pi**8 * (1 / 18 - 1 / 50)
V = A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5
S1 = (V1 / V, V2 / V, 0.0)
ST = ((V1 + V13) / V, V2 / V, V13 / V)


def test_closed_form_values() -> None:
    # The rounded values printed in the Primer.
    assert S1 == pytest.approx((0.314, 0.442, 0.0), abs=5e-4)
    assert ST == pytest.approx((0.558, 0.442, 0.244), abs=5e-4)


def test_sobol_recovers_ishigami_indices() -> None:
    names = ["x1", "x2", "x3"]
    u = saltelli_sample(4096, 3, 11)
    x = -math.pi + 2 * math.pi * u
    y = ishigami(x[:, 0], x[:, 1], x[:, 2], A, B)
    res = sobol(y, names, seed=1)
    t = res.table.set_index("parameter")
    assert t.S1.to_numpy() == pytest.approx(S1, abs=0.04)
    assert t.ST.to_numpy() == pytest.approx(ST, abs=0.04)
    # Bootstrap CIs are present and cover the truth (at 95 %, with some slack for the bootstrap).
    for j, name in enumerate(names):
        assert abs(t.S1[name] - S1[j]) <= 2 * t.S1_conf[name] + 0.01
        assert abs(t.ST[name] - ST[j]) <= 2 * t.ST_conf[name] + 0.01
    assert res.notes == ()


def test_sobol_explains_negative_and_unstable_indices() -> None:
    # x3 does not enter y; with few base samples its S1 comes out near 0, possibly negative, and
    # pure noise gives indices whose CIs are wider than themselves. Each gets a note in words.
    rng = np.random.default_rng(0)
    names = ["x1", "x2", "x3"]
    n = 32
    y = rng.standard_normal(n * 5)  # output unrelated to the inputs
    res = sobol(y, names, seed=0)
    notes = res.table.note.tolist()
    assert all(notes), notes  # every index of a pure-noise output is flagged
    assert any("unstable" in s or "negative" in s for s in notes)


@pytest.mark.parametrize(
    ("s", "conf", "expected"),
    [
        (-0.30, 0.10, "significantly negative: the estimator failed"),
        (-0.05, 0.10, "negative but within its CI of 0: read it as about 0"),
        (0.05, 0.30, "unstable: its CI is wider than the index"),
        (0.50, 0.05, ""),
        (float("nan"), 0.1, "undefined"),
    ],
)
def test_note_rules(s: float, conf: float, expected: str) -> None:
    note = _note(s, conf, "S1")
    assert (expected in note) if expected else note == ""
    assert UNSTABLE_WIDTH == 0.2


def test_sobol_guards_constant_noisy_and_undefined_outputs() -> None:
    res = sobol(np.ones(40), ["a", "b"])
    assert "does not vary" in res.notes[0]
    assert res.table.S1.tolist() == [0.0, 0.0]
    u = saltelli_sample(256, 2, 3)
    y = u[:, 0] + 0.1 * u[:, 1]
    noisy = sobol(y, ["a", "b"], noise_share=0.25)
    assert any("Monte Carlo noise is 25%" in s for s in noisy.notes)
    with pytest.raises(ValueError, match="1 outputs are NaN"):
        sobol(np.r_[y[:-1], np.nan], ["a", "b"])


def test_morris_on_a_linear_function() -> None:
    # y = 3 u0 - 2 u1 + 0 u2 in the unit cube: every elementary effect of u_j is w_j, so
    # mu = w, mu* = |w|, sigma = 0.
    w = np.array([3.0, -2.0, 0.0])
    u = morris_sample(20, 3, 5, num_levels=4)
    res = morris(u, u @ w, ["a", "b", "c"], num_levels=4)
    t = res.table.set_index("parameter")
    assert t.loc[["a", "b", "c"], "mu"].to_numpy() == pytest.approx(w)
    assert t.loc[["a", "b", "c"], "mu_star"].to_numpy() == pytest.approx(np.abs(w))
    assert t.sigma.to_numpy() == pytest.approx(0.0, abs=1e-12)
    assert res.table.parameter.tolist() == ["a", "b", "c"]  # sorted by mu*


def test_oat_points_and_swings_by_hand() -> None:
    u = oat_unit(2, 0.1, 0.9)
    assert u.tolist() == [[0.5, 0.5], [0.1, 0.5], [0.9, 0.5], [0.5, 0.1], [0.5, 0.9]]
    # Parameters p ~ U(0, 10), q ~ U(100, 200); y = p - 0.5 q.
    values = np.column_stack([10 * u[:, 0], 100 + 100 * u[:, 1]])
    y = values[:, 0] - 0.5 * values[:, 1]
    t = oat(values, y, ["p", "q"]).table
    # q: 110 -> 190 moves y by 0.5 * 80 = 40; p: 1 -> 9 moves it by 8. Base: 5 - 75 = -70.
    assert t.parameter.tolist() == ["q", "p"]
    assert t.swing.tolist() == pytest.approx([40.0, 8.0])
    assert t.set_index("parameter").loc["p", ["low_value", "high_value"]].tolist() == [1.0, 9.0]
    assert t.y_base.tolist() == pytest.approx([-70.0, -70.0])
    assert t.set_index("parameter").loc["q", ["y_low", "y_high"]].tolist() == [-50.0, -90.0]
