"""Safe outcome expressions: a tiny parser over outcome names, arithmetic, comparisons and policies.

Users describe the outcome they care about as text, e.g. ``settled``, ``casualties.A > 50000``,
``terms.territory@now - terms.territory@in_a_year > 0`` ("where does negotiating now give better
terms than negotiating in a year?"). The text is tokenised and parsed by a recursive-descent parser
into a small tree and evaluated over NumPy arrays; nothing is ever passed to ``eval``, and only the
names of outcome measures, numbers, the operators below and three functions are accepted.

Grammar (lowest precedence first)::

    expr  := or
    or    := and ("or" and)*
    and   := not ("and" not)*
    not   := "not" not | cmp
    cmp   := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum   := prod (("+" | "-") prod)*
    prod  := unary (("*" | "/") unary)*
    unary := "-" unary | atom
    atom  := NUMBER | NAME ["@" NAME] | FUNC "(" expr ("," expr)* ")" | "(" expr ")"

``NAME`` is an outcome measure (dots allowed: ``terms.territory``); ``NAME@policy`` is that measure
under a named policy, paired run by run with common random numbers. ``FUNC`` is ``abs``, ``min`` or
``max``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.scenario.errors import ScenarioError

Array = NDArray[np.float64]

MAX_LENGTH = 500

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)"
    r"|(?P<op><=|>=|==|!=|[<>+\-*/(),@]))"
)
_FUNCS: dict[str, Callable[..., Array]] = {
    "abs": lambda x: np.abs(x),
    "min": lambda *xs: np.minimum.reduce(np.broadcast_arrays(*xs)),
    "max": lambda *xs: np.maximum.reduce(np.broadcast_arrays(*xs)),
}
_KEYWORDS = {"and", "or", "not"}


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: float


@dataclass(frozen=True)
class Ref:
    """An outcome measure, optionally under a named policy."""

    name: str
    policy: str | None = None


@dataclass(frozen=True)
class Op:
    """An operator or function applied to its arguments."""

    op: str
    args: tuple[Node, ...]


Node = Num | Ref | Op


def _error(text: str, msg: str) -> ScenarioError:
    return ScenarioError(f"{msg} in expression '{text}'", field="--outcome")


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(kind, value)`` tokens; anything else is refused."""
    if len(text) > MAX_LENGTH:
        raise _error(text[:40] + "...", f"expression longer than {MAX_LENGTH} characters")
    out: list[tuple[str, str]] = []
    pos = 0
    text_end = len(text.rstrip())
    while pos < text_end:
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            col = len(text) - len(text[pos:].lstrip())  # skip the blanks before the culprit
            raise _error(text, f"unexpected character '{text[col]}' at {col + 1}")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "kw"
        out.append((kind, value))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise _error(self.text, "unexpected end")
        if value is not None and tok[1] != value:
            raise _error(self.text, f"expected '{value}' but found '{tok[1]}'")
        self.i += 1
        return tok

    def at(self, *values: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[1] in values and tok[0] in ("op", "kw")

    def parse(self) -> Node:
        if not self.toks:
            raise _error(self.text, "empty expression")
        node = self.or_()
        if self.peek() is not None:
            raise _error(self.text, f"unexpected '{self.peek()[1]}'")  # type: ignore[index]
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.at("or"):
            self.take()
            node = Op("or", (node, self.and_()))
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.at("and"):
            self.take()
            node = Op("and", (node, self.not_()))
        return node

    def not_(self) -> Node:
        if self.at("not"):
            self.take()
            return Op("not", (self.not_(),))
        return self.cmp()

    def cmp(self) -> Node:
        node = self.sum()
        if self.at("<", "<=", ">", ">=", "==", "!="):
            op = self.take()[1]
            node = Op(op, (node, self.sum()))
            if self.at("<", "<=", ">", ">=", "==", "!="):
                raise _error(self.text, "chained comparisons are not supported; use 'and'")
        return node

    def sum(self) -> Node:
        node = self.prod()
        while self.at("+", "-"):
            op = self.take()[1]
            node = Op(op, (node, self.prod()))
        return node

    def prod(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.take()[1]
            node = Op(op, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.at("-"):
            self.take()
            return Op("neg", (self.unary(),))
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return Num(float(value))
        if kind == "op" and value == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind == "name":
            if self.at("("):
                if value not in _FUNCS:
                    raise _error(
                        self.text, f"unknown function '{value}' (allowed: {', '.join(_FUNCS)})"
                    )
                self.take("(")
                args = [self.or_()]
                while self.at(","):
                    self.take()
                    args.append(self.or_())
                self.take(")")
                if value == "abs" and len(args) != 1:
                    raise _error(self.text, "abs takes one argument")
                return Op(value, tuple(args))
            if self.at("@"):
                self.take()
                pk, pol = self.take()
                if pk != "name":
                    raise _error(self.text, f"expected a policy name after '@', found '{pol}'")
                return Ref(value, pol)
            return Ref(value)
        raise _error(self.text, f"unexpected '{value}'")


def parse(text: str) -> Node:
    """Parse an outcome expression into a tree (raises :class:`ScenarioError` on bad input)."""
    return _Parser(text).parse()


def refs(node: Node) -> set[Ref]:
    """Every measure (and policy) the expression reads."""
    if isinstance(node, Ref):
        return {node}
    if isinstance(node, Op):
        out: set[Ref] = set()
        for a in node.args:
            out |= refs(a)
        return out
    return set()


_BIN: dict[str, Callable[[Array, Array], Array]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": lambda a, b: np.divide(a, b, out=np.full(np.broadcast(a, b).shape, np.nan), where=b != 0),
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
    "and": np.logical_and,
    "or": np.logical_or,
}


def evaluate(node: Node, lookup: Callable[[Ref], Array]) -> Array:
    """Evaluate a parsed expression; ``lookup`` returns the array of one measure."""
    if isinstance(node, Num):
        return np.asarray(node.value, dtype=float)
    if isinstance(node, Ref):
        return np.asarray(lookup(node), dtype=float)
    args = [evaluate(a, lookup) for a in node.args]
    if node.op == "neg":
        return np.asarray(-args[0], dtype=float)
    if node.op == "not":
        return np.asarray(np.logical_not(args[0]), dtype=float)
    if node.op in _FUNCS:
        return np.asarray(_FUNCS[node.op](*args), dtype=float)
    return np.asarray(_BIN[node.op](args[0], args[1]), dtype=float)


def evaluate_text(text: str, columns: dict[str, Array], default_policy: str | None = None) -> Array:
    """Evaluate ``text`` over a table of columns named ``measure`` or ``measure@policy``."""
    node = parse(text)

    def lookup(ref: Ref) -> Array:
        policy = ref.policy or default_policy
        key = f"{ref.name}@{policy}" if policy else ref.name
        if key in columns:
            return columns[key]
        if ref.policy is None and ref.name in columns:
            return columns[ref.name]
        measures = sorted({k.split("@")[0] for k in columns})
        if any(k.startswith(ref.name + "@") for k in columns) or ref.name in measures:
            policies = sorted({k.split("@")[1] for k in columns if "@" in k})
            raise _error(
                text, f"no policy '{policy}' for '{ref.name}' (policies: {', '.join(policies)})"
            )
        raise _error(text, f"unknown outcome '{ref.name}' (outcomes: {', '.join(measures)})")

    return evaluate(node, lookup)
