"""Engine overrides from the loss and aid fits: the draws follow the fits' laws."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.fitted_processes import aid_note, aid_overrides, losses_overrides
from parley.scenario.errors import ScenarioError

LOSSES = {
    "estimate": {"beta0": 6.8, "beta_intensity": 0.04, "beta_trend_per_year": 2.8, "alpha": 0.05},
    "stderr": {"beta0": 0.1, "beta_intensity": 0.02, "beta_trend_per_year": 0.3, "alpha": 0.01},
}
AID = {
    "p_high_to_low": [0.28, 0.08],
    "p_low_to_high": [0.67, 0.12],
    "mean_correlation": [0.05, -0.20, 0.27],
    "substitution": {"USA": [-0.24, -0.76, 0.27], "EU": [0.24, -0.2, 0.6]},
}
N = 100_000


def test_loss_draws_have_the_fits_mean_and_spread() -> None:
    out = losses_overrides(LOSSES, N, np.random.default_rng(1))
    beta = out["war.forces.A.loss_intensity_per_1000km2"]
    assert beta is out["war.forces.B.loss_intensity_per_1000km2"]
    assert beta.mean() == pytest.approx(0.04, abs=4 * 0.02 / math.sqrt(N))
    assert beta.std() == pytest.approx(0.02, rel=0.02)
    # size k = 1/alpha; log alpha ~ N(log 0.05, (0.01/0.05)²), so the median of k is 20
    k = out["war.forces.A.loss_dispersion"]
    assert np.median(k) == pytest.approx(20.0, rel=0.01)
    assert np.log(k).std() == pytest.approx(0.2, rel=0.02)


def test_aid_draws_match_beta_moments_and_clip_the_shocks() -> None:
    out = aid_overrides(AID, ["a", "b", "c"], N, np.random.default_rng(2))  # pooled-only fit
    p_hl = out["war.supporters.0.p_high_to_low_per_month"]
    assert out["war.supporters.2.p_high_to_low_per_month"] is p_hl
    assert p_hl.mean() == pytest.approx(0.28, abs=0.002)
    assert p_hl.std() == pytest.approx(0.08, rel=0.03)
    p_lh = out["war.supporters.1.p_low_to_high_per_month"]
    assert p_lh.mean() == pytest.approx(0.67, abs=0.002)
    common = out["war.aid_dynamics.common_shock"]
    assert common.min() == 0.0 and common.max() <= 1.0
    # the normal(0.05, 0.47/3.29) law puts P(< 0) = Φ(−0.05/0.1429) = 0.363 at the clip
    assert np.mean(common == 0.0) == pytest.approx(0.363, abs=0.01)
    # substitution = −mean of the donors' draws: mean −(−0.24 + 0.24)/2 = 0 before clipping
    sub = out["war.aid_dynamics.substitution"]
    assert np.mean(sub == 0.0) == pytest.approx(0.5, abs=0.01)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "estimate",
                "stderr",
                "p_high_to_low",
                "substitution",
                "x",
                "per_donor",
                "prior_high_to_low",
                "supporters",
            ]
        ),
        st.one_of(
            st.dictionaries(
                st.sampled_from(
                    ["beta_intensity", "alpha", "USA", "others", "mean", "strength", "a"]
                ),
                st.one_of(
                    st.floats(allow_nan=True),
                    st.text(max_size=3),
                    st.none(),
                    st.dictionaries(
                        st.sampled_from(["high_to_low", "a", "b"]),
                        st.one_of(st.floats(), st.none()),
                    ),
                ),
            ),
            st.lists(st.floats(), max_size=3),
            st.none(),
        ),
    )
)
def test_any_fit_file_gives_overrides_or_a_scenario_error(fit: dict[str, Any]) -> None:
    for make in (
        lambda: losses_overrides(fit, 5, np.random.default_rng(0)),
        lambda: aid_overrides(fit, ["USA", "POL"], 5, np.random.default_rng(0)),
    ):
        try:
            out = make()
        except ScenarioError as exc:
            assert exc.format()
        else:
            assert all(np.all(np.isfinite(v)) for v in out.values())


# A per-donor fit as `calibrate aid --out` writes it (numbers chosen for the test).
PER_DONOR = {
    **AID,
    "prior_high_to_low": {"mean": 0.25, "strength": 20.0, "at_bound": ""},
    "prior_low_to_high": {"mean": 0.6, "strength": 10.0, "at_bound": "upper"},
    "per_donor": {
        "USA": {
            "high_to_low": {"a": 2.0, "b": 18.0},
            "low_to_high": {"a": 30.0, "b": 10.0},
            "high_bn_per_month": [4.0, 0.5, 3.2, 4.8],
            "low_bn_per_month": [0.8, 0.1, 0.65, 0.95],
        },
        "EU": {
            "high_to_low": {"a": 9.0, "b": 3.0},
            "low_to_high": {"a": 1.0, "b": 1.0},
            "high_bn_per_month": [1.0, 0.0, 1.0, 1.0],
            "low_bn_per_month": [None, None, None, None],
        },
        "others": {
            "high_to_low": {"a": 1.0, "b": 1.0},
            "low_to_high": {"a": 1.0, "b": 1.0},
            "high_bn_per_month": [2.0, 0.2, 1.7, 2.3],
            "low_bn_per_month": [0.5, 0.1, 0.4, 0.6],
        },
    },
}


def test_per_donor_draws_follow_each_donors_laws() -> None:
    out = aid_overrides(PER_DONOR, ["EU", "POL", "USA"], N, np.random.default_rng(3))
    usa, eu, pol = "war.supporters.2.", "war.supporters.0.", "war.supporters.1."
    # USA: Beta(2, 18): mean 0.1, sd sqrt(2*18/(20^2*21)) = 0.06547
    assert out[usa + "p_high_to_low_per_month"].mean() == pytest.approx(0.1, abs=0.001)
    assert out[usa + "p_high_to_low_per_month"].std() == pytest.approx(0.06547, rel=0.03)
    assert out[usa + "p_low_to_high_per_month"].mean() == pytest.approx(0.75, abs=0.002)
    # levels: 12 x a gamma with mean 4 and sd 0.5 EUR bn/month -> mean 48, sd 6 EUR bn/year
    high = out[usa + "aid_high_bn_per_year"]
    assert high.mean() == pytest.approx(48.0, rel=0.005)
    assert high.std() == pytest.approx(6.0, rel=0.03)
    assert out[usa + "aid_low_bn_per_year"].mean() == pytest.approx(9.6, rel=0.005)
    assert np.all(high >= out[usa + "aid_low_bn_per_year"])
    # EU: Beta(9, 3), mean 0.75; its high level has sd 0 (12 every run); never low: no low level
    assert out[eu + "p_high_to_low_per_month"].mean() == pytest.approx(0.75, abs=0.002)
    assert np.all(out[eu + "aid_high_bn_per_year"] == 12.0)
    assert eu + "aid_low_bn_per_year" not in out
    # POL is not in the fit ("others" is a sum, not POL): the pooled prior Beta(0.25*20, 0.75*20)
    # = Beta(5, 15), sd sqrt(75/(400*21)) = 0.09449; levels left to the scenario
    p_pol = out[pol + "p_high_to_low_per_month"]
    assert p_pol.mean() == pytest.approx(0.25, abs=0.002)
    assert p_pol.std() == pytest.approx(0.09449, rel=0.03)
    assert out[pol + "p_low_to_high_per_month"].mean() == pytest.approx(0.6, abs=0.002)
    assert pol + "aid_high_bn_per_year" not in out
    note = aid_note(PER_DONOR, ["EU", "POL", "USA"])
    assert "levels for EU, USA" in note and "not in the fit" in note and note.endswith("POL")


def test_mapping_table_and_same_seed_same_draws() -> None:
    fit = {**PER_DONOR, "supporters": {"POL": "others", "US": "USA"}}
    a = aid_overrides(fit, ["US", "POL"], 1000, np.random.default_rng(7))
    b = aid_overrides(fit, ["US", "POL"], 1000, np.random.default_rng(7))
    assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
    assert a["war.supporters.0.aid_high_bn_per_year"].mean() == pytest.approx(48.0, rel=0.03)
    assert a["war.supporters.1.aid_low_bn_per_year"].mean() == pytest.approx(6.0, rel=0.03)
    assert "US=USA, POL=others" in aid_note(fit, ["US", "POL"])
    with pytest.raises(ScenarioError, match="not in per_donor"):
        aid_overrides({**PER_DONOR, "supporters": {"X": "FRA"}}, ["X"], 5, np.random.default_rng())
