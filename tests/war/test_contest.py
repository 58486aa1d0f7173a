"""Contest functions (Tullock 1980; Hirshleifer 1989) against hand calculations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.war.contest import contest_probability, log_force_ratio


def test_ratio_form_by_hand() -> None:
    assert contest_probability(2.0, 1.0, 1.0) == pytest.approx(2 / 3)
    assert contest_probability(2.0, 1.0, 2.0) == pytest.approx(4 / 5)
    assert contest_probability(0.0, 1.0) == pytest.approx(0.0)
    assert contest_probability(0.0, 0.0) == pytest.approx(0.5)


def test_logistic_defender_advantage() -> None:
    # equal forces, φ = log 3: θ = 1/(1 + 3) = 0.25 (the attacker needs a 3:1 ratio for ½)
    assert contest_probability(1.0, 1.0, 1.0, "logistic", np.log(3)) == pytest.approx(0.25)
    assert contest_probability(3.0, 1.0, 1.0, "logistic", np.log(3)) == pytest.approx(0.5)


@given(st.floats(1e-6, 1e6), st.floats(1e-6, 1e6), st.floats(0.0, 5.0))
def test_symmetry_and_bounds(a: float, b: float, m: float) -> None:
    t1 = float(contest_probability(a, b, m))
    t2 = float(contest_probability(b, a, m))
    assert 0.0 <= t1 <= 1.0
    assert t1 + t2 == pytest.approx(1.0)
    assert float(log_force_ratio(a, b)) == pytest.approx(np.log(a / b))


def test_unknown_form_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown contest form"):
        contest_probability(1.0, 1.0, form="difference")
