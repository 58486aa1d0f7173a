"""Policy comparisons: paired t intervals under common random numbers, against closed forms.

The toy model below makes the paired difference known exactly: ``y = (lever / 10) a + 5 ε`` where
``a ~ U(0, 2)`` is the toy scenario's uncertain capability of actor a, the lever is actor b's
territorial position (80 under ``hold``, 70 under ``concede``) and ``ε ~ N(0, 1)`` comes from the
chunk's seed. With common random numbers ``y(hold) - y(concede) = a`` run by run, so

- the mean difference is E[a] = 1 and its variance Var(a) = 2² / 12 = 1/3, paired s.e. √(1/(3n));
- unpaired, Var y(hold) = 64/3 + 25 and Var y(concede) = 49/3 + 25, s.e. √((64/3 + 49/3 + 50)/n).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from parley.analysis.compare import (
    compare_policies,
    measures,
    outcome_measures,
    paired_ci,
    paired_table,
    welch_ci,
)
from parley.experiments.design import make_design
from parley.experiments.sweep import run_sweep
from parley.scenario import Scenario, load_scenario

TOY = Path(__file__).resolve().parents[1] / "experiments" / "data" / "toy.yaml"
LEVER = "actors.b.positions.territory.position"


@pytest.fixture(scope="module")
def toy() -> Scenario:
    return load_scenario(TOY)


def crn_model(
    scenario: Scenario,
    params: Mapping[str, np.ndarray],
    n_runs: int,
    seed: np.random.SeedSequence,
) -> xr.Dataset:
    a = np.asarray(params["actors.a.capability"], dtype=float)
    lever = np.asarray(params[LEVER], dtype=float)
    y = lever / 10 * a + 5 * np.random.default_rng(seed).standard_normal(n_runs)
    return xr.Dataset(
        {"y": ("run", y), "big": ("run", y > 8), "undefined": ("run", np.full(n_runs, np.nan))},
        coords={"run": np.arange(n_runs)},
    )


def test_paired_ci_by_hand() -> None:
    # d = 1..5: mean 3, sd = sqrt(2.5), se = sqrt(2.5 / 5) = 0.70711; t_{4, 0.975} = 2.776445
    # (table value), half-width 1.96324.
    mean, lo, hi, se, n = paired_ci(np.array([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]))
    assert (mean, n) == (3.0, 5)
    assert se == pytest.approx(math.sqrt(0.5))
    assert (lo, hi) == pytest.approx((3 - 1.96324, 3 + 1.96324), abs=1e-5)
    one, one_low, *_ = paired_ci(np.array([2.0]))
    assert one == 2.0 and np.isnan(one_low)  # one pair: a mean but no interval
    assert paired_ci(np.array([np.nan]))[4] == 0


def test_intervals_match_scipy() -> None:
    rng = np.random.default_rng(4)
    x, y = rng.normal(0, 1, 40), rng.normal(0.5, 2, 30)
    ref = stats.ttest_ind(y, x, equal_var=False).confidence_interval(0.9)
    diff, lo, hi = welch_ci(x, y, conf=0.9)
    assert diff == pytest.approx(y.mean() - x.mean())
    assert (lo, hi) == pytest.approx((ref.low, ref.high))
    x2 = x[:30] + 0.3 * y
    ref2 = stats.ttest_rel(y, x2).confidence_interval(0.95)
    assert paired_ci(y - x2)[1:3] == pytest.approx((ref2.low, ref2.high))


def test_welch_by_hand() -> None:
    # x = 1..4: mean 2.5, var 5/3; y = 2, 4, ..., 10: mean 6, var 10. se = sqrt(5/12 + 2);
    # Welch-Satterthwaite df = (5/12 + 2)^2 / ((5/12)^2 / 3 + 2^2 / 4) = 5.5208.
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([2.0, 4.0, 6.0, 8.0, 10.0])
    se = math.sqrt(5 / 12 + 2)
    df = (5 / 12 + 2) ** 2 / ((5 / 12) ** 2 / 3 + 1.0)
    assert df == pytest.approx(5.5208, abs=1e-4)
    h = stats.t.ppf(0.975, df) * se
    assert welch_ci(x, y) == pytest.approx((3.5, 3.5 - h, 3.5 + h))


def test_common_random_numbers_make_the_difference_exact(toy: Scenario) -> None:
    n = 2000
    d = make_design(
        toy, policies=["concede", "hold"], method="mc", n_points=n, runs_per_point=1, seed=5
    )
    sw = run_sweep(toy, d, crn_model)
    # Run by run, y(hold) - y(concede) = a: the noise cancels because both cells share seeds.
    wide = paired_table(sw.frame, ["y"])
    a = sw.points().query("cell == 'hold'").sort_values("point")["actors.a.capability"]
    assert np.allclose(wide["y@hold"] - wide["y@concede"], a.to_numpy())

    table = compare_policies(sw.frame, ["concede", "hold"])
    row = table.set_index("measure").loc["y"]
    assert row.reference == "concede" and row.policy == "hold" and row.n_pairs == n
    assert row.assumptions == "baseline"
    se_paired = math.sqrt(1 / 3 / n)
    se_unpaired = math.sqrt((64 / 3 + 49 / 3 + 50) / n)
    assert row.se == pytest.approx(se_paired, rel=0.06)
    assert abs(row.difference - 1.0) < 4 * se_paired
    assert row.difference == pytest.approx(row.mean_policy - row.mean_reference)
    assert row.ci_low < row.difference < row.ci_high
    # The unpaired interval is wider by about se_unpaired / se_paired = 16.3.
    width_ratio = (row.unpaired_ci_high - row.unpaired_ci_low) / (row.ci_high - row.ci_low)
    assert width_ratio == pytest.approx(se_unpaired / se_paired, rel=0.1)
    # A measure that is never defined gives no pairs rather than a number.
    undefined = table.set_index("measure").loc["undefined"]
    assert undefined.n_pairs == 0 and np.isnan(undefined.difference)


def test_per_assumption_set_and_expressions(toy: Scenario) -> None:
    d = make_design(
        toy,
        policies=["concede", "hold"],
        combos=[(), ("strong_a",)],
        method="lhs",
        n_points=50,
        runs_per_point=2,
        seed=1,
    )
    sw = run_sweep(toy, d, crn_model)
    table = compare_policies(sw.frame, ["concede", "hold"], expressions=["y * 2"])
    assert sorted(set(table.assumptions)) == ["baseline", "strong_a"]
    strong = table[(table.assumptions == "strong_a")].set_index("measure")
    # strong_a fixes a = 3: the difference is exactly 3 in every run, with zero variance.
    assert strong.loc["y", "difference"] == pytest.approx(3.0)
    assert strong.loc["y", "se"] == pytest.approx(0.0, abs=1e-12)
    assert strong.loc["y * 2", "difference"] == pytest.approx(6.0)
    assert strong.loc["y", "n_pairs"] == 100


def test_needs_two_policies(toy: Scenario) -> None:
    frame = pd.DataFrame({"policy": ["a"], "assumptions": [""], "point": [0], "replicate": [0]})
    with pytest.raises(ValueError, match="at least two policies"):
        compare_policies(frame, ["a"])


def test_measures_and_their_groups() -> None:
    frame = pd.DataFrame(
        {
            "chunk": [0],
            "policy": ["x"],
            "outcome": [1],
            "settled": [True],
            "settled_by_365d": [True],
            "terms.territory": [1.0],
            "held_5y": [1.0],
            "casualties.RUS": [1.0],
            "population_under_occupation": [1.0],
            "catastrophe": [False],
            "max_escalation_hazard": [0.1],
            "share_A": [0.5],
            "label": ["text"],
        }
    )
    assert "label" not in measures(frame) and "chunk" not in measures(frame)
    got = outcome_measures(frame)
    assert got == [
        ("P(settlement by t)", "settled"),
        ("P(settlement by t)", "settled_by_365d"),
        ("terms", "terms.territory"),
        ("durability", "held_5y"),
        ("casualties", "casualties.RUS"),
        ("occupation", "population_under_occupation"),
        ("escalation", "catastrophe"),
        ("escalation", "max_escalation_hazard"),
    ]
    everything = outcome_measures(frame, include_other=True)
    assert ("other", "share_A") in everything and ("other", "outcome") in everything


@settings(max_examples=60, deadline=None)
@given(
    d=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=40),
    conf=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_paired_ci_agrees_with_scipy(d: list[float], conf: float) -> None:
    arr = np.asarray(d)
    if np.ptp(arr) < 1e-6:  # a constant difference has a zero-width interval; SciPy gives NaN
        return
    mean, lo, hi, _, n = paired_ci(arr, conf)
    ref = stats.ttest_1samp(arr, 0.0).confidence_interval(conf)
    assert n == arr.size and mean == pytest.approx(arr.mean(), abs=1e-9)
    assert (lo, hi) == pytest.approx((ref.low, ref.high), rel=1e-9, abs=1e-9)


def test_zero_spread_gives_a_zero_width_interval() -> None:
    # SciPy returns NaN bounds here; parley keeps the interval it reported before: the point itself.
    assert paired_ci(np.array([2.0, 2.0, 2.0])) == (2.0, 2.0, 2.0, 0.0, 3)
    assert welch_ci(np.array([1.0, 1.0]), np.array([3.0, 3.0, 3.0])) == (2.0, 2.0, 2.0)


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30),
    y=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30),
    conf=st.sampled_from([0.8, 0.9, 0.95]),
)
def test_welch_agrees_with_the_satterthwaite_formula(
    x: list[float], y: list[float], conf: float
) -> None:
    # The interval as parley computed it before delegating to SciPy: diff +- t_{df} * se, with
    # se^2 = vx/nx + vy/ny and Welch-Satterthwaite df (Welch 1947).
    a, b = np.asarray(x), np.asarray(y)
    vx, vy = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    if vx + vy < 1e-9:
        return
    df = (vx + vy) ** 2 / (vx**2 / (a.size - 1) + vy**2 / (b.size - 1))
    h = float(stats.t.ppf(0.5 + conf / 2, df)) * math.sqrt(vx + vy)
    diff, lo, hi = welch_ci(a, b, conf)
    assert diff == pytest.approx(b.mean() - a.mean(), abs=1e-9)
    assert (lo, hi) == pytest.approx((diff - h, diff + h), rel=1e-7, abs=1e-7)
