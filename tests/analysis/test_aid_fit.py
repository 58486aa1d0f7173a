"""Aid regimes, common factor and substitution against hand calculations."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.aid_fit import AidFit, fit_aid, monthly_matrix, supporter_map
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


# A Kiel-like file: USA high, high, low, high, low, low; EU always near its mean 1; NOR and POL
# pooled into "others" (0.2, 0.3, 0.2, 0.2, 0.3, 0.2: always above half their mean).
KIEL_CSV = """country,iso,year,month,total,military
United States,USA,2022,1,9.0,9.0
United States,USA,2022,2,4.0,4.0
United States,USA,2022,3,5.0,5.0
United States,USA,2022,4,0.5,0.5
United States,USA,2022,5,6.0,6.0
United States,USA,2022,6,0.4,0.4
United States,USA,2022,7,0.6,0.6
United States,USA,2022,8,50.0,50.0
EU (Commission and Council),EU,2022,2,1.0,0
EU (Commission and Council),EU,2022,3,1.2,0
EU (Commission and Council),EU,2022,4,0.9,0
EU (Commission and Council),EU,2022,5,1.1,0
EU (Commission and Council),EU,2022,6,1.0,0
EU (Commission and Council),EU,2022,7,0.8,0
Norway,NOR,2022,2,0.2,0.2
Norway,NOR,2022,4,0.2,0.2
Norway,NOR,2022,5,0.2,0.2
Norway,NOR,2022,7,0.2,0.2
Poland,POL,2022,3,0.3,0.3
Poland,POL,2022,6,0.3,0.3
"""


def _hand_fit(tmp_path: Path) -> AidFit:
    path = tmp_path / "kiel.csv"
    path.write_text(KIEL_CSV)
    mat = monthly_matrix(pd.read_csv(path), ["USA", "EU"], until="2022-07")
    assert list(mat.columns) == ["USA", "EU", "others"] and len(mat) == 6  # Jan and Aug out
    return fit_aid(mat, boot=4000, seed=5)


def test_per_donor_counts_posteriors_and_levels_by_hand(tmp_path: Path) -> None:
    fit = _hand_fit(tmp_path)
    assert fit.per_donor is not None and fit.prior_high_to_low and fit.prior_low_to_high
    usa, eu, others = fit.per_donor["USA"], fit.per_donor["EU"], fit.per_donor["others"]
    # USA (mean 16.5/6 = 2.75, high >= 1.375): H H L H L L -> HH, HL, LH, HL, LL
    assert usa.counts == (2, 3, 1, 2) and usa.months_high == 3 and not usa.last_high
    assert eu.counts == (0, 5, 0, 0) and others.counts == (0, 5, 0, 0) and eu.last_high
    # pooled prior means: high->low (2 + 1)/(13 + 2) = 0.2, low->high (1 + 1)/(2 + 2) = 0.5
    assert fit.prior_high_to_low.mean == pytest.approx(0.2)
    assert fit.prior_low_to_high.mean == pytest.approx(0.5)
    # conjugate update with the fitted strength s: Beta(0.2 s + 2, 0.8 s + 1)
    s = fit.prior_high_to_low.strength
    a, b = 0.2 * s + 2, 0.8 * s + 1
    assert usa.high_to_low.mean == pytest.approx(a / (a + b))
    assert usa.high_to_low.sd == pytest.approx(math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))))
    # EU never left its high regime: its low->high law is the prior, mean 0.5
    assert eu.low_to_high.mean == pytest.approx(0.5)
    assert eu.high_to_low.mean == pytest.approx(0.2 * s / (s + 5))
    # levels: USA high months 4, 5, 6 (mean 5); the bootstrap sd of a mean of three values is
    # the population sd over sqrt(3): sqrt(2/3)/sqrt(3) = 0.471; low months 0.5, 0.4, 0.6
    assert usa.high_bn_per_month[0] == pytest.approx(5.0)
    assert usa.high_bn_per_month[1] == pytest.approx(math.sqrt(2 / 9), rel=0.05)
    assert 4.0 <= usa.high_bn_per_month[2] < 5.0 < usa.high_bn_per_month[3] <= 6.0
    assert usa.low_bn_per_month[0] == pytest.approx(0.5)
    assert eu.high_bn_per_month[0] == pytest.approx(1.0)
    assert all(math.isnan(v) for v in eu.low_bn_per_month)  # EU was never low


def test_lines_show_the_per_donor_table(tmp_path: Path) -> None:
    text = "\n".join(_hand_fit(tmp_path).lines())
    assert "prior high->low: Beta mean 0.200" in text
    assert "USA" in text and "2/3" in text


def test_supporter_map_parses_and_refuses_bad_pairs() -> None:
    donors = ("USA", "EU", "others")
    assert supporter_map("US=USA, EUI=EU", donors) == {"US": "USA", "EUI": "EU"}
    for bad, words in (("USA", "SUPPORTER=DONOR"), ("X=FRA", "not fitted"),
                       ("A=USA,A=EU", "mapped twice"), (" , ", "pairs")):  # fmt: skip
        with pytest.raises(ScenarioError, match=words):
            supporter_map(bad, donors)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda k: st.lists(
            st.lists(st.floats(0.0, 50.0), min_size=k, max_size=k), min_size=4, max_size=9
        )
    )
)
def test_any_allocations_give_probabilities_and_levels(rows: list[list[float]]) -> None:
    idx = [f"2022-{m:02d}" for m in range(2, 2 + len(rows))]
    mat = pd.DataFrame(rows, index=idx, columns=[f"d{j}" for j in range(len(rows[0]))])
    fit = fit_aid(mat, boot=20)
    assert fit.per_donor is not None
    for d, a in fit.per_donor.items():
        for law in (a.high_to_low, a.low_to_high):
            assert 0 < law.mean < 1 and law.sd > 0
        hl, n_high, lh, n_low = a.counts
        assert 0 <= hl <= n_high and 0 <= lh <= n_low and n_high + n_low == len(rows) - 1
        h, lo = a.high_bn_per_month[0], a.low_bn_per_month[0]
        assert h >= 0.5 * float(mat[d].mean()) - 1e-12  # high months are at least half the mean
        assert math.isnan(lo) or lo < h
