"""Engine overrides from the loss and aid fits: the draws follow the fits' laws."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.fitted_processes import aid_overrides, losses_overrides
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
    out = aid_overrides(AID, 3, N, np.random.default_rng(2))
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


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["estimate", "stderr", "p_high_to_low", "substitution", "x"]),
        st.one_of(
            st.dictionaries(
                st.sampled_from(["beta_intensity", "alpha"]),
                st.one_of(st.floats(allow_nan=True), st.text(max_size=3), st.none()),
            ),
            st.lists(st.floats(), max_size=3),
            st.none(),
        ),
    )
)
def test_any_fit_file_gives_overrides_or_a_scenario_error(fit: dict[str, Any]) -> None:
    for make in (
        lambda: losses_overrides(fit, 5, np.random.default_rng(0)),
        lambda: aid_overrides(fit, 2, 5, np.random.default_rng(0)),
    ):
        try:
            out = make()
        except ScenarioError as exc:
            assert exc.format()
        else:
            assert all(np.all(np.isfinite(v)) for v in out.values())
