"""PRIM on data whose box is known: the peeling trajectory by hand, coverage/density, the chosen box."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.discovery import prim


def test_one_dimensional_peeling_by_hand() -> None:
    # x = 0..19, cases of interest x >= 15 (5 of 20). With alpha = 0.05 the 5 % quantile of the
    # remaining points lies between the two lowest, so each step peels exactly the lowest point
    # (peeling the highest would drop a case). After k peels: n = 20 - k, density 5 / (20 - k),
    # coverage 1 while k <= 15 and (20 - k) / 5 after, mass (20 - k) / 20. PRIM stops when the
    # mass reaches min_mass = 0.05 (one point).
    x = np.arange(20.0)[:, None]
    y = (x[:, 0] >= 15).astype(float)
    res = prim(x, y, ["x"], alpha=0.05, min_mass=0.05, threshold=1.0, paste=False)
    t = res.trajectory
    k = np.arange(20)
    assert t.step.tolist() == k.tolist()
    assert t.n.tolist() == (20 - k).tolist()
    assert t.mass.to_numpy() == pytest.approx((20 - k) / 20)
    assert t.density.to_numpy() == pytest.approx(np.minimum(5 / (20 - k), 1.0))
    assert t.coverage.to_numpy() == pytest.approx(np.where(k <= 15, 1.0, (20 - k) / 5))
    # Density 1 first at k = 15 with full coverage: that box, [15, 19], is chosen.
    assert res.chosen == 15
    box = res.box()
    assert box.low.tolist() == [15.0] and box.high.tolist() == [19.0]
    assert box.restricted.tolist() == [True]
    assert res.note == ""


def _known_box(n: int = 3000, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    # Cases of interest: x0 > 0.6 and x1 < 0.3 (x2 irrelevant): a true box of mass 0.4 * 0.3.
    x = np.random.default_rng(seed).random((n, 3))
    y = ((x[:, 0] > 0.6) & (x[:, 1] < 0.3)).astype(float)
    return x, y


def test_recovers_a_known_box() -> None:
    x, y = _known_box()
    res = prim(x, y, ["x0", "x1", "x2"], threshold=0.99)
    t = res.trajectory
    assert t.density[0] == pytest.approx(y.mean()) and y.mean() == pytest.approx(0.12, abs=0.015)
    assert t.coverage[0] == 1.0 and t.mass[0] == 1.0
    peel = t[t.get("pasted_from", np.nan).isna()] if "pasted_from" in t else t
    # Peeling: mass falls by about alpha per step and coverage never rises.
    assert np.all(np.diff(peel.n.to_numpy()) < 0)
    assert np.all(np.diff(peel.coverage.to_numpy()) <= 1e-12)
    ratios = peel.mass.to_numpy()[1:] / peel.mass.to_numpy()[:-1]
    assert np.median(ratios) == pytest.approx(0.95, abs=0.01)
    box = res.box().set_index("parameter")
    assert box.loc["x0", "low"] == pytest.approx(0.6, abs=0.03)
    assert box.loc["x1", "high"] == pytest.approx(0.3, abs=0.03)
    assert box.loc["x0", "high"] == pytest.approx(1.0, abs=0.01)
    assert box.loc["x1", "low"] == pytest.approx(0.0, abs=0.01)
    # x2 carries no information; the chosen box leaves (almost) all of its range.
    assert box.loc["x2", "high"] - box.loc["x2", "low"] > 0.9
    chosen = t.iloc[res.chosen]
    assert chosen.density >= 0.99 and chosen.coverage > 0.9
    # A looser threshold trades density for coverage: the widest box of density >= 0.8 keeps
    # every case of interest and some margin around the true box.
    loose = prim(x, y, ["x0", "x1", "x2"], threshold=0.8)
    row = loose.trajectory.iloc[loose.chosen]
    assert row.coverage == 1.0 and 0.8 <= row.density < 0.9
    lbox = loose.box().set_index("parameter")
    assert lbox.loc["x0", "low"] <= 0.6 and lbox.loc["x1", "high"] >= 0.3


def test_chosen_box_is_the_widest_dense_one() -> None:
    # Bryant & Lempert's rule: among peeled boxes with density >= threshold, the highest coverage.
    x, y = _known_box(seed=5)
    for threshold in (0.5, 0.7, 0.9):
        res = prim(x, y, ["x0", "x1", "x2"], threshold=threshold, paste=False)
        t = res.trajectory
        ok = t[t.density >= threshold]
        assert res.chosen == ok.coverage.idxmax()
        # Members of the chosen box reproduce its row of the trajectory.
        lo, hi = res.lows[res.chosen], res.highs[res.chosen]
        inside = np.all((x >= lo) & (x <= hi), axis=1)
        assert inside.sum() == t.n[res.chosen]
        assert y[inside].mean() == pytest.approx(t.density[res.chosen])
        assert y[inside].sum() / y.sum() == pytest.approx(t.coverage[res.chosen])
    # A higher threshold never buys more coverage.
    chosen_cov = []
    for th in (0.5, 0.7, 0.9, 0.99):
        r = prim(x, y, ["a", "b", "c"], threshold=th, paste=False)
        chosen_cov.append(r.trajectory.coverage[r.chosen])
    assert chosen_cov == sorted(chosen_cov, reverse=True)


def test_no_dense_box_picks_the_densest_and_says_so() -> None:
    rng = np.random.default_rng(1)
    x = rng.random((400, 2))
    y = (rng.random(400) < 0.1).astype(float)  # no structure: no box reaches 0.95
    res = prim(x, y, ["a", "b"], threshold=0.95, paste=False)
    assert "no box reaches density 0.95" in res.note
    assert res.chosen == int(res.trajectory.density.to_numpy().argmax())


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), cut=st.floats(0.2, 0.8))
def test_pasting_never_lowers_density_and_only_widens(seed: int, cut: float) -> None:
    rng = np.random.default_rng(seed)
    x = rng.random((300, 2))
    y = ((x[:, 0] > cut) & (rng.random(300) < 0.9)).astype(float)
    peeled = prim(x, y, ["a", "b"], paste=False)
    pasted = prim(x, y, ["a", "b"], paste=True)
    k0, k1 = peeled.chosen, pasted.chosen
    assert pasted.trajectory.density[k1] >= peeled.trajectory.density[k0] - 1e-12
    assert np.all(pasted.lows[k1] <= peeled.lows[k0]) and np.all(
        pasted.highs[k1] >= peeled.highs[k0]
    )


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="alpha must lie in"):
        prim(np.zeros((3, 1)), np.zeros(3), ["a"], alpha=0.6)
    with pytest.raises(ValueError, match="x must be"):
        prim(np.zeros((3, 1)), np.zeros(4), ["a"])
