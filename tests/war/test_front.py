"""Tests of the front process against closed forms (war-model §5)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.scenario.errors import ScenarioError
from parley.scenario.front_schema import Front
from parley.war.front import (
    CULMINATED,
    MANOEUVRE,
    OFFENSIVE_A,
    OFFENSIVE_B,
    POSITIONAL,
    REGIMES,
    SPEC_FIELDS,
    FrontParams,
    daily_transition_matrix,
    drift_moments,
    drift_step,
    front_params_from_spec,
    front_step,
    initial_regime,
    stationary_distribution,
    stationary_manoeuvre_share,
    transition_matrix,
    transition_probabilities,
)

RUNS = 20_000


def _simulate(params: FrontParams, days: int, dt: float, seed: int, runs: int = RUNS):
    rng = np.random.default_rng(seed)
    area = np.full(runs, 50_000.0)
    regime = np.zeros(runs, dtype=np.int64)
    for _ in range(int(days / dt)):
        area, regime = front_step(area, regime, np.zeros(runs), params, dt, rng)
    return area - 50_000.0, regime


def test_diffusion_mean_and_variance_match_closed_form() -> None:
    # One regime, no jumps: A_t - A_0 ~ Normal(drift*t, sigma^2*t).
    drift, sigma, t = 5.0, 14.0, 28
    params = FrontParams(drift_positional=drift, sigma_positional=sigma, area_max=1e9)
    delta, regime = _simulate(params, t, 1.0, seed=1)
    assert np.all(regime == POSITIONAL)
    mean_se = sigma * math.sqrt(t) / math.sqrt(RUNS)
    assert abs(delta.mean() - drift * t) < 4 * mean_se  # drift*t = 140
    var = sigma**2 * t  # 5488
    var_se = var * math.sqrt(2 / (RUNS - 1))
    assert abs(delta.var(ddof=1) - var) < 4 * var_se


def test_step_length_does_not_change_the_law() -> None:
    # Weekly steps give the same N(drift*t, sigma^2*t) as daily steps.
    params = FrontParams(drift_positional=-3.0, sigma_positional=11.0, area_max=1e9)
    delta, _ = _simulate(params, 56, 7.0, seed=2)
    assert abs(delta.mean() - (-168.0)) < 4 * 11 * math.sqrt(56 / RUNS)
    assert abs(delta.var() / (121 * 56) - 1) < 4 * math.sqrt(2 / RUNS)


def test_jump_rate_recovered() -> None:
    # sigma = 0 and jumps of exactly 1000 km²: the number of jumps is Poisson(rate * t).
    rate, t = 2 / 365, 365
    params = FrontParams(
        sigma_positional=0.0, jump_rate_positional=rate, jump_mean_positional=1000.0, area_max=1e9
    )
    delta, _ = _simulate(params, t, 7.0, seed=3, runs=RUNS)
    counts = delta / 1000.0
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)
    expected = rate * 364  # 52 weekly steps = 364 days
    assert abs(counts.mean() - expected) < 4 * math.sqrt(expected / RUNS)
    assert abs(counts.var() - expected) < 0.1 * expected


def test_jump_sizes_have_the_given_mean_and_sd() -> None:
    # With rate*dt large, sum of N jumps: mean N*m, var N*sd^2 + m^2*N (compound Poisson).
    lam, m, sd = 0.5, -4000.0, 1500.0
    params = FrontParams(
        sigma_positional=0.0,
        jump_rate_positional=lam,
        jump_mean_positional=m,
        jump_sd_positional=sd,
        area_min=-1e12,
        area_max=1e12,
    )
    rng = np.random.default_rng(4)
    area, _ = front_step(np.zeros(RUNS), np.zeros(RUNS, int), 0.0, params, 10.0, rng)
    mu = lam * 10  # 5 jumps expected
    exp_mean = mu * m
    exp_var = mu * (sd**2 + m**2)
    assert abs(area.mean() - exp_mean) < 4 * math.sqrt(exp_var / RUNS)
    assert abs(area.var() / exp_var - 1) < 0.06


def test_bounds_respected() -> None:
    params = FrontParams(
        sigma_positional=5000.0,
        jump_rate_positional=1.0,
        jump_mean_positional=1e5,
        area_min=1000.0,
        area_max=2000.0,
    )
    rng = np.random.default_rng(5)
    area = np.full(1000, 1500.0)
    regime = np.zeros(1000, int)
    for _ in range(20):
        area, regime = front_step(area, regime, np.zeros(1000), params, 7, rng)
        assert area.min() >= 1000.0 and area.max() <= 2000.0
    assert (area == 2000.0).any()


def test_array_parameters_broadcast_over_runs() -> None:
    runs = 4000
    drift = np.where(np.arange(runs) < runs // 2, -10.0, 10.0)
    sigma = np.where(np.arange(runs) < runs // 2, 0.0, 20.0)
    params = FrontParams(drift_positional=drift, sigma_positional=sigma, area_max=1e9)
    rng = np.random.default_rng(6)
    area, _ = front_step(np.full(runs, 1e5), np.zeros(runs, int), np.zeros(runs), params, 10, rng)
    low, high = area[: runs // 2] - 1e5, area[runs // 2 :] - 1e5
    np.testing.assert_allclose(low, -100.0)  # deterministic: drift*t exactly
    assert abs(high.mean() - 100.0) < 4 * 20 * math.sqrt(10 / (runs / 2))
    assert abs(high.std() / (20 * math.sqrt(10)) - 1) < 0.08


def test_force_ratio_terms() -> None:
    # mu(rho) = kappa*tanh(rho/s), deterministic with sigma = 0; sigma1*|rho| adds diffusion.
    rho = np.array([-1.0, 0.0, 0.5, 2.0])
    params = FrontParams(sigma_positional=0.0, kappa=12.0, drift_scale=0.5, area_max=1e9)
    rng = np.random.default_rng(7)
    area, _ = front_step(np.zeros(4), np.zeros(4, int), rho, params, 3.0, rng)
    np.testing.assert_allclose(area[1:], 3.0 * 12.0 * np.tanh(rho[1:] / 0.5))
    assert area[0] == 0.0  # clipped at area_min = 0 (negative drift)
    # jump intensity lambda0 * exp(eta*|rho|): rho = log(4), eta = 1 -> 4x the rate
    jp = FrontParams(
        sigma_positional=0.0,
        jump_rate_positional=0.01,
        jump_mean_positional=1.0,
        eta=1.0,
        area_max=1e9,
    )
    area2, _ = front_step(np.zeros(RUNS), np.zeros(RUNS, int), math.log(4), jp, 10, rng)
    assert abs(area2.mean() - 0.4) < 4 * math.sqrt(0.4 / RUNS)


def test_regime_chain_reaches_stationary_share_and_matches_closed_form() -> None:
    a, b = 0.02, 0.08  # stationary manoeuvre share a/(a+b) = 0.2
    params = FrontParams(p_positional_to_manoeuvre=a, p_manoeuvre_to_positional=b)
    assert float(stationary_manoeuvre_share(params)) == pytest.approx(0.2)
    # one-day matrix power by hand for t = 2: P00(2) = (1-a)^2 + a*b
    stay_pos, stay_man = transition_probabilities(params, 2)
    assert float(stay_pos) == pytest.approx((1 - a) ** 2 + a * b)
    assert float(stay_man) == pytest.approx((1 - b) ** 2 + a * b)
    _, regime = _simulate(params, 140, 7.0, seed=8)
    share = (regime == MANOEUVRE).mean()
    assert abs(share - 0.2) < 4 * math.sqrt(0.2 * 0.8 / RUNS)


def test_initial_regime_uses_filtered_probability() -> None:
    params = FrontParams(metadata={"p_manoeuvre_last": 0.3})
    reg = initial_regime(params, RUNS, np.random.default_rng(9))
    assert abs(reg.mean() - 0.3) < 4 * math.sqrt(0.21 / RUNS)


def test_round_trip_through_json() -> None:
    params = FrontParams(
        drift_positional=3.5,
        jump_rate_manoeuvre=0.2,
        area_max=math.inf,
        stderr={"drift_positional": 1.2},
        metadata={"series": "deepstate", "last_value": 113286.1},
    )
    text = json.dumps(params.to_dict())
    back = FrontParams.from_dict(json.loads(text))
    assert back == params
    assert back.stderr == {"drift_positional": 1.2}
    assert back.metadata["series"] == "deepstate"


def test_bad_values_raise_scenario_errors() -> None:
    with pytest.raises(ScenarioError, match="sigma_positional"):
        FrontParams(sigma_positional=-1.0)
    with pytest.raises(ScenarioError, match="summing"):
        FrontParams(p_positional_to_manoeuvre=0.7, p_manoeuvre_to_positional=0.6)
    with pytest.raises(ScenarioError, match="unknown front parameter"):
        FrontParams.from_dict({"params": {"drfit": 1.0}}, file="p.json")
    with pytest.raises(ScenarioError, match="p.json"):
        FrontParams.from_dict({"params": {"kappa": "fast"}}, file="p.json")


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["drift_positional", "sigma_manoeuvre", "p_manoeuvre_to_positional", "x"]),
        st.one_of(st.floats(allow_nan=True), st.text(max_size=3), st.none()),
        max_size=4,
    )
)
def test_from_dict_either_loads_or_raises_scenario_error(raw: dict) -> None:
    try:
        params = FrontParams.from_dict({"params": raw})
    except ScenarioError:
        return
    area, reg = front_step(
        np.ones(3) * 10.0, np.zeros(3, int), 0.0, params, 1.0, np.random.default_rng(0)
    )
    assert area.shape == (3,) and reg.shape == (3,)


# --- the offensive chain -------------------------------------------------------------------------

OFF = dict(p_offensive_A=0.01, p_offensive_B=0.02, p_culminate=0.1, p_recover=0.05)


def test_stationary_distribution_of_the_offensive_chain_by_hand() -> None:
    # balance: flow pos->A = pA·π0 = pc·πA; pos->B = pB·π0 = pc·πB; A,B->C = pc(πA+πB) = pr·πC
    # so π ∝ (1, pA/pc, pB/pc, (pA+pB)/pr) over (positional, offensive_A, offensive_B, culminated)
    pi = stationary_distribution(FrontParams(**OFF))
    raw = np.array([1.0, 0.01 / 0.1, 0.02 / 0.1, 0.03 / 0.05])
    expected = raw / raw.sum()
    assert pi[MANOEUVRE] == 0.0
    np.testing.assert_allclose(pi[[POSITIONAL, OFFENSIVE_A, OFFENSIVE_B, CULMINATED]], expected)


def test_offensive_jumps_have_the_side_sign_and_culminate() -> None:
    # σ = 0, no drift, jumps of exactly 1,000 km² at rate 0.5/day: one day in an offensive by A
    # moves +1000·N, by B −1000·N, N ~ Poisson(0.5): mean ±500
    params = FrontParams(
        jump_rate_offensive=0.5, jump_size_mean=1000.0, p_culminate=0.2, area_max=1e9, area_min=-1e9
    )
    rng = np.random.default_rng(12)
    for code, sign in ((OFFENSIVE_A, 1.0), (OFFENSIVE_B, -1.0)):
        area, regime = front_step(
            np.zeros(RUNS), np.full(RUNS, code), np.zeros(RUNS), params, 1.0, rng
        )
        assert np.all(np.sign(area[area != 0]) == sign)
        assert abs(area.mean() - sign * 500.0) < 4 * 1000.0 * math.sqrt(0.5 / RUNS)
        # an offensive only ever culminates (never back to positional directly), with P = 0.2
        assert set(np.unique(regime)) <= {code, CULMINATED}
        share = (regime == CULMINATED).mean()
        assert abs(share - 0.2) < 4 * math.sqrt(0.16 / RUNS)


def test_culminated_phase_starts_no_offensive() -> None:
    # from culminated, the only way out is back to positional (p_recover); no jumps meanwhile
    params = FrontParams(**OFF, jump_rate_offensive=5.0, jump_size_mean=1000.0, area_max=1e9)
    rng = np.random.default_rng(13)
    area, regime = front_step(
        np.zeros(RUNS), np.full(RUNS, CULMINATED), np.zeros(RUNS), params, 1.0, rng
    )
    assert np.all(np.abs(area) < 1000.0)  # positional σ only (14 km²/√day)
    assert set(np.unique(regime)) <= {CULMINATED, POSITIONAL}
    assert abs((regime == POSITIONAL).mean() - 0.05) < 4 * math.sqrt(0.05 * 0.95 / RUNS)


def test_weekly_transition_is_the_seventh_power_of_the_daily_one() -> None:
    params = FrontParams(**OFF, p_positional_to_manoeuvre=0.01, p_manoeuvre_to_positional=0.1)
    daily = daily_transition_matrix(params)
    np.testing.assert_allclose(transition_matrix(params, 7.0), np.linalg.matrix_power(daily, 7))
    # a half day is interpolated between the identity and one day
    np.testing.assert_allclose(transition_matrix(params, 0.5), 0.5 * (np.eye(5) + daily))


@given(
    probs=st.lists(st.floats(0.0, 0.3), min_size=6, max_size=6),
    dt=st.sampled_from([0.5, 1.0, 3.0, 7.0, 10.5]),
)
@settings(max_examples=50, deadline=None)
def test_transition_matrices_are_stochastic(probs: list[float], dt: float) -> None:
    a, b, pa, pb, pc, pr = probs
    params = FrontParams(
        p_positional_to_manoeuvre=a,
        p_manoeuvre_to_positional=b,
        p_offensive_A=pa,
        p_offensive_B=pb,
        p_culminate=pc,
        p_recover=pr,
    )
    mat = transition_matrix(params, dt)
    assert np.all(mat >= -1e-12) and np.all(mat <= 1 + 1e-12)
    np.testing.assert_allclose(mat.sum(axis=-1), 1.0, atol=1e-12)
    pi = stationary_distribution(params)
    assert pi.sum() == pytest.approx(1.0)
    reg = initial_regime(params, 50, np.random.default_rng(0))
    assert reg.min() >= 0 and reg.max() < len(REGIMES)


def test_front_params_from_spec_maps_every_numeric_field() -> None:
    spec = Front(p_offensive_A_per_day=0.01, offensive_jump_size_km2=2500.0, drift_km2_per_day=3.0)
    fp = front_params_from_spec(spec, area_min=0.0, area_max=100.0)
    assert (fp.p_offensive_A, fp.jump_size_mean, fp.drift_positional) == (0.01, 2500.0, 3.0)
    assert fp.area_max == 100.0
    numeric = {k for k, v in Front.model_fields.items() if v.annotation is float}
    assert numeric == set(SPEC_FIELDS)


def test_two_regime_process_is_unchanged_draw_for_draw() -> None:
    # With the offensive fields at zero the step must be the first implementation's: the
    # increment μ·dt + σ√dt·Z + N·m + √N·s·Z' in the regime held, then stay with the closed-form
    # two-state probability P_rr(dt) = (b + a·(1−a−b)^dt)/(a+b) (positional; symmetric for
    # manoeuvre), draws in the order Z, N, Z', U. The reference below is written out by hand.
    a, b, dt, n = 0.05, 0.15, 7.0, 5000
    params = FrontParams(
        drift_positional=2.0,
        drift_manoeuvre=-30.0,
        sigma_positional=20.0,
        sigma_manoeuvre=200.0,
        jump_rate_manoeuvre=0.1,
        jump_mean_manoeuvre=-1500.0,
        jump_sd_manoeuvre=400.0,
        p_positional_to_manoeuvre=a,
        p_manoeuvre_to_positional=b,
        area_max=1e9,
    )
    start_regime = np.random.default_rng(1).integers(0, 2, n)
    area, regime = front_step(
        np.full(n, 1e5), start_regime, np.zeros(n), params, dt, np.random.default_rng(2)
    )
    rng = np.random.default_rng(2)
    man = start_regime == 1
    z = rng.standard_normal(n)
    jumps = rng.poisson(np.where(man, 0.1, 0.0) * dt)
    z_jump = rng.standard_normal(n)
    ref_area = (
        1e5
        + np.where(man, -30.0, 2.0) * dt
        + np.where(man, 200.0, 20.0) * math.sqrt(dt) * z
        + jumps * np.where(man, -1500.0, 0.0)
        + np.sqrt(jumps) * np.where(man, 400.0, 0.0) * z_jump
    )
    decay = (1 - a - b) ** dt
    stay = np.where(man, (a + b * decay) / (a + b), (b + a * decay) / (a + b))
    u = rng.random(n)
    ref_regime = np.where(u < stay, start_regime, 1 - start_regime)
    np.testing.assert_allclose(area, ref_area)
    np.testing.assert_array_equal(regime, ref_regime)


def test_drift_moments_by_hand() -> None:
    # θ = ln 2, q = 1, one day: a = ½, b = ½/ln 2, Var D = (1 − ¼)/(2 ln 2),
    # Var I = (ln 2 − 2·½ + ¾/2)/ln³2, Cov = ¼/(2 ln² 2)  (Gillespie 1996, written out)
    ln2 = math.log(2.0)
    a, b, var_d, var_i, cov = drift_moments(ln2, 1.0, 1.0)
    assert float(a) == pytest.approx(0.5)
    assert float(b) == pytest.approx(0.721348, rel=1e-5)
    assert float(var_d) == pytest.approx(0.75 / (2 * ln2))  # 0.541011
    assert float(var_i) == pytest.approx((ln2 - 1.0 + 0.375) / ln2**3)  # 0.204631
    assert float(cov) == pytest.approx(0.25 / (2 * ln2**2))  # 0.260171
    # θ → 0: the Brownian local level (q²dt, q²dt³/3, q²dt²/2 over dt = 7 days, q = 2)
    a0, b0, vd0, vi0, c0 = drift_moments(0.0, 2.0, 7.0)
    assert (float(a0), float(b0)) == (1.0, 7.0)
    assert (float(vd0), float(vi0), float(c0)) == pytest.approx((28.0, 4 * 343 / 3, 98.0))
    # continuity across the switch to the limit
    _, b1, vd1, vi1, c1 = drift_moments(1e-6, 2.0, 7.0)
    assert (float(b1), float(vd1), float(vi1), float(c1)) == pytest.approx(
        (7.0, 28.0, 4 * 343 / 3, 98.0), rel=1e-4
    )


def test_drift_step_matches_a_fine_euler_scheme() -> None:
    # The exact step over 7 days against 700 Euler steps of dD = −θD dt + q dW (another method).
    params = FrontParams(drift_positional=5.0, drift_reversion=0.05, drift_innovation_sd=3.0)
    runs, rng = 40_000, np.random.default_rng(3)
    dev, moved = drift_step(np.zeros(runs), np.zeros(runs, dtype=np.int64), params, 7.0, rng)
    level, integral, h = np.full(runs, 5.0), np.zeros(runs), 0.01
    for _ in range(700):
        integral += level * h
        level += -0.05 * level * h + 3.0 * math.sqrt(h) * rng.standard_normal(runs)
    exact_level, exact_int = 5.0 + dev, moved + 5.0 * 7.0
    assert exact_level.mean() == pytest.approx(level.mean(), abs=0.06)
    assert exact_level.std() == pytest.approx(level.std(), rel=0.02)
    assert exact_int.mean() == pytest.approx(integral.mean(), abs=0.3)
    assert exact_int.std() == pytest.approx(integral.std(), rel=0.02)
    assert np.corrcoef(exact_level, exact_int)[0, 1] == pytest.approx(
        np.corrcoef(level, integral)[0, 1], abs=0.02
    )


def test_drift_reverts_to_zero_with_stationary_sd_tau() -> None:
    # θ = q²/(2τ²): the drift's stationary sd is τ; from D0 = μ its mean decays as μ·e^{−θt}.
    tau, q = 40.0, 8.0
    theta = q**2 / (2 * tau**2)  # 0.02 per day
    params = FrontParams(drift_positional=30.0, drift_reversion=theta, drift_innovation_sd=q)
    runs, rng = 20_000, np.random.default_rng(5)
    dev, total = np.zeros(runs), np.zeros(runs)
    regime = np.zeros(runs, dtype=np.int64)
    for _ in range(100):  # 700 days in weekly steps
        dev, moved = drift_step(dev, regime, params, 7.0, rng)
        total += moved + 30.0 * 7.0
    level = 30.0 + dev
    assert level.mean() == pytest.approx(30.0 * math.exp(-theta * 700), abs=1.0)
    assert level.std() == pytest.approx(tau * math.sqrt(1 - math.exp(-2 * theta * 700)), rel=0.03)
    # mean area moved: ∫ μ e^{−θt} dt = μ(1 − e^{−θT})/θ
    se = total.std() / math.sqrt(runs)  # the integrated drift is wide: about 10,600 km² here
    assert total.mean() == pytest.approx(30.0 * (1 - math.exp(-theta * 700)) / theta, abs=4 * se)


def test_drift_step_moves_only_regimes_with_the_positional_drift() -> None:
    params = FrontParams(drift_positional=10.0, drift_reversion=0.1, drift_innovation_sd=0.0)
    regime = np.array([POSITIONAL, CULMINATED, OFFENSIVE_A, OFFENSIVE_B, MANOEUVRE])
    dev, moved = drift_step(np.zeros(5), regime, params, 7.0, np.random.default_rng(0))
    # no noise: D_7 = 10·e^{−0.7}, the deviation −10(1 − e^{−0.7}) for every run
    assert dev == pytest.approx(np.full(5, -10.0 * (1 - math.exp(-0.7))))
    expected = 10.0 * (1 - math.exp(-0.7)) / 0.1 - 70.0  # ∫D − μ·7
    assert moved == pytest.approx([expected, expected, 0.0, 0.0, 0.0])


def test_a_still_drift_draws_nothing() -> None:
    rng = np.random.default_rng(9)
    before = rng.bit_generator.state
    dev, moved = drift_step(np.zeros(3), np.zeros(3, dtype=np.int64), FrontParams(), 7.0, rng)
    assert rng.bit_generator.state == before
    assert np.all(dev == 0) and np.all(moved == 0)
