"""Regret and satisficing across assumption sets (parley.analysis.robustness), by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.robustness import (
    holds_up_table,
    max_regret,
    regret_table,
    satisficing_table,
)


def _runs(values: dict[tuple[str, str], list[float]], casualties: float = 0.0) -> pd.DataFrame:
    rows = []
    for (aset, pol), ys in values.items():
        for i, y in enumerate(ys):
            rows.append(
                {"assumptions": aset, "policy": pol, "point": i, "replicate": 0, "y": y,
                 "c": casualties + i}
            )  # fmt: skip
    return pd.DataFrame(rows)


RUNS = _runs(
    {
        ("s1", "a"): [1.0, 2.0, 3.0],
        ("s1", "b"): [2.0, 4.0, 6.0],
        ("s2", "a"): [10.0, 10.0, 13.0],
        ("s2", "b"): [4.0, 5.0, 6.0],
    }
)


def test_regret_against_the_best_policy_of_each_set_by_hand() -> None:
    t = regret_table(RUNS, "y", ["a", "b"]).set_index(["assumptions", "policy"])
    # s1: means a = 2, b = 4 -> best a; regret of b = mean of (1, 2, 3) = 2.
    assert t.at[("s1", "a"), "best_policy"] == "a"
    assert t.at[("s1", "a"), "regret"] == 0.0
    assert t.at[("s1", "b"), "regret"] == pytest.approx(2.0)
    # paired t interval of (1, 2, 3): 2 +- t(0.975, 2) * 1/sqrt(3) = 2 +- 4.3027 * 0.57735
    half = 4.302652729911275 * 1.0 / math.sqrt(3.0)
    assert t.at[("s1", "b"), "lo"] == pytest.approx(2.0 - half)
    assert t.at[("s1", "b"), "hi"] == pytest.approx(2.0 + half)
    # s2: means a = 11, b = 5 -> best b; regret of a = mean of (6, 5, 7) = 6.
    assert t.at[("s2", "a"), "best_policy"] == "b"
    assert t.at[("s2", "a"), "regret"] == pytest.approx(6.0)


def test_max_regret_orders_the_minimax_choice_first() -> None:
    m = max_regret(regret_table(RUNS, "y", ["a", "b"]))
    # a: regrets 0 (s1), 6 (s2) -> 6 in s2; b: 2 (s1), 0 (s2) -> 2 in s1.
    assert list(m["policy"]) == ["b", "a"]
    assert list(m["max_regret"]) == pytest.approx([2.0, 6.0])
    assert list(m["worst_set"]) == ["s1", "s2"]


def test_satisficing_shares_by_hand() -> None:
    # y <= 3 and c <= 1 (c = 0, 1, 2 for the three runs of every cell)
    t = satisficing_table(RUNS, {"y": 3.0, "c": 1.0}, ["a", "b"]).set_index(
        ["assumptions", "policy"]
    )
    assert t.at[("s1", "a"), "share"] == pytest.approx(2 / 3)  # runs 0, 1 meet both
    assert t.at[("s1", "b"), "share"] == pytest.approx(1 / 3)  # only run 0 (y = 2)
    assert t.at[("s2", "a"), "share"] == 0.0
    assert t.at[("s2", "b"), "share"] == 0.0
    # Wilson interval of 2 of 3 (z = 1.959964): centre (2 + z^2/2) / (3 + z^2)
    z = 1.959963984540054
    centre = (2 + z * z / 2) / (3 + z * z)
    half = z / (3 + z * z) * math.sqrt(2 * 1 / 3 + z * z / 4)
    assert t.at[("s1", "a"), "lo"] == pytest.approx(centre - half)
    assert t.at[("s1", "a"), "hi"] == pytest.approx(centre + half)


def test_an_undefined_measure_does_not_satisfy() -> None:
    runs = RUNS.copy()
    runs.loc[0, "y"] = np.nan  # s1, a, run 0
    t = satisficing_table(runs, {"y": 3.0}, ["a"]).set_index(["assumptions", "policy"])
    assert t.at[("s1", "a"), "share"] == pytest.approx(2 / 3)  # y = 2, 3 satisfy; NaN does not


def test_holds_up_table_joins_regret_and_satisficing() -> None:
    reg = regret_table(RUNS, "y", ["a", "b"])
    sat = satisficing_table(RUNS, {"y": 3.0}, ["a", "b"])
    t = holds_up_table(reg, sat, order=["s2", "s1", "missing"])
    assert list(t["assumptions"]) == ["s2", "s1"]
    assert list(t["best_policy"]) == ["b", "a"]
    regret_b_s1 = t.set_index("assumptions").at["s1", "b"]
    assert regret_b_s1[0] == pytest.approx(2.0)
    assert regret_b_s1[3] == pytest.approx(1 / 3)  # y of b in s1: 2 meets, 4 and 6 do not


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
        min_size=2,
        max_size=12,
    )
)
def test_regret_is_never_negative_and_zero_for_the_best(ys: list[tuple[float, ...]]) -> None:
    values = {("s", p): [y[k] for y in ys] for k, p in enumerate("abc")}
    t = regret_table(_runs(values), "y", ["a", "b", "c"])
    assert (t["regret"] >= -1e-6 * (1 + t["mean"].abs().max())).all()
    best = t["best_policy"].iloc[0]
    assert t.set_index("policy").at[best, "regret"] == 0.0
