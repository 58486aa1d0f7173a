"""The compiled selection loop (``exchange_numba``) against the NumPy path it mirrors: both must
give bit-identical rounds, realised exchanges and candidate pairs."""

from __future__ import annotations

import random
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.negotiation import exchange_kernels, exchange_numba
from parley.negotiation.exchange import ExchangeOptions, RoundResult, leverage, run_round
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.importers.exchange import load_exchange


def _rounds(
    x: np.ndarray, s: np.ndarray, c: np.ndarray, rounds: int, seed: int | None, **opts: object
) -> dict[str, list[RoundResult]]:
    out: dict[str, list[RoundResult]] = {}
    for engine in ("numpy", "numba"):
        rng = random.Random(seed) if seed is not None else None
        cur, res = x, []
        options = ExchangeOptions(engine=engine, **opts)  # type: ignore[arg-type]
        for _ in range(rounds):
            res.append(run_round(cur, s, c, options, rng))  # type: ignore[arg-type]
            cur = res[-1].end
        out[engine] = res
    return out


def _assert_identical(out: dict[str, list[RoundResult]]) -> None:
    for a, b in zip(out["numpy"], out["numba"], strict=True):
        assert a.candidates == b.candidates
        np.testing.assert_array_equal(a.voting, b.voting)
        np.testing.assert_array_equal(a.end, b.end)
        for key in ("actor", "supply", "move", "gain", "target"):
            np.testing.assert_array_equal(a.realised[key], b.realised[key])


def _case(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    text = (resources.files("parley.data") / "exchange" / name).read_text(encoding="utf-8")
    batch = stakeholder_batch(load_exchange(text, name))
    x = batch.position[0]
    return x, batch.salience[0], np.broadcast_to(batch.capability[0][:, None], x.shape).copy()


@pytest.mark.parametrize("seed", [1, 2])
def test_cop21_ten_rounds_identical(seed: int) -> None:
    out = _rounds(*_case("cop21.csv"), 10, seed)
    _assert_identical(out)
    assert out["numba"][0].candidates == 2094  # spec §12.2


@pytest.mark.parametrize(
    ("seed", "opts"),
    [(3, {}), (4, {"boundary": "void"}), (None, {"tie_rule": "first"}), (5, {"duplicates": False})],
)
def test_copenhagen_options_identical(seed: int | None, opts: dict[str, object]) -> None:
    _assert_identical(_rounds(*_case("copenhagen.csv"), 10, seed, **opts))


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Positions on a 0-100 grid of tens, saliences 0-1 in tenths (zero too), powers 1-5."""
    n, m = draw(st.integers(3, 7)), draw(st.integers(2, 4))
    grid = st.integers(0, 10)
    x = np.array(draw(st.lists(grid, min_size=n * m, max_size=n * m)), float).reshape(n, m)
    s = np.array(draw(st.lists(grid, min_size=n * m, max_size=n * m)), float).reshape(n, m)
    power = np.array(draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)), float)
    return 10.0 * x, s / 10.0, np.repeat(power[:, None], m, axis=1), draw(st.integers(0, 2**16))


@given(problems())
@settings(max_examples=40, deadline=None)
def test_random_problems_identical(p: tuple[np.ndarray, np.ndarray, np.ndarray, int]) -> None:
    x, s, c, seed = p
    x[0, 0] = np.nan  # an actor without a position on one issue
    _assert_identical(_rounds(x, s, c, 3, seed))
    _, kappa = leverage(s, c)
    present = ~np.isnan(x) & (kappa > 0)
    left = (np.nan_to_num(x) <= 50) & present
    args = (present, left, present & ~left, present.any(axis=0))
    for a, b in zip(
        exchange_kernels.candidate_pairs(*args), exchange_numba.candidate_pairs(*args), strict=True
    ):
        np.testing.assert_array_equal(a, b)
