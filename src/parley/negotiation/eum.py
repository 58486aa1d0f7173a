"""Bueno de Mesquita's expected-utility (challenge) model, batched over many negotiations.

The model follows the reconstruction by Scholz, Calbert & Smith (2011), "Unravelling Bueno de
Mesquita's group decision model", J. Theoretical Politics 23(4):510-531 (ICAART 2011, pp. 18-30), of
the model in Bueno de Mesquita (1994), "Political forecasting: an expected utility method", in
*European Community Decision Making*, Yale UP. Every round, each actor estimates its risk attitude
from how exposed it is to challenges, evaluates the expected utility of challenging every other
actor and of being challenged, and accepts at most one offer (lose a conflict, compromise or
capitulate); all accepted moves are applied at once. The reported forecast is the weighted median.

Where the paper and the published code differ, each choice is a named option (see
:class:`EumOptions`); the profile ``"scholz-code"`` (default) reproduces Scholz et al.'s code and 7
of the 8 published medians of their Table 2, ``"paper-literal"`` follows the paper's text.
See ``docs/eum.md`` for the equations, the options and the parity record.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from parley.negotiation import eum_kernels as K
from parley.negotiation.registry import ModelResult
from parley.scenario.arrays import StakeholderBatch

FloatArray = K.FloatArray
BoolArray = K.BoolArray

_CHOICES: dict[str, tuple[str, ...]] = {
    "probability_denominator": ("all-pairs", "pairwise"),
    "probability_numerator": ("supporters", "net"),
    "vote_exponent": ("own", "linear"),
    "target_perspective": ("mover", "target"),
    "better_rule": ("always", "case", "never"),
    "offer_choice": ("lowest-average", "least-move-compromise", "largest-b", "least-move"),
    "range_rule": ("initial", "per-round", "scale"),
    "update": ("simultaneous", "sequential"),
    "first_pass": ("reset", "carry"),
    "danger_perspective": ("target", "challenger"),
    "mean_weights": ("capability-salience", "capability", "equal"),
    "forecast": ("median", "mean"),
}


@dataclass(frozen=True)
class EumOptions:
    """Named choices for every ambiguity of the model (ids A1-A12 of ``docs/eum.md``).

    Attributes
    ----------
    q:
        Probability of the status quo when an actor does not challenge (Scholz et al.: 1.0).
    probability_denominator:
        A1. ``"all-pairs"`` one constant over all ordered actor pairs (code) or ``"pairwise"``
        (paper eq. 31).
    vote_exponent:
        A2. ``"own"`` each voter's risk exponent inside its votes (code) or ``"linear"``.
    target_perspective:
        A3. Exponent used for ``b = E(j -> i)``: the mover's ``"mover"`` (code) or ``"target"``
        (the challenger j's own, paper).
    better_rule:
        A4. T when ``q < 1``: ``"always"`` (T = 1, code), ``"case"`` (paper Figs 1-4), ``"never"``.
    capitulation:
        A5. Whether capitulation offers exist (the code's test ``b < |b|`` disables them).
    offer_choice:
        A6. Which offer an actor accepts; see :func:`parley.negotiation.eum_kernels.choose_offers`.
    range_rule:
        A7. Range R for distances: ``"initial"`` positions (code), ``"per-round"`` current
        positions, or the issue's ``"scale"``.
    update:
        A8. ``"simultaneous"`` moves (code) or ``"sequential"`` in actor order with every quantity
        recomputed after each move.
    first_pass:
        A11. Exponents of the first (risk) pass: ``"reset"`` to 1 each round (code) or ``"carry"``
        the previous round's.
    danger_perspective:
        A9. Exponent in the danger ``E(j -> i)`` when carrying: ``"target"`` i's or
        ``"challenger"`` j's (irrelevant with ``first_pass="reset"``).
    probability_numerator:
        A12. ``"supporters"`` ``sum_k max(0, v_k)`` (code) or ``"net"`` ``max(0, sum_k v_k)``.
    mean_weights:
        A10. Weights of the reported mean: ``"capability-salience"``, ``"capability"``, ``"equal"``.
    forecast:
        Which final-round statistic is the forecast: ``"median"`` (default) or ``"mean"``.
    """

    q: float = 1.0
    probability_denominator: str = "all-pairs"
    vote_exponent: str = "own"
    target_perspective: str = "mover"
    better_rule: str = "always"
    capitulation: bool = False
    offer_choice: str = "lowest-average"
    range_rule: str = "initial"
    update: str = "simultaneous"
    first_pass: str = "reset"
    danger_perspective: str = "target"
    probability_numerator: str = "supporters"
    mean_weights: str = "capability-salience"
    forecast: str = "median"

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"eum option {name}={value!r} is not one of: {', '.join(allowed)}")
        if not 0.0 <= float(self.q) <= 1.0:
            raise ValueError(f"eum option q={self.q} must lie in [0, 1]")
        if not isinstance(self.capitulation, bool):
            raise ValueError("eum option capitulation must be true or false")


#: Named rule sets. "scholz-code" reproduces Scholz et al.'s program; "paper-literal" their text.
PROFILES: dict[str, EumOptions] = {
    "scholz-code": EumOptions(),
    "paper-literal": EumOptions(
        probability_denominator="pairwise",
        target_perspective="target",
        better_rule="case",
        capitulation=True,
        offer_choice="least-move",
    ),
}


def eum_options(profile: str = "scholz-code", **options: Any) -> EumOptions:
    """The options of ``profile`` with any named option overridden."""
    if profile not in PROFILES:
        raise ValueError(f"unknown eum profile '{profile}', expected one of {', '.join(PROFILES)}")
    known = {f.name for f in dataclasses.fields(EumOptions)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ValueError(
            f"unknown eum option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return dataclasses.replace(PROFILES[profile], **options)


@dataclass(frozen=True)
class EumRun:
    """Trajectory of a stack of one-dimensional problems (``P`` problems, ``N`` actor slots).

    ``positions`` ``(P, rounds+1, N)``, ``median``/``mean`` ``(P, rounds+1)``, ``risk``
    ``(P, rounds, N)``, and per round ``kind``/``proposer``/``a``/``b`` ``(P, rounds, N)`` of the
    accepted offer of each actor (kind 0 = no move, proposer -1).
    """

    positions: FloatArray
    median: FloatArray
    mean: FloatArray
    risk: FloatArray
    kind: K.IntArray
    proposer: K.IntArray
    a: FloatArray
    b: FloatArray


@dataclass(frozen=True)
class RoundPass:
    """Everything one round computes before the moves (``P`` problems, ``N`` actors).

    ``median`` ``(P,)`` (only computed when ``q < 1``, else NaN); first pass (risk): ``prob1``
    ``(P, N, N)`` win probabilities, ``eu1[p, j, i]`` = E(j -> i), ``danger`` and ``relative_danger``
    ``(P, N)``; ``risk`` ``(P, N)`` the exponents; second pass: ``prob`` and the decision matrices
    ``a[p, i, j]`` = i's EU of challenging j and ``b[p, i, j]`` = i's estimate of j's EU of
    challenging i.
    """

    median: FloatArray
    prob1: FloatArray
    eu1: FloatArray
    danger: FloatArray
    relative_danger: FloatArray
    risk: FloatArray
    prob: FloatArray
    a: FloatArray
    b: FloatArray


def challenge_utilities(
    x: FloatArray,
    salience: FloatArray,
    weight: FloatArray,
    valid: BoolArray,
    span: FloatArray,
    r_prev: FloatArray,
    opt: EumOptions,
) -> RoundPass:
    """Risk exponents and the (a, b) EU matrices of one round for the current positions (§6-7).

    ``weight`` is ``capability * salience`` (0 for padding actors), ``span`` the range R per
    problem and ``r_prev`` the previous round's exponents (used with ``first_pass="carry"``).
    """
    xv = np.where(valid, x, 0.0)
    dist = K.distances(xv, span)
    need_mu = opt.q != 1.0
    mu = K.vote_median(x, weight, valid, span) if need_mu else np.full(x.shape[0], np.nan)
    dist_mu = np.abs(xv - np.nan_to_num(mu)[:, None]) / span[:, None]
    better = None
    if need_mu and opt.better_rule != "always":
        if opt.better_rule == "never":
            better = np.zeros_like(dist)
        else:
            own_gap = np.abs(xv - mu[:, None])[:, :, None]
            better = (own_gap < np.abs(xv[:, :, None] - xv[:, None, :])).astype(np.float64)
    prob_args = {
        "denominator": opt.probability_denominator,
        "numerator": opt.probability_numerator,
    }
    # First pass: danger of every actor, exponents 1 (or carried from the previous round).
    r1 = r_prev if opt.first_pass == "carry" else np.ones_like(x)
    rho1 = r1 if opt.vote_exponent == "own" else np.ones_like(x)
    p1 = K.win_probability(xv, valid, span, weight, rho1, **prob_args)
    e1_exp = r1[:, None, :] if opt.danger_perspective == "target" else r1[:, :, None]
    e1 = K.expected_utility(dist, dist_mu, salience, p1, e1_exp, opt.q, better)
    dng = K.danger(e1, valid)
    rel, r = K.risk_exponents(dng, valid)
    # Second pass: probabilities with the new exponents and the decision EUs.
    rho2 = r if opt.vote_exponent == "own" else np.ones_like(x)
    p2 = K.win_probability(xv, valid, span, weight, rho2, **prob_args)
    a = K.expected_utility(dist, dist_mu, salience, p2, r[:, :, None], opt.q, better)
    if opt.target_perspective == "mover":
        eb = K.expected_utility(dist, dist_mu, salience, p2, r[:, None, :], opt.q, better)
        b = np.swapaxes(eb, 1, 2)
    else:
        b = np.swapaxes(a, 1, 2)
    return RoundPass(mu, p1, e1, dng, rel, r, p2, a, b)


def run_problems(
    position: FloatArray,
    salience: FloatArray,
    capability: FloatArray,
    valid: BoolArray,
    rounds: int,
    opt: EumOptions,
    scale_span: FloatArray | None = None,
) -> EumRun:
    """Run the model on ``P`` independent one-dimensional problems (arrays ``(P, N)``)."""
    n_p, n_a = position.shape
    x = np.where(valid, position, np.nan).astype(np.float64)
    sal = np.where(valid, salience, 0.0)
    weight = np.where(valid, capability * sal, 0.0)
    if opt.mean_weights == "capability":
        mean_w = np.where(valid, capability, 0.0)
    elif opt.mean_weights == "equal":
        mean_w = valid.astype(np.float64)
    else:
        mean_w = weight

    def span_of(xx: FloatArray) -> FloatArray:
        if opt.range_rule == "scale" and scale_span is not None:
            s = scale_span.astype(np.float64)
        else:
            hi = np.where(valid, xx, -np.inf).max(axis=1, initial=-np.inf)
            lo = np.where(valid, xx, np.inf).min(axis=1, initial=np.inf)
            s = hi - lo
        return np.where(np.isfinite(s) & (s > 0), s, 1.0)

    span = span_of(x)
    positions = np.full((n_p, rounds + 1, n_a), np.nan)
    median = np.full((n_p, rounds + 1), np.nan)
    mean = np.full((n_p, rounds + 1), np.nan)
    shape = (n_p, rounds, n_a)
    risk, a_out, b_out = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    kind = np.zeros(shape, dtype=np.int64)
    proposer = np.full(shape, -1, dtype=np.int64)
    positions[:, 0] = x
    median[:, 0] = K.vote_median(x, weight, valid, span)
    mean[:, 0] = K.weighted_mean(x, mean_w, valid)
    r_prev = np.ones((n_p, n_a))
    rows = np.arange(n_p)
    for t in range(rounds):
        if opt.range_rule == "per-round":
            span = span_of(x)
        movers = [None] if opt.update == "simultaneous" else list(range(n_a))
        for mover in movers:
            rp = challenge_utilities(x, sal, weight, valid, span, r_prev, opt)
            r, a, b = rp.risk, rp.a, rp.b
            new, k, j = K.choose_offers(
                np.where(valid, x, 0.0),
                a,
                b,
                valid,
                capitulation=opt.capitulation,
                choice=opt.offer_choice,
            )
            sel = slice(None) if mover is None else mover
            jj = np.maximum(j[:, sel], 0)
            if mover is None:
                a_sel = np.take_along_axis(a, jj[:, :, None], 2)[:, :, 0]
                b_sel = np.take_along_axis(b, jj[:, :, None], 2)[:, :, 0]
                risk[:, t] = np.where(valid, r, np.nan)
            else:
                a_sel = a[rows, mover, jj]
                b_sel = b[rows, mover, jj]
                risk[:, t, mover] = np.where(valid[:, mover], r[:, mover], np.nan)
            moved = k[:, sel] != K.NO_MOVE
            kind[:, t, sel] = k[:, sel]
            proposer[:, t, sel] = j[:, sel]
            a_out[:, t, sel] = np.where(moved, a_sel, np.nan)
            b_out[:, t, sel] = np.where(moved, b_sel, np.nan)
            x = x.copy()
            x[:, sel] = np.where(valid[:, sel], new[:, sel], np.nan)
        r_prev = np.where(valid, risk[:, t], 1.0)
        positions[:, t + 1] = x
        median[:, t + 1] = K.vote_median(x, weight, valid, span)
        mean[:, t + 1] = K.weighted_mean(x, mean_w, valid)
    return EumRun(positions, median, mean, risk, kind, proposer, a_out, b_out)


def _moves_frame(run: EumRun, batch: StakeholderBatch, n_issues: int) -> pd.DataFrame:
    """Tidy table of accepted offers: one row per actor that moved in a round."""
    p, t, i = np.nonzero(run.kind)
    b_idx, k_idx = p // n_issues, p % n_issues
    j = run.proposer[p, t, i]

    def label(ids: tuple[tuple[str, ...], ...], bb: np.ndarray, aa: np.ndarray) -> list[str]:
        return [ids[int(x)][int(y)] for x, y in zip(bb, aa, strict=True)]

    return pd.DataFrame(
        {
            "batch": b_idx.astype(np.int64),
            "scenario": [batch.scenario_ids[int(x)] for x in b_idx],
            "issue": label(batch.issue_ids, b_idx, k_idx),
            "round": (t + 1).astype(np.int64),
            "challenger": label(batch.actor_ids, b_idx, j),
            "target": label(batch.actor_ids, b_idx, i),
            "challenger_index": j.astype(np.int64),
            "target_index": i.astype(np.int64),
            "type": pd.Categorical(
                [K.KIND_NAMES[int(c)] for c in run.kind[p, t, i]],
                categories=["conflict", "compromise", "capitulation"],
            ),
            "a": run.a[p, t, i],
            "b": run.b[p, t, i],
            "old_position": run.positions[p, t, i],
            "new_position": run.positions[p, t + 1, i],
        }
    )


def eum_model(
    batch: StakeholderBatch, *, rounds: int = 10, profile: str = "scholz-code", **options: Any
) -> ModelResult:
    """Forecast every issue of every scenario with the expected-utility model.

    Each (scenario, issue) pair is an independent one-dimensional negotiation among the actors with
    a position (and salience) on it; all are advanced together, round by round. Positions stay on
    each issue's own scale. Options: see :class:`EumOptions`; ``profile`` selects
    ``"scholz-code"`` (default; Scholz, Calbert & Smith 2011) or ``"paper-literal"``.

    Returns a :class:`ModelResult` with ``outcome`` ``(batch, issues)`` the final-round median (or
    mean, ``forecast="mean"``), ``history`` ``(batch, rounds+1, actors, issues)`` (state 0 = input)
    and ``extra``: ``"median"``, ``"mean"`` ``(batch, rounds+1, issues)``, ``"risk"``
    ``(batch, rounds, actors, issues)``, ``"moves"`` (tidy DataFrame with columns batch, scenario,
    issue, round, challenger, target, challenger_index, target_index, type, a, b, old_position,
    new_position; the target is the actor that moves) and ``"options"`` (the :class:`EumOptions`).
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise ValueError(f"eum option rounds={rounds!r} must be a non-negative integer")
    opt = eum_options(profile, **options)
    n_b, n_a, n_i = batch.shape
    pos = np.transpose(batch.position, (0, 2, 1)).reshape(n_b * n_i, n_a)
    sal = np.transpose(batch.salience, (0, 2, 1)).reshape(n_b * n_i, n_a)
    cap = np.broadcast_to(batch.capability[:, None, :], (n_b, n_i, n_a)).reshape(n_b * n_i, n_a)
    valid = np.isfinite(pos) & np.isfinite(sal) & np.isfinite(cap)
    if np.any(valid & ((sal < 0) | (sal > 1))):
        raise ValueError("eum needs saliences in [0, 1]")
    span = (batch.scale_max - batch.scale_min).reshape(n_b * n_i)
    run = run_problems(pos, sal, cap, valid, int(rounds), opt, span)

    def per_issue(a: np.ndarray) -> np.ndarray:
        return a.reshape((n_b, n_i) + a.shape[1:])

    history = np.moveaxis(per_issue(run.positions), 1, -1)  # (b, states, actors, issues)
    median = np.moveaxis(per_issue(run.median), 1, -1)  # (b, states, issues)
    mean = np.moveaxis(per_issue(run.mean), 1, -1)
    risk = np.moveaxis(per_issue(run.risk), 1, -1)
    outcome = (median if opt.forecast == "median" else mean)[:, -1, :]
    return ModelResult(
        outcome=outcome,
        history=history,
        extra={
            "median": median,
            "mean": mean,
            "risk": risk,
            "moves": _moves_frame(run, batch, n_i),
            "options": opt,
        },
    )
