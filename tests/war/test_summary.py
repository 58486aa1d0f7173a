"""Monte Carlo intervals of the summary (Wilson 1927) and the weekly coverage check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from parley.analysis.front_backtest import weekly_coverage
from parley.war.summary import aid_regime_shares, mean_ci, proportion, wilson_interval


def test_wilson_interval_by_hand() -> None:
    # 5 of 10, z = 1.96: centre 0.5, half-width 1.96·sqrt(0.025 + 0.0096)/1.3842 = 0.2634
    lo, hi = wilson_interval(5, 10)
    assert (lo, hi) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    # all successes: the upper end is exactly 1, the lower end (n/(n+z²)) = 10/13.84
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(10 / (10 + 1.959964**2), abs=1e-6)
    assert wilson_interval(0, 10)[0] == 0.0


def _wilson_closed_form(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson (1927): (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), the formula parley
    used before computing the interval with scipy."""
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (0.0 if k == 0 else max(0.0, centre - half), 1.0 if k == n else min(1.0, centre + half))


@pytest.mark.parametrize("z", [1.959963984540054, 1.6448536269514722, 2.5758293035489004])
def test_wilson_interval_equals_the_closed_form(z: float) -> None:
    for n in (1, 2, 7, 50, 1000):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            assert wilson_interval(k, n, z) == pytest.approx(
                _wilson_closed_form(k, n, z), abs=1e-12
            )


def test_proportion_and_mean_drop_nan() -> None:
    p = proportion([1.0, 0.0, np.nan, 1.0])
    assert p["n"] == 3 and p["p"] == pytest.approx(2 / 3)
    m = mean_ci([1.0, 2.0, 3.0, np.nan])
    # sd 1, n 3: half-width 1.96/√3
    assert m["mean"] == 2.0 and m["hi"] - 2.0 == pytest.approx(1.959964 / np.sqrt(3), rel=1e-6)


def test_weekly_coverage_by_hand() -> None:
    q = pd.DataFrame(
        {
            "date": ["2022-11-15", "2022-11-22", "2022-11-29"],
            "q05": [0.0, 0.0, 0.0],
            "q10": [1.0, 1.0, 1.0],
            "q25": [2.0, 2.0, 2.0],
            "q50": [5.0, 5.0, 5.0],
            "q75": [8.0, 8.0, 8.0],
            "q90": [9.0, 9.0, 9.0],
            "q95": [10.0, 10.0, 10.0],
        }
    )
    days = pd.date_range("2022-11-14", "2022-11-22", freq="D")
    obs = pd.Series(np.nan, index=days)
    obs["2022-11-15"] = 5.0  # inside both
    obs["2022-11-20"] = 9.5  # carried forward to the 22nd: in the 90 % interval only
    cov = weekly_coverage(q, obs)
    assert cov["week"].tolist() == [1, 2]  # no observation for the third week
    assert cov["in50"].tolist() == [True, False] and cov["in90"].tolist() == [True, True]


def test_aid_regime_shares_count_going_runs_only() -> None:
    # 4 runs, steps ending on days 7 and 14, two supporters; run 3 has ended by day 14
    high = np.array([[[1, 0], [1, 0]], [[0, 0], [1, 1]], [[1, 1], [0, 1]], [[1, 1], [1, 1]]])
    active = np.array([[1, 1], [1, 1], [1, 1], [1, 0]], dtype=bool)
    ds = xr.Dataset(
        {"aid_high": (("run", "step", "supporter"), high.astype(bool)),
         "active": (("run", "step"), active)},
        coords={"step": [0, 1], "day": ("step", [7.0, 14.0]), "supporter": ["X", "Y"]},
    )  # fmt: skip
    t = aid_regime_shares(ds, [10, 14])
    # day 10 -> the step ending on day 7: all 4 going; X high in 3 of 4, Y in 2 of 4
    assert t["p_high"].tolist()[:2] == [0.75, 0.5] and t["runs"].tolist()[:2] == [4, 4]
    # day 14: runs 0-2 going; X high in 2 of 3, Y in 2 of 3
    assert t["p_high"].tolist()[2:] == pytest.approx([2 / 3, 2 / 3])
    with pytest.raises(ValueError, match="no step ends by day 3"):
        aid_regime_shares(ds, [3])
