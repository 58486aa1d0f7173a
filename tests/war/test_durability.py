"""Durability after a settlement against the UCDP recurrence benchmarks (war-model §7).

Targets are the published Kaplan–Meier shares of the shipped UCDP episodes recurring within
2 / 5 / 10 years (data README and PROVENANCE): ceasefire 0.18 / 0.39 / 0.45, peace agreement
0.04 / 0.21 / 0.34. "Within sampling error" means within two Greenwood standard errors of the
Kaplan–Meier estimate, computed here by hand (independently of parley's own Kaplan–Meier).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.scenario.load import load_scenario
from parley.war import durability as dur
from parley.war.engine import simulate
from parley.war.params import compile_war

PUBLISHED = {
    "ceasefire": (0.18, 0.39, 0.45),
    "peace_agreement": (0.04, 0.21, 0.34),
}
YEARS = (2.0, 5.0, 10.0)


def _greenwood(t: np.ndarray, e: np.ndarray, at: float) -> tuple[float, float]:
    """Hand-rolled Kaplan–Meier share recurring by ``at`` and its Greenwood SE."""
    s, v = 1.0, 0.0
    for u in sorted(set(t[e & (t <= at)].tolist())):
        n = int(np.sum(t >= u))
        d = int(np.sum((t == u) & e))
        s *= 1 - d / n
        v += d / (n * (n - d)) if n > d else 0.0
    return 1 - s, s * math.sqrt(v)


def _stratum(kind: str) -> tuple[np.ndarray, np.ndarray]:
    outc, t, event, _ = dur.load_recurrence()
    sel = np.array(outc) == kind
    return t[sel], event[sel]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["ceasefire", "peace_agreement"])
def test_shipped_data_give_the_published_kaplan_meier_shares(kind: str) -> None:
    t, e = _stratum(kind)
    for years, published in zip(YEARS, PUBLISHED[kind], strict=True):
        km, _ = _greenwood(t, e, years)
        assert km == pytest.approx(published, abs=0.005)
    km_mod, se_mod = dur.kaplan_meier(t, e, YEARS)
    for j, years in enumerate(YEARS):
        km, se = _greenwood(t, e, years)
        assert km_mod[j] == pytest.approx(km, abs=1e-12)
        assert se_mod[j] == pytest.approx(se, abs=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["ceasefire", "peace_agreement"])
def test_weibull_baseline_reproduces_ucdp_recurrence_within_sampling_error(kind: str) -> None:
    model = dur.default_model()
    t, e = _stratum(kind)
    prob = dur.renewal_probability(model, kind, 0.0, np.array(YEARS))
    for j, years in enumerate(YEARS):
        _, se = _greenwood(t, e, years)
        assert abs(prob[j] - PUBLISHED[kind][j]) <= 2 * se, (kind, years, prob[j], se)


@pytest.mark.parametrize("kind", ["ceasefire", "peace_agreement"])
def test_sampled_renewal_times_reproduce_the_shares(kind: str) -> None:
    model = dur.default_model()
    n = 200_000
    u = np.random.default_rng(11).random(n)
    years = dur.sample_renewal_years(model, kind, 0.0, u)
    t, e = _stratum(kind)
    for j, h in enumerate(YEARS):
        share = float(np.mean(years <= h))
        _, se = _greenwood(t, e, h)
        mc = math.sqrt(0.25 / n)
        assert abs(share - PUBLISHED[kind][j]) <= 2 * se + 4 * mc


def test_peace_agreements_last_longer_than_ceasefires() -> None:
    model = dur.default_model()
    for years in YEARS:
        assert dur.renewal_probability(model, "peace_agreement", 0, years) < (
            dur.renewal_probability(model, "ceasefire", 0, years)
        )


def test_weibull_fit_recovers_known_parameters() -> None:
    rng = np.random.default_rng(3)
    shape, scale, n = 0.7, 8.0, 20_000
    t = scale * rng.weibull(shape, n)
    fit = dur.fit_weibull(t, np.ones(n, dtype=bool), censor_years=10.0)
    assert abs(fit.shape - shape) < 4 * fit.shape_se
    assert abs(fit.scale - scale) < 4 * fit.scale_se


def test_hazard_ratios_from_the_shipped_table() -> None:
    model = dur.default_model()
    # values printed in hazard_ratios.csv (and war-model §7)
    assert math.exp(model.log_hr["peacekeepers"]) == pytest.approx(0.5437)
    assert math.exp(model.log_hr["comprehensive"]) == pytest.approx(0.4978)
    assert math.exp(model.log_hr["interstate"]) == pytest.approx(0.3838)
    assert math.exp(model.log_hr["log_battle_deaths"]) == pytest.approx(1.1879)
    assert math.exp(model.log_hr["war_years"]) == pytest.approx(0.9538)
    # peacekeepers alone multiply the cumulative hazard by 0.5437: S_pk = S_0^0.5437
    lp = dur.linear_predictor(
        model,
        agreement="ceasefire",
        peacekeepers=1.0,
        interstate=model.reference["ceasefire"]["interstate"],
    )
    s0 = 1 - dur.renewal_probability(model, "ceasefire", 0, 5.0)
    s1 = 1 - dur.renewal_probability(model, "ceasefire", 0, 5.0, lp)
    assert float(s1) == pytest.approx(float(s0) ** 0.5437, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    t0=st.floats(0, 20),
    dt=st.floats(0, 20),
    lp=st.floats(-5, 5),
)
def test_renewal_probability_is_a_conditional_probability(t0: float, dt: float, lp: float) -> None:
    model = dur.default_model()
    p01 = dur.renewal_probability(model, "ceasefire", 0.0, t0, lp)
    p12 = dur.renewal_probability(model, "ceasefire", t0, t0 + dt, lp)
    p02 = dur.renewal_probability(model, "ceasefire", 0.0, t0 + dt, lp)
    assert 0.0 <= float(p12) <= 1.0
    # S(0, t0+dt) = S(0, t0)·S(t0, t0+dt)
    assert 1 - float(p02) == pytest.approx((1 - float(p01)) * (1 - float(p12)), abs=1e-12)


def test_engine_durability_matches_the_model_and_powell_trigger_forces_renewal() -> None:
    sc = load_scenario(Path(__file__).parents[1] / "data" / "war_minimal.yaml")
    model = dur.default_model()
    ref = model.reference["ceasefire"]
    base = {
        "war.beliefs.A.mean": 0.5,
        "war.beliefs.B.mean": 0.5,  # equal priors: everybody settles at step 0
        "war.durability.agreement": "ceasefire",
        "war.durability.interstate": False,
        "war.forces.A.replenishment_per_day": 0.0,
        "war.forces.B.replenishment_per_day": 0.0,
        "war.supporters.ally.force_per_bn": 0.0,
    }
    n = 20_000
    ds = simulate(compile_war(sc, base), n, 4, record_paths=False)
    assert ds["settled"].values.all()
    assert not ds["renewal_triggered"].values.any()  # no power shift without replenishment
    cas = ds["casualties"].values.sum(axis=1) / 3
    lp = dur.linear_predictor(
        model,
        agreement="ceasefire",
        interstate=0.0,
        log_battle_deaths=np.log(np.maximum(cas, 1.0)),
        war_years=7 / 365.25,
    )
    assert ref["interstate"] > 0
    for col, years in (("held_1y", 1.0), ("held_5y", 5.0), ("held_10y", 10.0)):
        expect = float(np.mean(1 - dur.renewal_probability(model, "ceasefire", 0, years, lp)))
        got = float(ds[col].mean())
        assert got == pytest.approx(expect, abs=4 * math.sqrt(0.25 / n))
    # a rising B (replenishment without fighting) triggers Powell's condition: renewal is certain
    trig = dict(base, **{"war.forces.B.replenishment_per_day": 0.05})
    ds2 = simulate(compile_war(sc, trig), 500, 4, record_paths=False)
    assert ds2["renewal_triggered"].values.all()
    assert np.all(ds2["held_1y"].values == 0.0)


def test_weibull_standard_errors_match_the_previous_hessian() -> None:
    # Standard errors of the shipped UCDP fits before the fit used parley.numerics'
    # numerical_hessian (an absolute-step central difference then): the two finite differences
    # agree to well within 1e-6 relative.
    previous = {
        "ceasefire": (0.15005356206322926, 3.718324472766501),
        "peace_agreement": (0.24058928766368914, 4.552399197961907),
    }
    model = dur.default_model()
    for name, (shape_se, scale_se) in previous.items():
        fit = model.baselines[name]
        assert fit.shape_se == pytest.approx(shape_se, rel=1e-6)
        assert fit.scale_se == pytest.approx(scale_se, rel=1e-6)
