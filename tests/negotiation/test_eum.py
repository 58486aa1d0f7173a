"""Tests of the expected-utility model against Scholz, Calbert & Smith (2011) and hand calculations.

Reference values: the EC car-emission case (Bueno de Mesquita 1994, Table 1) as reconstructed by
Scholz et al. 2011 (Table 2, Figs 7-11) and the verified numbers of the reconstruction record in
``docs/eum.md`` (independent implementation agreeing with jmckib/dmasad's code to 6e-14).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.negotiation import eum_kernels as K
from parley.negotiation.eum import (
    EumOptions,
    EumRun,
    RoundPass,
    challenge_utilities,
    eum_model,
    eum_options,
    run_problems,
)
from parley.negotiation.registry import get_model
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.importers.eum_csv import load_eum_csv
from parley.scenario.schema import Scenario

EC_ACTORS = ("NL", "BE", "LU", "DE", "FR", "IT", "UK", "IE", "DK", "GR")
NL, BE, LU, DE, FR, IT, UK, IE, DK, GR = range(10)
# Bueno de Mesquita (1994) Table 1: capability, position (years), salience (/100).
EC_C = np.array([0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08])
EC_X = np.array([4.0, 7, 4, 4, 10, 10, 10, 7, 4, 7])
EC_S = np.array([80.0, 40, 20, 80, 60, 60, 90, 10, 100, 70]) / 100

# Scholz et al. reconstruction (SC profile), rounds 1-10.
SC_MEDIAN = [8.416, 9.611, 9.962, 9.962, 9.962, 7.472, 8.825, 9.671, 9.671, 7.000]
SC_MEAN = [7.461, 7.553, 7.590, 7.358, 7.349, 7.415, 7.510, 7.572, 7.325, 7.242]
# Scholz et al. (2011) Table 2, rounds 1-8 (printed to one decimal).
TABLE2_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
TABLE2_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]


def ec_run(rounds: int = 10, profile: str = "scholz-code", **options: Any) -> EumRun:
    x, c, s = EC_X[None], EC_C[None], EC_S[None]
    return run_problems(
        x, s, c, np.ones_like(x, dtype=bool), rounds, eum_options(profile, **options)
    )


def ec_round1(**options: Any) -> RoundPass:
    x, c, s = EC_X[None], EC_C[None], EC_S[None]
    valid = np.ones_like(x, dtype=bool)
    return challenge_utilities(
        x, s, c * s, valid, np.array([6.0]), np.ones_like(x), eum_options(**options)
    )


def ec_scenario(scale: tuple[float, float] = (4.0, 10.0), factor: float = 1.0) -> Scenario:
    return Scenario.model_validate(
        {
            "id": "ec",
            "issues": [{"id": "year", "scale_min": scale[0], "scale_max": scale[1]}],
            "actors": [
                {
                    "id": a,
                    "capability": float(c),
                    "positions": {"year": {"position": float(x) * factor, "salience": float(s)}},
                }
                for a, c, x, s in zip(EC_ACTORS, EC_C, EC_X, EC_S, strict=True)
            ],
        }
    )


# --- parity with the Scholz et al. reconstruction -------------------------------------------------


def test_sc_trajectory_matches_reconstruction() -> None:
    run = ec_run()
    assert run.median[0, 0] == pytest.approx(7.0, abs=1e-12)
    assert run.mean[0, 0] == pytest.approx(5.003 / 0.677, abs=1e-12)  # hand: sum(c s x)/sum(c s)
    np.testing.assert_allclose(run.median[0, 1:], SC_MEDIAN, atol=5e-4)
    np.testing.assert_allclose(run.mean[0, 1:], SC_MEAN, atol=5e-4)


def test_sc_against_published_table2_truncated() -> None:
    run = ec_run(8)
    trunc_med = np.floor(run.median[0, 1:] * 10) / 10
    trunc_mean = np.floor(run.mean[0, 1:] * 10) / 10
    hits = np.isclose(trunc_med, TABLE2_MEDIAN)
    # 7 of 8 published medians; round 2 prints 9.9 but the dynamics give 9.61 (docs/eum.md).
    assert hits.tolist() == [True, False, True, True, True, True, True, True]
    assert trunc_med[1] == pytest.approx(9.6)
    assert np.isclose(trunc_mean, TABLE2_MEAN).sum() == 6
    assert np.max(np.abs(run.mean[0, 1:] - TABLE2_MEAN)) < 0.065


def test_round1_risk_matches_section_11_1() -> None:
    rp = ec_round1()
    danger = {NL: -5.249283, BE: 1.428336, LU: 5.437679, FR: -2.093933, UK: -8.640899}
    danger |= {IE: 5.607084, DK: -8.811603, GR: -2.750413, DE: -5.249283, IT: -2.093933}
    rel = {NL: -0.505874, BE: 0.420370, LU: 0.976502, FR: -0.068199, UK: -0.976322}
    rel |= {IE: 1.0, DK: -1.0, GR: -0.159259, DE: -0.505874, IT: -0.068199}
    risk = {NL: 1.405653, BE: 0.754196, LU: 0.508864, FR: 1.046524, UK: 1.964898}
    risk |= {IE: 0.5, DK: 2.0, GR: 1.112125, DE: 1.405653, IT: 1.046524}
    for k in range(10):
        assert rp.danger[0, k] == pytest.approx(danger[k], abs=2e-6)
        assert rp.relative_danger[0, k] == pytest.approx(rel[k], abs=2e-6)
        assert rp.risk[0, k] == pytest.approx(risk[k], abs=2e-6)


def test_round1_probability_constant() -> None:
    # Z = 28.233 with all exponents 1; P(Belgium -> France) ~ 0.0060 (reconstruction §3).
    valid = np.ones((1, 10), dtype=bool)
    w, span, ones = (EC_C * EC_S)[None], np.array([6.0]), np.ones((1, 10))
    num = K.supporter_votes(EC_X[None], valid, span, w, ones)
    assert 2 * num.sum() == pytest.approx(28.233, abs=5e-4)
    prob = K.win_probability(
        EC_X[None], valid, span, w, ones, denominator="all-pairs", numerator="supporters"
    )
    assert prob[0, BE, FR] == pytest.approx(0.0060, abs=5e-5)
    assert prob[0, BE, GR] == 0.0  # same position


@pytest.mark.parametrize(
    ("viewer", "partner", "published", "reconstruction"),
    [
        (BE, DK, (-0.83, 0.24), (-0.832, 0.242)),  # Fig. 7
        (BE, LU, (0.60, 0.24), (0.606, 0.242)),
        (BE, IE, (0.0, 0.0), (0.0, 0.0)),
        (BE, GR, (0.0, 0.0), (0.0, 0.0)),
        (FR, DK, (-2.00, -0.44), (-2.016, -0.442)),  # Fig. 8
        (FR, LU, (1.15, -0.44), (1.146, -0.442)),
        (NL, UK, (-2.01, -1.67), (-2.059, -1.652)),  # Fig. 9
    ],
)
def test_round1_eu_pairs_match_figures(
    viewer: int,
    partner: int,
    published: tuple[float, float],
    reconstruction: tuple[float, float],
) -> None:
    rp = ec_round1()
    got = (rp.a[0, viewer, partner], rp.b[0, viewer, partner])
    assert got == pytest.approx(published, abs=0.05)
    assert got == pytest.approx(reconstruction, abs=1e-3)


def test_fig10_luxembourg_view_uses_both_exponents() -> None:
    # x = E_{r_j}(j -> Luxembourg) (j's own view), y = E_{r_LU}(j -> Luxembourg).
    rp = ec_round1()
    assert (rp.a[0, UK, LU], rp.b[0, LU, UK]) == pytest.approx((0.234, 2.021), abs=1e-3)
    assert (rp.a[0, FR, LU], rp.b[0, LU, FR]) == pytest.approx((1.146, 2.021), abs=1e-3)


def test_fig11_bottom_status_quo_half() -> None:
    # Netherlands' view with Q = 0.5 and T = 1; the median is 7.
    rp = ec_round1(q=0.5)
    assert rp.median[0] == 7.0
    assert (rp.a[0, NL, LU], rp.b[0, NL, LU]) == pytest.approx((-0.24, -0.26), abs=0.03)
    assert (rp.a[0, NL, LU], rp.b[0, NL, LU]) == pytest.approx((-0.252, -0.252), abs=1e-3)
    assert (rp.a[0, NL, UK], rp.b[0, NL, UK]) == pytest.approx((-2.688, -2.282), abs=1e-3)


def test_round1_moves_and_the_cycle() -> None:
    res = eum_model(stakeholder_batch(ec_scenario()))
    moves = res.extra["moves"]
    r1 = moves[moves["round"] == 1].set_index("target")
    assert sorted(r1.index) == ["BE", "IE", "LU"]
    assert r1.loc["BE", "type"] == "compromise" and r1.loc["BE", "challenger"] == "FR"
    assert r1.loc["BE", "new_position"] == pytest.approx(8.415932, abs=1e-6)
    assert (r1.loc["BE", "a"], r1.loc["BE", "b"]) == pytest.approx((-0.114831, 0.243297), abs=1e-6)
    assert r1.loc["LU", "type"] == "conflict" and r1.loc["LU", "challenger"] == "BE"
    assert (r1.loc["LU", "old_position"], r1.loc["LU", "new_position"]) == (4.0, 7.0)
    assert r1.loc["IE", "type"] == "conflict" and r1.loc["IE", "challenger"] == "LU"
    assert r1.loc["IE", "new_position"] == 4.0
    hist = res.history
    assert hist is not None and hist.shape == (1, 11, 10, 1)
    np.testing.assert_array_equal(hist[0, 0, :, 0], EC_X)
    kinds = res.extra["moves"].set_index(["round", "target"])["type"]
    for t in range(1, 10):
        # Luxembourg always loses a conflict to Belgium and takes its previous position; Ireland
        # always loses a conflict to Luxembourg or Belgium. In rounds 6 and 10 the means (7.415,
        # 7.242) pin Ireland to Belgium's position (Luxembourg's would give 7.410, 7.283).
        assert hist[0, t + 1, LU, 0] == hist[0, t, BE, 0]
        assert hist[0, t + 1, IE, 0] in (hist[0, t, BE, 0], hist[0, t, LU, 0])
        assert kinds[(t + 1, "LU")] == kinds[(t + 1, "IE")] == "conflict"
    assert hist[0, 6, IE, 0] == hist[0, 5, BE, 0] and hist[0, 10, IE, 0] == hist[0, 9, BE, 0]
    np.testing.assert_allclose(res.extra["median"][0, 1:, 0], SC_MEDIAN, atol=5e-4)
    assert res.outcome[0, 0] == pytest.approx(7.0)


def test_model_registered_and_exact_to_1e6() -> None:
    res = get_model("eum")(stakeholder_batch(ec_scenario()), rounds=10)
    np.testing.assert_allclose(res.extra["median"][0, 1:, 0], SC_MEDIAN, atol=5e-4)
    np.testing.assert_allclose(res.extra["mean"][0, 1:, 0], SC_MEAN, atol=5e-4)
    # Six-decimal values of the reconstruction's code (spec §11.1 / round-1 moves).
    assert res.extra["median"][0, 1, 0] == pytest.approx(8.415932, abs=1e-6)
    assert res.extra["risk"][0, 0, :, 0] == pytest.approx(
        [1.405653, 0.754196, 0.508864, 1.405653, 1.046524]
        + [1.046524, 1.964898, 0.5, 2.0, 1.112125],
        abs=1e-6,
    )


# --- every named option ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "medians"),
    [
        ({"vote_exponent": "linear"}, [8.427, 9.620, 9.964, 9.964, 9.964, 7.524, 8.872, 9.699]),
        ({"target_perspective": "target"}, [8.779, 9.800, 9.973, 9.997, 10, 10, 10, 10]),
        ({"offer_choice": "least-move"}, [8.416, 9.475, 9.932, 9.999, 10, 10, 7.003, 7.002]),
        ({"update": "sequential"}, [8.416, 9.428, 9.915, 7.0, 7.0, 7.0, 7.949, 9.089]),
        ({"first_pass": "carry"}, [8.416, 9.577, 9.577, 9.577, 7.0, 7.920, 8.872, 8.872]),
        (
            {"probability_numerator": "net"},
            [8.493, 9.666, 9.973, 9.973, 9.973, 7.557, 8.962, 9.753],
        ),
        ({"probability_denominator": "pairwise"}, [7.0] * 8),
    ],
)
def test_option_paths_on_ec(options: dict[str, str], medians: list[float]) -> None:
    run = ec_run(8, **options)
    np.testing.assert_allclose(run.median[0, 1:], medians, atol=1e-3)


def test_least_move_compromise_path() -> None:
    run = ec_run(8, offer_choice="least-move-compromise")
    np.testing.assert_allclose(run.median[0, 3:], [9.962, 10, 10, 10, 10, 8.179], atol=1e-3)


def test_carry_with_challenger_danger_perspective() -> None:
    run = ec_run(4, first_pass="carry", danger_perspective="challenger")
    np.testing.assert_allclose(run.median[0, 1:], [8.416, 9.608, 9.970, 10.0], atol=1e-3)
    # with the default reset the danger perspective is irrelevant
    a, b = ec_run(10), ec_run(10, danger_perspective="challenger")
    np.testing.assert_array_equal(a.positions, b.positions)


@pytest.mark.parametrize(
    "options",
    [
        {"capitulation": True},
        {"offer_choice": "largest-b"},
        {"range_rule": "per-round"},
        {"range_rule": "scale"},  # without a scale span the range rule falls back to positions
    ],
)
def test_options_inert_on_ec(options: dict[str, object]) -> None:
    np.testing.assert_allclose(ec_run(10, **options).positions, ec_run(10).positions, atol=1e-12)


def test_status_quo_half_path() -> None:
    run = ec_run(10, q=0.5)
    np.testing.assert_allclose(run.median[0, 1:], 9.605, atol=5e-4)
    np.testing.assert_allclose(run.mean[0, 1::2], 7.436, atol=5e-4)
    np.testing.assert_allclose(run.mean[0, 2::2], 7.440, atol=5e-4)


def test_paper_literal_profile_keeps_median() -> None:
    run = ec_run(10, profile="paper-literal")
    np.testing.assert_array_equal(run.median[0], 7.0)
    assert eum_options("paper-literal").probability_denominator == "pairwise"


def test_mean_weights() -> None:
    # round 0 by hand: sum(c x)/sum(c) = 7.55/1.01 and the unweighted mean 67/10
    assert ec_run(0, mean_weights="capability").mean[0, 0] == pytest.approx(7.55 / 1.01)
    assert ec_run(0, mean_weights="equal").mean[0, 0] == pytest.approx(6.7)
    for weights, hits in (("capability", 1), ("equal", 3), ("capability-salience", 6)):
        mean = ec_run(8, mean_weights=weights).mean[0, 1:]
        assert np.isclose(np.floor(mean * 10) / 10, TABLE2_MEAN).sum() == hits


def test_forecast_mean_option() -> None:
    res = eum_model(stakeholder_batch(ec_scenario()), forecast="mean")
    assert res.outcome[0, 0] == pytest.approx(7.242, abs=5e-4)


def _two_actor_round(better_rule: str) -> RoundPass:
    # x = (0, 1), c = s = 1, R = 1. Hand calculation with exponents 1:
    # Z = 4 and P(0 beats 1) = 1/4; U_s = 2, U_f = -2, U_q = 0 (D = 1), so the first part of
    # E(i -> j) is 1/4 * 2 + 3/4 * (-2) = -1. The median is 0 (tie -> lower position).
    # Actor 0 (D_mu = 0): U_b = 2 - 4(1/2 - 1/4) = 1, U_w = 2 - 4(3/4) = -1.
    # Actor 1 (D_mu = 1): U_b = 2 - 4 * 0 = 2, U_w = 2 - 4 * 1 = -2.
    x = np.array([[0.0, 1.0]])
    one = np.ones((1, 2))
    return challenge_utilities(
        x,
        one,
        one,
        one.astype(bool),
        np.array([1.0]),
        one,
        eum_options(q=0.5, better_rule=better_rule),
    )


@pytest.mark.parametrize(
    ("rule", "e01", "e10"),
    [
        ("always", -1 - 0.5 * 1, -1 - 0.5 * 2),  # T = 1: - (1-Q) U_b
        ("never", -1 + 0.5 * 1, -1 + 0.5 * 2),  # T = 0: - (1-Q) U_w
        # case rule: T_01 = 1 since |0 - mu| = 0 < 1; T_10 = 0 since |1 - mu| = 1 is not < 1
        ("case", -1 - 0.5 * 1, -1 + 0.5 * 2),
    ],
)
def test_better_rule_hand_calculation(rule: str, e01: float, e10: float) -> None:
    rp = _two_actor_round(rule)
    assert rp.median[0] == 0.0
    assert rp.prob1[0, 0, 1] == pytest.approx(0.25)
    assert rp.eu1[0, 0, 1] == pytest.approx(e01)
    assert rp.eu1[0, 1, 0] == pytest.approx(e10)


def test_offer_kinds_hand_made() -> None:
    x = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    valid = np.ones((3, 2), dtype=bool)
    a = np.array([[[0, 1.0], [0, 0]], [[0, -1.0], [0, 0]], [[0, -2.0], [0, 0]]])
    b = np.array([[[0, 2.0], [0, 0]], [[0, 2.0], [0, 0]], [[0, 1.0], [0, 0]]])
    for cap in (False, True):
        new, kind, j = K.choose_offers(x, a, b, valid, capitulation=cap, choice="lowest-average")
        # b > a > 0: conflict lost -> move to 1; a < 0 < b, b > |a|: move |a/b| = 1/2
        assert new[0, 0] == 1.0 and kind[0, 0] == K.CONFLICT and j[0, 0] == 1
        assert new[1, 0] == 0.5 and kind[1, 0] == K.COMPROMISE
        # a < 0 < b, b < |a|: capitulation only when enabled
        assert new[2, 0] == (1.0 if cap else 0.0)
        assert kind[2, 0] == (K.CAPITULATION if cap else K.NO_MOVE)
        assert kind[:, 1].tolist() == [0, 0, 0] and j[2, 1] == -1


def _offer_menu(conflict: bool) -> tuple[np.ndarray, ...]:
    # Mover 0 at 0 with compromise offers from 1 (x=2, a=-1, b=4: move 0.5, average 1.6),
    # 2 (x=-4, a=-1, b=2: move -2, average -8/3), 3 (x=1, a=-3, b=5: move 0.6, average 5/8),
    # and optionally a lost conflict with 4 (x=5, a=1, b=2).
    x = np.array([[0.0, 2.0, -4.0, 1.0, 5.0]])
    a = np.zeros((1, 5, 5))
    b = np.zeros((1, 5, 5))
    a[0, 0, 1:] = [-1, -1, -3, 1 if conflict else -1]
    b[0, 0, 1:] = [4, 2, 5, 2 if conflict else -1]
    return x, a, b


@pytest.mark.parametrize(
    ("choice", "conflict", "expected"),
    [
        ("lowest-average", False, -2.0),
        ("least-move-compromise", False, 0.5),
        ("largest-b", False, 0.6),
        ("least-move", False, 0.5),
        ("lowest-average", True, 5.0),  # conflicts come first
        ("least-move-compromise", True, 5.0),
        ("least-move", True, 0.5),  # least move over all kinds
    ],
)
def test_offer_choice_hand_made(choice: str, conflict: bool, expected: float) -> None:
    x, a, b = _offer_menu(conflict)
    new, _, _ = K.choose_offers(
        x, a, b, np.ones((1, 5), dtype=bool), capitulation=False, choice=choice
    )
    assert new[0, 0] == pytest.approx(expected)


def test_range_rules() -> None:
    # per-round range: round 2 equals a fresh one-round run from the round-1 positions
    x = np.array([[0.0, 1.0, 3.0, 6.0, 10.0]])
    c = np.array([[1.0, 0.3, 0.8, 0.5, 0.9]])
    s = np.array([[0.9, 0.4, 0.7, 0.6, 0.5]])
    valid = np.ones_like(x, dtype=bool)
    per = run_problems(x, s, c, valid, 2, eum_options(range_rule="per-round"))
    first = run_problems(x, s, c, valid, 1, eum_options())
    again = run_problems(first.positions[:, 1], s, c, valid, 1, eum_options())
    np.testing.assert_allclose(per.positions[:, 2], again.positions[:, 1], atol=1e-12)
    # issue-scale range: identical to the positions' range when the scale equals it
    wide = eum_model(stakeholder_batch(ec_scenario((4, 10))), range_rule="scale")
    base = eum_model(stakeholder_batch(ec_scenario((4, 10))))
    np.testing.assert_allclose(wide.history, base.history, atol=1e-12)
    wider = eum_model(stakeholder_batch(ec_scenario((0, 20))), range_rule="scale")
    assert not np.allclose(wider.extra["median"], base.extra["median"])


def test_bad_options() -> None:
    batch = stakeholder_batch(ec_scenario())
    with pytest.raises(ValueError, match="offer_choice"):
        eum_model(batch, offer_choice="nearest")
    with pytest.raises(ValueError, match="unknown eum option"):
        eum_model(batch, colour="red")
    with pytest.raises(ValueError, match="profile"):
        eum_model(batch, profile="bdm")
    with pytest.raises(ValueError, match="rounds"):
        eum_model(batch, rounds=-1)
    with pytest.raises(ValueError, match="q="):
        EumOptions(q=1.5)


# --- batching, padding and scale -----------------------------------------------------------------


def _classic(name: str) -> Scenario:
    text = (resources.files("parley.data") / "eum" / name).read_text()
    return load_eum_csv(text, name)[0]


def test_batch_equals_one_at_a_time() -> None:
    names = ["ec_car_emissions_1994.csv", "iran_election_2013.csv", "uk_emu_labour.csv"]
    names += ["china_1989.csv", "sultan_oil_1997.csv"]
    scenarios = [_classic(n) for n in names]
    together = eum_model(stakeholder_batch(scenarios))
    assert together.history is not None
    for b, sc in enumerate(scenarios):
        alone = eum_model(stakeholder_batch(sc))
        assert alone.history is not None
        n = len(sc.actors)
        np.testing.assert_allclose(together.history[b, :, :n], alone.history[0], atol=1e-12)
        assert np.isnan(together.history[b, :, n:]).all()
        np.testing.assert_allclose(together.outcome[b], alone.outcome[0], atol=1e-12)
        moves = together.extra["moves"]
        assert len(moves[moves["batch"] == b]) == len(alone.extra["moves"])


def test_actors_without_position_stay_out() -> None:
    # Two issues: EC on "year"; a second issue where only five actors take part.
    ec = ec_scenario()
    data = ec.model_dump()
    data["issues"].append({"id": "other", "scale_min": 0, "scale_max": 100})
    for k, actor in enumerate(data["actors"][:5]):
        actor["positions"]["other"] = {"position": [10, 90, 40, 70, 20][k], "salience": 0.5}
    two = Scenario.model_validate(data)
    res = eum_model(stakeholder_batch(two))
    np.testing.assert_allclose(res.extra["median"][0, 1:, 0], SC_MEDIAN, atol=5e-4)
    sub = Scenario.model_validate(
        {
            "id": "sub",
            "issues": [{"id": "other", "scale_min": 0, "scale_max": 100}],
            "actors": [
                {
                    "id": a["id"],
                    "capability": a["capability"],
                    "positions": {"other": a["positions"]["other"]},
                }
                for a in data["actors"][:5]
            ],
        }
    )
    alone = eum_model(stakeholder_batch(sub))
    assert res.history is not None and alone.history is not None
    np.testing.assert_allclose(res.history[0, :, :5, 1], alone.history[0, :, :, 0], atol=1e-12)
    assert np.isnan(res.history[0, :, 5:, 1]).all()


def test_scale_invariance() -> None:
    # Distances are normalised by the range, so positions in months (x 12) give the same path x 12.
    months = eum_model(stakeholder_batch(ec_scenario((48, 120), factor=12.0)))
    np.testing.assert_allclose(
        months.extra["median"][0, 1:, 0], np.array(SC_MEDIAN) * 12, atol=6e-3
    )


def test_degenerate_problems() -> None:
    x = np.array([[5.0, 5.0, np.nan], [1.0, np.nan, np.nan], [np.nan, np.nan, np.nan]])
    valid = np.isfinite(x)
    one = np.ones_like(x)
    run = run_problems(x, one, one, valid, 3, eum_options())
    np.testing.assert_array_equal(run.median[0], 5.0)
    np.testing.assert_array_equal(run.median[1], 1.0)
    assert np.isnan(run.median[2]).all()
    assert (run.kind == 0).all()


# --- kernel properties ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 5), st.integers(0, 4)), min_size=1, max_size=9
    )
)
def test_vote_median_is_lowest_weighted_median(rows: list[tuple[int, int, int]]) -> None:
    x = np.array([[float(r[0]) for r in rows]])
    w = np.array([[float(r[1] * r[2]) for r in rows]])
    got = K.vote_median(x, w, np.ones_like(x, dtype=bool), np.array([1.0]))[0]
    # brute force: lowest position minimising the weighted absolute distance (integers: exact)
    cost = {int(p): sum(r[1] * r[2] * abs(r[0] - p) for r in rows) for p in x[0]}
    best = min(cost.values())
    assert got == min(p for p, v in cost.items() if v == best)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 9))
def test_probability_identities(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 6, size=(1, n)).astype(float)
    if x.max() == x.min():
        x[0, 0] = x.max() + 1
    w = rng.uniform(0.1, 1.0, size=(1, n))
    rho = rng.uniform(0.5, 2.0, size=(1, n))
    valid = np.ones_like(x, dtype=bool)
    span = np.array([np.ptp(x)])
    kw = {"numerator": "supporters"}
    p_all = K.win_probability(x, valid, span, w, rho, denominator="all-pairs", **kw)
    p_pair = K.win_probability(x, valid, span, w, rho, denominator="pairwise", **kw)
    # direct transcription of the supporters' vote sum, actor by actor
    num = K.supporter_votes(x, valid, span, w, rho)
    d = np.abs(x[0][:, None] - x[0][None, :]) / span[0]
    for lo in range(n):
        for m in range(n):
            want = sum(
                max(0.0, w[0, k] * (d[k, m] ** rho[0, k] - d[k, lo] ** rho[0, k])) for k in range(n)
            )
            assert num[0, lo, m] == pytest.approx(want, abs=1e-12)
    # all-pairs: sum_{l,m} num(l,m) = Z/2; pairwise: P(l,m) + P(m,l) = 1 for distinct positions
    assert p_all.sum() == pytest.approx(0.5)
    differ = x[0][:, None] != x[0][None, :]
    np.testing.assert_allclose((p_pair + p_pair[0].T[None])[0][differ], 1.0)
    rel, r = K.risk_exponents(rng.normal(size=(1, n)), valid)
    assert r.min() == pytest.approx(0.5) and r.max() == pytest.approx(2.0)
    assert rel.min() == pytest.approx(-1.0) and rel.max() == pytest.approx(1.0)
