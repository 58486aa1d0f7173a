"""The outcome-expression language: what it accepts, what it computes, how it refuses bad text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.expressions import MAX_LENGTH, Num, Op, Ref, evaluate_text, parse, refs
from parley.scenario import ScenarioError

COLS = {
    "settled": np.array([1.0, 0.0, 1.0, 1.0]),
    "casualties.A": np.array([10.0, 60_000.0, 40_000.0, 80_000.0]),
    "terms.territory@now": np.array([5.0, 7.0, 2.0, 9.0]),
    "terms.territory@in_a_year": np.array([6.0, 7.0, 1.0, 3.0]),
}


def ev(text: str, cols: dict[str, np.ndarray] | None = None, **kw: str) -> np.ndarray:
    return np.asarray(evaluate_text(text, COLS if cols is None else cols, **kw))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 + 2 * 3", 7.0),  # * binds tighter than +
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),  # left associative
        ("8 / 4 / 2", 1.0),
        ("-2 * -3", 6.0),
        ("--2", 2.0),
        ("2.5e2 + .5", 250.5),
        ("abs(-3) + min(4, 2, 9) + max(1, 5)", 10.0),
        ("1 < 2 and 3 > 2", 1.0),
        ("1 > 2 or not 0", 1.0),
        ("not 1 == 1", 0.0),  # not binds looser than ==
        ("2 >= 2", 1.0),
        ("3 != 3", 0.0),
        ("1 + 1 == 2", 1.0),  # + binds tighter than ==
    ],
)
def test_arithmetic_and_logic_by_hand(text: str, value: float) -> None:
    assert float(ev(text, {})) == value


def test_outcomes_with_dots_and_policies() -> None:
    # Hand evaluation, run by run: casualties > 50000 -> F, T, F, T.
    assert ev("casualties.A > 50000").tolist() == [0.0, 1.0, 0.0, 1.0]
    # "where does negotiating now give better terms than negotiating in a year?"
    # 5-6=-1, 7-7=0, 2-1=1, 9-3=6 -> only runs 3 and 4 are > 0.
    better = ev("terms.territory@now - terms.territory@in_a_year > 0")
    assert better.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert ev("settled and casualties.A < 50000").tolist() == [1.0, 0.0, 1.0, 0.0]
    # A bare name reads the default policy's column.
    assert ev("terms.territory", default_policy="now").tolist() == [5.0, 7.0, 2.0, 9.0]


def test_division_by_zero_is_nan_not_an_exception() -> None:
    out = ev("1 / (settled - 1)")
    assert np.isnan(out[0]) and out[1] == -1.0


def test_parse_tree_and_refs() -> None:
    node = parse("a@p + 2 * b")
    assert node == Op("+", (Ref("a", "p"), Op("*", (Num(2.0), Ref("b")))))
    assert refs(parse("x@now - x@later > max(y, 0)")) == {
        Ref("x", "now"),
        Ref("x", "later"),
        Ref("y"),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("settled;", "unexpected character ';' at 8"),
        ("settled $ 1", r"unexpected character '\$' at 9"),
        ("exp(settled)", "unknown function 'exp' \\(allowed: abs, min, max\\)"),
        ("abs(1, 2)", "abs takes one argument"),
        ("1 < 2 < 3", "chained comparisons are not supported; use 'and'"),
        ("(1 + 2", "unexpected end"),
        ("1 + 2)", "unexpected '\\)'"),
        ("1 +", "unexpected end"),
        ("settled @ 3", "expected a policy name after '@', found '3'"),
        ("min(1 2)", "expected '\\)' but found '2'"),
        ("* 2", "unexpected '\\*'"),
    ],
)
def test_syntax_errors_are_scenario_errors_with_the_text(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as err:
        ev(text)
    assert err.value.field == "--outcome"
    assert "in expression" in str(err.value)


def test_unknown_outcome_lists_the_known_ones() -> None:
    with pytest.raises(ScenarioError, match="unknown outcome 'setled'") as err:
        ev("setled > 0")
    assert "casualties.A" in str(err.value) and "terms.territory" in str(err.value)


def test_unknown_policy_lists_the_policies() -> None:
    with pytest.raises(ScenarioError, match="no policy 'later' for 'terms.territory'") as err:
        ev("terms.territory@later > 0")
    assert "in_a_year, now" in str(err.value)


def test_code_is_never_executed() -> None:
    # Python syntax is not the language: attribute calls and strings are refused outright.
    with pytest.raises(ScenarioError, match="unexpected character ''' at 12"):
        ev("__import__('os')")
    with pytest.raises(ScenarioError, match="unknown function '__import__'"):
        ev("__import__(1)")
    with pytest.raises(ScenarioError, match="unexpected character"):
        ev("settled if 1 else 0 ; 'x'")


def test_length_limit() -> None:
    with pytest.raises(ScenarioError, match=f"longer than {MAX_LENGTH}"):
        ev("1 + " * 200 + "1")


# --- property: on number-only arithmetic the language agrees with Python's own evaluator -----
def _expr(depth: int) -> st.SearchStrategy[str]:
    leaf = st.integers(0, 50).map(str)
    if depth == 0:
        return leaf
    sub = _expr(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["+", "-", "*"]), sub).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        sub.map(lambda s: f"-{s}"),
        st.tuples(sub, sub).map(lambda t: f"max({t[0]}, {t[1]})"),
        st.tuples(sub, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), sub).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
    )


@settings(max_examples=150, deadline=None)
@given(text=_expr(3))
def test_agrees_with_python_on_generated_arithmetic(text: str) -> None:
    expected = float(eval(text, {"__builtins__": {}}, {"max": max}))  # noqa: S307 - generated
    assert float(ev(text, {})) == pytest.approx(expected)
