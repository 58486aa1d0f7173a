"""Aid regimes, common factor and substitution against hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parley.analysis.aid_fit import fit_aid, monthly_matrix
from parley.scenario.errors import ScenarioError


def _kiel(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"iso": iso, "year": 2022, "month": m, "total": v} for iso, m, v in rows])


def test_monthly_matrix_pivots_fills_zero_and_pools_others() -> None:
    k = _kiel([("USA", 2, 1.0), ("USA", 3, 2.0), ("POL", 3, 0.5), ("NOR", 3, 0.25),
               ("EU", 4, 3.0), ("USA", 5, 1.0), ("USA", 1, 9.0)])  # fmt: skip
    mat = monthly_matrix(k, ["USA", "EU"], until="2022-05")
    assert list(mat.index) == ["2022-02", "2022-03", "2022-04", "2022-05"]  # January dropped
    assert mat.loc["2022-03", "others"] == 0.75 and mat.loc["2022-04", "USA"] == 0.0
    assert mat.loc["2022-04", "EU"] == 3.0
    with pytest.raises(ScenarioError, match="at least 4 months"):
        monthly_matrix(k, ["USA"], until="2022-03")


def test_transition_probabilities_count_regime_switches() -> None:
    # donor a: mean 1; high (>= 0.5) in months 1,2,4,5, low in 3,6 -> transitions
    # H->H, H->L, L->H, H->H, H->L: from high 4 times, 2 to low; from low once, back to high.
    a = [1.5, 1.5, 0.0, 1.5, 1.5, 0.0]
    b = [1.0, 1.1, 0.9, 1.0, 1.2, 0.8]  # always high (>= 0.5 x mean 1): five H->H
    mat = pd.DataFrame({"a": a, "b": b}, index=[f"2022-0{m}" for m in range(2, 8)])
    fit = fit_aid(mat, boot=50)
    # pooled: from high 9 (2 to low), from low 1 (1 to high); Beta(1,1) prior posterior means
    assert fit.p_high_to_low[0] == pytest.approx(3 / 11)
    assert fit.p_low_to_high[0] == pytest.approx(2 / 3)


def test_common_factor_and_substitution_signs() -> None:
    rng = np.random.default_rng(2)
    common = rng.normal(0, 1, 40)
    idx = [f"m{k:02d}" for k in range(40)]
    together = pd.DataFrame({d: np.exp(common + 0.05 * rng.normal(0, 1, 40)) for d in "abc"},
                            index=idx)  # fmt: skip
    assert fit_aid(together, boot=200).mean_correlation[0] > 0.95
    # b gives what a does not; on [4, 6] the logs are nearly linear, so corr(log a, log b) ≈ -1
    a = rng.uniform(4.0, 6.0, 40)
    swap = pd.DataFrame({"a": a, "b": 10.0 - a}, index=idx)
    assert fit_aid(swap, boot=200).substitution["a"][0] < -0.9
