"""Stokman's exchange model against the known values of its specification (exchange-spec §12.1),
hand calculations written out below, and the Decide reference's published COP21 ranges (§12.3).

Fractions in this file are worked by hand from the rules of the specification (§2–§5, §7.2, §9.1),
never taken from a run of parley.
"""

from __future__ import annotations

from fractions import Fraction as F
from importlib import resources
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.negotiation.exchange import (
    ExchangeOptions,
    decide_nbs,
    exchange_model,
    leverage,
    run_round,
)
from parley.negotiation.exchange_kernels import (
    build_candidates,
    compute_equal_gain,
    maximum_utility,
    nbs_outcome,
    randomise_gain,
)
from parley.negotiation.registry import get_model
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.importers.exchange import load_exchange
from parley.scenario.schema import Scenario


def close(value: float, exact: F | float, tol: float = 1e-10) -> bool:
    return abs(float(value) - float(exact)) <= tol


# --- the reference's 2 actors x 2 issues unit test (test_rex) ------------------------------------
# Actor-1 at 0 on both issues, saliences (10, 90); Actor-2 at 100, saliences (60, 50); power 1.
X22 = np.array([[0.0, 0.0], [100.0, 100.0]])
S22 = np.array([[10.0, 90.0], [60.0, 50.0]])
C22 = np.ones((2, 2))


def two_by_two(salience: np.ndarray = S22) -> tuple[Any, np.ndarray, np.ndarray]:
    _, kappa = leverage(salience, C22)
    outcome = (kappa * X22).sum(axis=0)
    cand = build_candidates(X22, salience, kappa)
    compute_equal_gain(cand, np.arange(cand.size), outcome, X22, kappa, "nocap")
    return cand, kappa, outcome


def stance(position: float, salience: float) -> dict[str, float]:
    return {"position": position, "salience": salience}


def test_rex_nbs_oracle() -> None:
    # Issue 1: (0*10 + 100*60)/70 = 600/7 = 85 5/7; issue 2: 100*50/140 = 250/7 = 35 5/7.
    out = nbs_outcome(X22, S22 * C22)
    assert close(out[0], F(600, 7)) and close(out[1], F(250, 7))
    sc = Scenario.model_validate(
        {
            "id": "rex",
            "issues": [{"id": "i1"}, {"id": "i2"}],
            "actors": [
                {
                    "id": "Actor-1",
                    "capability": 1,
                    "positions": {"i1": stance(0, 0.1), "i2": stance(0, 0.9)},
                },
                {
                    "id": "Actor-2",
                    "capability": 1,
                    "positions": {"i1": stance(100, 0.6), "i2": stance(100, 0.5)},
                },
            ],
        }
    )
    nbs = decide_nbs(stakeholder_batch([sc]))[0]
    assert close(nbs[0], F(600, 7)) and close(nbs[1], F(250, 7))


def test_rex_full_move_gains_losses_and_maximum_utility() -> None:
    cand, kappa, _ = two_by_two()
    # One candidate: Actor-2 has the larger ratio s_1/s_2 (60/50 > 10/90), so it is I (demands
    # issue 1, supplies issue 2); Actor-1 is J.
    assert cand.size == 1
    assert cand.actor[0].tolist() == [1, 0] and cand.supply[0].tolist() == [1, 0]
    # Outcome shifts of full moves: Actor-1 0 -> 100 on issue 1: kappa 10/70 * 100 = 100/7;
    # Actor-2 100 -> 0 on issue 2: 50/140 * 100 = 250/7.
    full = cand.kap_sup * np.abs(cand.target - cand.x)
    assert close(full[0, 1], F(100, 7)) and close(full[0, 0], F(250, 7))
    loss_a1_i1 = S22[0, 0] * full[0, 1]  # 10 * 100/7
    gain_a2_i1 = S22[1, 0] * full[0, 1]  # 60 * 100/7
    gain_a1_i2 = S22[0, 1] * full[0, 0]  # 90 * 250/7
    loss_a2_i2 = S22[1, 1] * full[0, 0]  # 50 * 250/7
    assert close(loss_a1_i1, F(1000, 7)) and close(gain_a2_i1, F(6000, 7))
    assert close(gain_a1_i2, F(22500, 7), 1e-9) and close(loss_a2_i2, F(12500, 7), 1e-9)
    # §9.1: g1 = 22500/7 (J gains), l1 = 1000/7, g2 = 6000/7, l2 = 12500/7; g2 < g1 so I acts with
    # (g2, l1): M_I = 6000/7 - 1000/7 * 50/90 = 7000/9; M_J = 6000/7 * 90/50 - 1000/7 = 1400.
    best = maximum_utility(cand.sal_sup, cand.sal_dem, full)
    assert close(best[0, 1], 1400.0, 1e-9)  # Actor-1
    assert close(best[0, 0], F(7000, 9), 1e-9)  # Actor-2: 777.78


def test_rex_equal_gain_exchange() -> None:
    cand, _, _ = two_by_two()
    # §4: J (Actor-1) moves fully: delta_1 = 100/7; delta_2 = 100/7 * (10 + 60)/(90 + 50) = 50/7;
    # I's move = (50/7)/(50/140) = 20 <= 100; G = 100/7 * (60*90 - 50*10)/(50 + 90) = 500.
    assert cand.valid[0]
    assert cand.move[0].tolist() == pytest.approx([-20.0, 100.0], abs=1e-10)
    assert cand.y[0].tolist() == pytest.approx(
        [80.0, 100.0], abs=1e-10
    )  # Actor-2 on 2, Actor-1 on 1
    assert close(cand.gain[0], 500.0, 1e-9)
    # Equal gain, each side computed on its own: Actor-2 gains 60*100/7 - 50*50/7 = 500 and
    # Actor-1 gains 90*50/7 - 10*100/7 = 500.


def test_rex_round_with_preference_update() -> None:
    # Same exchange on 0-1 saliences (gains scale by 1/100), then §7.2: Actor-1 internalises
    # 0.1 + 0.4 (1 - 0.1) = 0.46 of its voting move on issue 1 (0 -> 46); Actor-2 0.1 + 0.4*0.5 =
    # 0.3 of its move on issue 2 (100 -> 94). Voting outcome issue 2: 80*50/140 = 200/7.
    s = S22 / 100.0
    res = run_round(X22, s, C22, ExchangeOptions(tie_rule="first"), None)
    assert res.candidates == 1
    assert res.realised["gain"].tolist() == pytest.approx([5.0])
    np.testing.assert_allclose(res.voting, [[100.0, 0.0], [100.0, 80.0]], atol=1e-10)
    np.testing.assert_allclose(res.end, [[46.0, 0.0], [100.0, 94.0]], atol=1e-10)
    vote = nbs_outcome(res.voting, s * C22)
    assert close(vote[0], 100.0) and close(vote[1], F(200, 7))


# --- outcome-crossing cap (§5), worked by hand ----------------------------------------------------
# Three actors, equal power. Issue p: positions 0, 100, 40, saliences .6, .2, 1 -> kappa 1/3, 1/9,
# 5/9, outcome 300/9 = 33 1/3. Issue q: positions 40, 60, 100, saliences 1, .5, .8 -> kappa 10/23,
# 5/23, 8/23, outcome 1500/23. Actor 0 is left on both, actor 2 right on both: the only candidate.
# Ratios s_p/s_q: actor 2 1.25 > actor 0 0.6, so actor 2 is I (supplies q), actor 0 is J.
XC = np.array([[0.0, 40.0], [100.0, 60.0], [40.0, 100.0]])
SC = np.array([[0.6, 1.0], [0.2, 0.5], [1.0, 0.8]])


def test_crossing_cap_by_hand() -> None:
    _, kappa = leverage(SC, np.full((3, 2), 2.0))
    outcome = (kappa * XC).sum(axis=0)
    cand = build_candidates(XC, SC, kappa)
    assert cand.size == 1 and cand.actor[0].tolist() == [2, 0]
    compute_equal_gain(cand, np.arange(1), outcome, XC, kappa, "nocap")
    # Uncapped, J would move 0 -> 40 and shift the outcome of p by 40/3 to 46 2/3, past its
    # partner's 40. Cap: m_J = (40 - 100/3)/(1/3) = 20, delta_p = 20/3, delta_q = 20/3 *
    # (.6 + 1)/(1 + .8) = 160/27, m_I = 160/27 / (8/23) = 460/27; G = 20/3 (1*1 - .8*.6)/1.8 = 52/27.
    d_p = F(20, 3)
    d_q = d_p * (F(6, 10) + 1) / (1 + F(8, 10))
    m_i = d_q / F(8, 23)
    gain = d_p * (1 * 1 - F(8, 10) * F(6, 10)) / (F(8, 10) + 1)
    assert d_q == F(160, 27) and m_i == F(460, 27) and gain == F(52, 27)
    assert cand.valid[0]
    assert close(cand.move[0, 1], 20.0) and close(cand.move[0, 0], -float(m_i))
    assert close(cand.gain[0], gain)
    # The outcome of p now lands exactly on J's target: 100/3 + (1/3) * 20 = 40.
    assert close(outcome[0] + kappa[0, 0] * cand.move[0, 1], 40.0)


# --- ambiguity X2: the supply issue's outcome already sits on the partner's position -------------
# Issue p: positions 100, 50, 0 with saliences .5, 1, .5 -> outcome exactly 50 = actor 1's position
# (x <= O counts as left). Issue q: 100, 0, 100 with saliences 1, .5, .5 -> outcome 75. Actor 0
# (right, right) and actor 1 (left, left) form the only pair; actor 0 has the lower ratio s_p/s_q
# (.5 < 2) and supplies p. Uncapped: it moves 100 -> 50, delta_p = .25*50 = 12.5 = delta_q, actor 1
# moves 0 -> 50 on q, G = 12.5 (1*1 - .5*.5)/1.5 = 6.25. The outcome of p would go to 37.5.
XB = np.array([[100.0, 100.0], [50.0, 0.0], [0.0, 100.0]])
SB = np.array([[0.5, 1.0], [1.0, 0.5], [0.5, 0.5]])


@pytest.mark.parametrize(("rule", "valid"), [("nocap", True), ("void", False)])
def test_boundary_rule(rule: str, valid: bool) -> None:
    _, kappa = leverage(SB, np.ones((3, 2)))
    outcome = (kappa * XB).sum(axis=0)
    assert outcome.tolist() == pytest.approx([50.0, 75.0])
    cand = build_candidates(XB, SB, kappa)
    assert cand.size == 1 and cand.actor[0].tolist() == [1, 0]
    compute_equal_gain(cand, np.arange(1), outcome, XB, kappa, rule)
    assert bool(cand.valid[0]) is valid
    if valid:
        assert cand.move[0].tolist() == pytest.approx([50.0, -50.0])
        assert close(cand.gain[0], 6.25)


# --- randomised equal gain (§9.1) -----------------------------------------------------------------
class FixedDraws:
    """Stands in for the RNG: returns given (u, v, z) rows."""

    def __init__(self, rows: list[list[float]]) -> None:
        self.rows = np.array(rows)

    def random(self, shape: tuple[int, int]) -> np.ndarray:
        assert shape == self.rows.shape
        return self.rows


def test_rex_p_zero_is_equal_gain() -> None:
    for u in (0.2, 0.8):  # either side chosen; with p = 0 its gain stays G
        cand, _, _ = two_by_two()
        randomise_gain(cand, np.arange(1), 0.0, FixedDraws([[u, 0.3, 0.9]]))  # type: ignore[arg-type]
        assert cand.move[0].tolist() == pytest.approx([-20.0, 100.0])
        assert cand.gain_side[0].tolist() == pytest.approx([500.0, 500.0])


def test_rex_draw_by_hand() -> None:
    cand, _, _ = two_by_two()
    # u = .2 -> side A = I (Actor-2); v = .3 -> it "wins": G_A = 500 + 1 * .5 (7000/9 - 500) =
    # 5750/9. A moves fully on issue 2: r_A = 250/7; partner's shift (G_A + 50 r_A)/60 = 40.4 would
    # need a move of 283 > 100, so Actor-1 moves fully (r_B = 100/7, move 100) and A's shift is
    # re-solved: r_A = (60 * 100/7 - 5750/9)/50 = 275/63, move 275/63 * 140/50 = 110/9.
    # Actor-1's gain: 90 * 275/63 - 10 * 100/7 = 250.
    randomise_gain(cand, np.arange(1), 1.0, FixedDraws([[0.2, 0.3, 0.5]]))  # type: ignore[arg-type]
    assert cand.valid[0]
    assert close(cand.move[0, 0], -float(F(110, 9)), 1e-9)
    assert close(cand.move[0, 1], 100.0, 1e-9)
    assert close(cand.gain_side[0, 0], F(5750, 9), 1e-9)
    assert close(cand.gain_side[0, 1], 250.0, 1e-9)


def test_rex_variant_runs_and_differs_from_equal_gain() -> None:
    sc = _load("copenhagen.csv")
    batch = stakeholder_batch([sc])
    eg = exchange_model(batch, rounds=3, seed=5)
    rex = exchange_model(batch, rounds=3, seed=5, variant="randomised_equal_gain", rex_p=0.5)
    again = exchange_model(batch, rounds=3, seed=5, variant="randomised_equal_gain", rex_p=0.5)
    np.testing.assert_array_equal(rex.outcome, again.outcome)  # seeded
    assert np.abs(rex.outcome - eg.outcome).max() > 1e-6
    ex = rex.extra["exchanges"]
    # Sides of a REX exchange no longer gain equally.
    gains = ex["side_gain"].to_numpy().reshape(-1, 2)
    assert (np.abs(gains[:, 0] - gains[:, 1]) > 1e-9).any()
    assert np.isfinite(rex.outcome).all()


# --- options --------------------------------------------------------------------------------------
def test_bad_options() -> None:
    batch = stakeholder_batch([_load("copenhagen.csv")])
    with pytest.raises(ValueError, match="variant"):
        exchange_model(batch, variant="random_rate")
    with pytest.raises(ValueError, match="boundary"):
        exchange_model(batch, boundary="cap")
    with pytest.raises(ValueError, match="tie_rule"):
        exchange_model(batch, tie_rule="last")
    with pytest.raises(ValueError, match="rex_p"):
        exchange_model(batch, rex_p=1.5)
    with pytest.raises(ValueError, match="unknown option"):
        exchange_model(batch, gamma=2)
    assert get_model("exchange") is exchange_model


def test_tie_rules() -> None:
    batch = stakeholder_batch([_load("copenhagen.csv")])
    first = exchange_model(batch, rounds=4, tie_rule="first")
    np.testing.assert_array_equal(
        first.outcome, exchange_model(batch, rounds=4, tie_rule="first", seed=9).outcome
    )
    a = exchange_model(batch, rounds=4, seed=3)
    np.testing.assert_array_equal(a.outcome, exchange_model(batch, rounds=4, seed=3).outcome)


# --- real data ------------------------------------------------------------------------------------
def _load(name: str) -> Scenario:
    text = (resources.files("parley.data") / "exchange" / name).read_text(encoding="utf-8")
    return load_exchange(text, name)[0]


#: Decide reference, 10 runs with random.seed(1..10), final preference outcome after 10 rounds
#: (exchange-spec §12.3): min..max over the runs, and the initial outcome.
COP21_REFERENCE = {
    "finance_vol": (77.2, 80.6, 47.6),
    "eaa": (16.4, 23.1, 57.1),
    "adapt_legal": (79.21, 79.40, 59.5),
}


@pytest.fixture(scope="module")
def cop21_runs() -> SimpleNamespace:
    batch = stakeholder_batch([_load("cop21.csv")])
    runs = [exchange_model(batch, rounds=10, seed=s) for s in range(1, 11)]
    return SimpleNamespace(batch=batch, runs=runs)


@pytest.mark.slow
def test_cop21_candidates_and_initial_outcomes(cop21_runs: SimpleNamespace) -> None:
    ids = list(cop21_runs.batch.issue_ids[0])
    for run in cop21_runs.runs:
        assert run.extra["candidates"][0, 0] == 2094  # §12.2: round 1 of every reference run
        n_moves = len(run.extra["exchanges"]) // 2
        assert 1100 <= n_moves <= 1500  # §12.2: about 1,300 realised exchanges per run
        for issue, (_, _, start) in COP21_REFERENCE.items():
            assert round(run.extra["preference_outcome"][0, 0, ids.index(issue)], 1) == start


@pytest.mark.slow
def test_cop21_ten_runs_against_reference_ranges(cop21_runs: SimpleNamespace) -> None:
    ids = list(cop21_runs.batch.issue_ids[0])
    final = np.array([run.outcome[0] for run in cop21_runs.runs])
    for issue, (lo, hi, _) in COP21_REFERENCE.items():
        v = final[:, ids.index(issue)]
        inside = (v >= lo - 0.05) & (v <= hi + 0.05)  # the reference's bounds are printed rounded
        # The run-to-run spread comes from random tie breaks only (X1), and our runs draw other
        # random numbers than the reference's and decide boundary events (X2) by rule, not by
        # Decimal noise; so not every run lands inside the reference's range of ten runs. What
        # must hold: the two ranges overlap, the reference's midpoint lies inside ours, and most
        # of our runs lie inside the reference's range (docs/exchange.md: over 100 seeds 90 %,
        # 93 % and 100 % of runs fall inside; 68 %, 71 % and 99 % before the recomputation fix).
        assert v.min() <= hi and v.max() >= lo, (issue, v)
        assert v.min() <= (lo + hi) / 2 <= v.max(), (issue, v)
        assert inside.mean() >= 0.6, (issue, v)


@pytest.mark.slow
def test_copenhagen_ten_runs() -> None:
    batch = stakeholder_batch([_load("copenhagen.csv")])
    start = decide_nbs(batch)[0]
    for seed in range(1, 11):
        run = exchange_model(batch, rounds=10, seed=seed)
        assert run.history is not None
        pref = run.extra["preference_outcome"][0]
        np.testing.assert_allclose(pref[0], start, atol=1e-12)
        # Preference positions only move toward voting positions (§7.2), so they stay in 0-100
        # and every issue outcome stays a weighted mean of them.
        h = run.history[0]
        assert np.nanmin(h) >= -1e-9 and np.nanmax(h) <= 100 + 1e-9
        assert run.extra["candidates"][0, 0] > 0
        assert len(run.extra["exchanges"]) > 0


# --- cross-check against the plain per-exchange implementation and kernel properties -------------
def _loop_module() -> Any:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "exchange_loop.py"
    spec = importlib.util.spec_from_file_location("exchange_loop", path)
    assert spec is not None and spec.loader is not None
    import sys

    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("exchange_loop", mod)
    spec.loader.exec_module(sys.modules["exchange_loop"])
    mod = sys.modules["exchange_loop"]
    return mod


def test_copenhagen_equals_plain_loop_with_the_same_random_stream() -> None:
    import random

    loop = _loop_module()
    batch = stakeholder_batch([_load("copenhagen.csv")])
    x0, s = batch.position[0], batch.salience[0]
    c = np.broadcast_to(batch.capability[0][:, None], x0.shape)
    states, _ = loop.run(x0.tolist(), s.tolist(), c.tolist(), 5, seed=7, duplicates=True)
    rng = random.Random(7)
    x = x0.copy()
    for t in range(5):
        x = run_round(x, s, c, ExchangeOptions(), rng).end  # type: ignore[arg-type]
        np.testing.assert_allclose(x, np.array(states[t + 1]), atol=1e-9)


problems = st.integers(3, 6).flatmap(
    lambda n: st.integers(2, 4).flatmap(
        lambda m: st.tuples(
            st.lists(st.lists(st.integers(0, 10), min_size=m, max_size=m), min_size=n, max_size=n),
            st.lists(st.lists(st.integers(1, 10), min_size=m, max_size=m), min_size=n, max_size=n),
            st.lists(st.integers(1, 5), min_size=n, max_size=n),
        )
    )
)


def _arrays(p: tuple[list[list[int]], list[list[int]], list[int]]) -> tuple[np.ndarray, ...]:
    x = np.array(p[0], dtype=float) * 10.0
    s = np.array(p[1], dtype=float) / 10.0
    c = np.broadcast_to(np.array(p[2], dtype=float)[:, None], x.shape)
    return x, s, c


@given(problems)
@settings(max_examples=40, deadline=None)
def test_kernel_properties(p: tuple[list[list[int]], list[list[int]], list[int]]) -> None:
    x, s, c = _arrays(p)
    n, m = x.shape
    w, kappa = leverage(s, c)
    outcome = (kappa * x).sum(axis=0)
    cand = build_candidates(x, s, kappa)
    # Candidate count: per issue pair, |A||D| + |B||C| of the side groups of §3 (x <= O is left,
    # X6, with O = sum w x / sum w as in exact arithmetic, to a tolerance of 1e-9).
    left = x <= (w * x).sum(axis=0) / w.sum(axis=0) + 1e-9
    count = 0
    for p_ in range(m):
        for q in range(p_ + 1, m):
            g = [
                (~left[:, p_] & ~left[:, q]).sum(),
                (left[:, p_] & ~left[:, q]).sum(),
                (~left[:, p_] & left[:, q]).sum(),
                (left[:, p_] & left[:, q]).sum(),
            ]
            count += g[0] * g[3] + g[1] * g[2]
    assert cand.size == count
    compute_equal_gain(cand, np.arange(cand.size), outcome, x, kappa, "nocap")
    ok = cand.valid
    dist = np.abs(cand.target - cand.x)
    assert (np.abs(cand.move[ok]) <= dist[ok] + 1e-9).all()  # nobody overshoots its target
    assert ((cand.y[ok] >= -1e-9) & (cand.y[ok] <= 100 + 1e-9)).all()
    # Equal gain, each side from its own saliences: gain on the demand issue (partner's shift
    # there) minus loss on the supply issue (own shift).
    shift = cand.kap_sup * np.abs(cand.move)
    own = cand.sal_dem * shift[:, ::-1] - cand.sal_sup * shift
    np.testing.assert_allclose(own[ok, 0], own[ok, 1], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(own[ok, 0], cand.gain[ok], rtol=1e-9, atol=1e-12)
    assert (cand.gain[ok] > 0).all()
    # The outcome of a supply issue never passes the partner's position (crossing cap, §5).
    for side in (0, 1):
        k = cand.supply[ok, side]
        new = outcome[k] + cand.kap_sup[ok, side] * cand.move[ok, side]
        t = cand.target[ok, side]
        assert (((t - outcome[k]) * (t - new)) >= -1e-9).all()
    # NBS is a weighted mean: inside the positions' range, invariant to the scale of weights.
    out = nbs_outcome(x, w)
    assert (out >= x.min(axis=0) - 1e-9).all() and (out <= x.max(axis=0) + 1e-9).all()
    np.testing.assert_allclose(nbs_outcome(x, 3.0 * w), out, rtol=1e-12)


@given(problems)
@settings(max_examples=25, deadline=None)
def test_rounds_equal_plain_loop(p: tuple[list[list[int]], list[list[int]], list[int]]) -> None:
    x, s, c = _arrays(p)
    loop = _loop_module()
    states, _ = loop.run(x.tolist(), s.tolist(), c.tolist(), 3, seed=None)
    cur = x
    for t in range(3):
        res = run_round(cur, s, c, ExchangeOptions(tie_rule="first"), None)
        # Preference positions lie between the round start and the voting position (§7.2).
        lo, hi = np.minimum(cur, res.voting), np.maximum(cur, res.voting)
        assert ((res.end >= lo - 1e-9) & (res.end <= hi + 1e-9)).all()
        cur = res.end
        np.testing.assert_allclose(cur, np.array(states[t + 1]), atol=1e-8)


@pytest.mark.parametrize("variant", ["equal_gain", "randomised_equal_gain"])
def test_batch_in_lockstep_equals_one_at_a_time(variant: str) -> None:
    # Copenhagen, the 2x2 case and a shuffled-issue Copenhagen in one batch (different sizes,
    # padded): each negotiation must follow exactly the path it follows alone with its stream.
    cop = _load("copenhagen.csv")
    rex = Scenario.model_validate(
        {
            "id": "rex",
            "issues": [{"id": "i1"}, {"id": "i2"}],
            "actors": [
                {"id": "A1", "positions": {"i1": stance(0, 0.1), "i2": stance(0, 0.9)}},
                {"id": "A2", "positions": {"i1": stance(100, 0.6), "i2": stance(100, 0.5)}},
            ],
        }
    )
    flipped = cop.model_copy(update={"id": "flipped", "issues": cop.issues[::-1]})
    batch = stakeholder_batch([cop, rex, flipped])
    res = exchange_model(batch, rounds=3, seed=4, variant=variant)
    streams = np.random.default_rng(4).spawn(3)
    for b in range(3):
        x, s = batch.position[b], batch.salience[b]
        p = np.broadcast_to(batch.capability[b][:, None], x.shape)
        for _ in range(3):
            x = run_round(x, s, p, ExchangeOptions(variant=variant), streams[b]).end
        assert res.history is not None
        np.testing.assert_array_equal(res.history[b, -1], x)
