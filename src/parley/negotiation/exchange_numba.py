"""Compiled (numba) selection loop of Stokman's exchange model, equal-gain variant.

The same rules as the NumPy path of :mod:`parley.negotiation.exchange` and
:mod:`parley.negotiation.exchange_kernels` (section numbers § refer to the specification summarised
in ``docs/exchange.md``): equal-gain exchanges with the outcome-crossing cap (§4–5), the selection
loop with the exact tie rule (§6.1, X1), the supply- and demand-side recalculation of the exchanges
a realised one affects, each recomputed once (§6.2–6.3). It works one exchange at a time in
compiled loops instead of array operations, which avoids NumPy's per-call cost on the ~1,300
sequential realisations of a COP21 round. Every floating-point operation is done in the order of
the NumPy path (including the actor-by-actor sum of recorded updates), so both give identical bits;
``tests/negotiation/test_exchange_numba.py`` checks that.

Random tie draws stay in Python (any object with a ``random()`` method): the compiled loop returns
when it needs a draw and is resumed with it, so the stream is consumed exactly as by the NumPy path.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from parley.negotiation.exchange_candidates import BoolArray, Candidates, FloatArray, IntArray
from parley.negotiation.exchange_kernels import BOUND_TOL, BOUNDARY_TOL, GAIN_TOL, MOVE_TOL, TIE_TOL

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _sign(v: float) -> float:
    if v > 0.0:
        return 1.0
    if v < 0.0:
        return -1.0
    return v  # 0.0 or NaN, as np.sign


@_jit
def _side_ok(
    c_x: Any, base_sum: Any, base_min: Any, base_max: Any, e: int, s: int, m: float
) -> bool:
    size = abs(m)
    end = c_x[e, s] + m
    ok = size > MOVE_TOL and size <= 100.0
    ok = ok and end >= -BOUND_TOL and end <= 100.0 + BOUND_TOL
    ok = ok and base_sum[e, s] + m <= 100.0 + BOUND_TOL
    return ok and ((m > 0.0 and base_min[e, s] > 0.0) or (m < 0.0 and base_max[e, s] < 0.0))


@_jit
def _seen(a: Any, e: int, side: int, outcome: Any, x_round: Any, kappa: Any) -> Any:
    """O0, O1 and O_upd of §5 (as ``exchange_kernels.seen_outcomes``)."""
    actor, supply, c_x, y, upd = a[0], a[1], a[3], a[11], a[17]
    k = supply[e, side]
    me = actor[e, side]
    acc = 0.0
    own_delta = 0.0
    for b in range(x_round.shape[0]):
        u = upd[e, side, b]
        d = kappa[b, k] * (u - x_round[b, k]) if not np.isnan(u) else 0.0
        acc += d
        if b == me:
            own_delta = d
    base = outcome[k] + (acc - own_delta)
    ka = kappa[me, k]
    x_a0 = x_round[me, k]
    o0 = base + ka * (c_x[e, side] - x_a0)
    o1 = base + ka * (y[e, side] - x_a0)
    own = upd[e, side, me]
    o_upd = base + ka * ((c_x[e, side] if np.isnan(own) else own) - x_a0)
    return o0, o1, o_upd


@_jit
def _compute(a: Any, e: int, outcome: Any, x_round: Any, kappa: Any, void: bool) -> None:
    """(Re)compute exchange ``e`` (§4–5), as ``exchange_kernels.compute_equal_gain``."""
    c_x, target, sal_sup, sal_dem, kap_sup = a[3], a[5], a[6], a[7], a[8]
    move, y, base_sum, base_min, base_max = a[10], a[11], a[12], a[13], a[14]
    gain_arr, gain_side, valid_arr = a[15], a[16], a[18]
    dist0 = abs(target[e, 0] - c_x[e, 0])
    dist1 = abs(target[e, 1] - c_x[e, 1])
    dir0 = _sign(target[e, 0] - c_x[e, 0])
    dir1 = _sign(target[e, 1] - c_x[e, 1])
    kap_i, kap_j = kap_sup[e, 0], kap_sup[e, 1]
    # 1-3: J moves all the way; I's move follows from equal gain.
    d_p = kap_j * dist1
    d_q = d_p * ((sal_sup[e, 1] + sal_dem[e, 0]) / (sal_dem[e, 1] + sal_sup[e, 0]))
    m_i = d_q / kap_i
    m_j = dist1
    if m_i > dist0:  # 4: I would overshoot: I moves all the way instead
        d_q = kap_i * dist0
        d_p = d_q * ((sal_sup[e, 0] + sal_dem[e, 1]) / (sal_dem[e, 0] + sal_sup[e, 1]))
        m_i = dist0
        m_j = d_p / kap_j
    mv0, mv1 = m_i * dir0, m_j * dir1
    move[e, 0], move[e, 1] = mv0, mv1
    y[e, 0], y[e, 1] = c_x[e, 0] + mv0, c_x[e, 1] + mv1
    gain = abs(sal_sup[e, 0] * d_q - sal_dem[e, 0] * d_p)
    ok = _side_ok(c_x, base_sum, base_min, base_max, e, 0, mv0)
    ok = ok and _side_ok(c_x, base_sum, base_min, base_max, e, 1, mv1) and gain >= GAIN_TOL
    for side in range(2):  # 8: outcome-crossing cap, first for I then for J
        if not ok:
            break
        o0, o1, o_upd = _seen(a, e, side, outcome, x_round, kappa)
        t = target[e, side]
        near = abs(t - o0) <= BOUNDARY_TOL
        cross = (t - o0) * (t - o1) < 0.0 and not near and abs(t - o1) > BOUNDARY_TOL
        if void and near:
            cross = True
        if not cross:
            continue
        other = 1 - side
        kap_a = kap_sup[e, side]
        m_a = abs(t - o_upd) / kap_a
        d_k = kap_a * m_a
        d_o = d_k * (
            (sal_sup[e, side] + sal_dem[e, other]) / (sal_dem[e, side] + sal_sup[e, other])
        )
        m_b = d_o / kap_sup[e, other]
        size0, size1 = (m_a, m_b) if side == 0 else (m_b, m_a)
        mv0 = size0 * _sign(target[e, 0] - c_x[e, 0])
        mv1 = size1 * _sign(target[e, 1] - c_x[e, 1])
        move[e, 0], move[e, 1] = mv0, mv1
        y[e, 0], y[e, 1] = c_x[e, 0] + mv0, c_x[e, 1] + mv1
        dp_c, dq_c = (d_o, d_k) if side == 0 else (d_k, d_o)
        gain = abs(sal_sup[e, 0] * dq_c - sal_dem[e, 0] * dp_c)
        ok = _side_ok(c_x, base_sum, base_min, base_max, e, 0, mv0)
        ok = ok and _side_ok(c_x, base_sum, base_min, base_max, e, 1, mv1)
        ok = ok and gain >= GAIN_TOL
    if not np.isfinite(gain):
        gain = 0.0
    gain_arr[e] = gain
    gain_side[e, 0] = gain
    gain_side[e, 1] = gain
    valid_arr[e] = ok and np.isfinite(move[e, 0]) and np.isfinite(move[e, 1])


@_jit
def compute_all(a: Any, outcome: Any, x_round: Any, kappa: Any, void: bool) -> None:
    """Compute every candidate exchange of a round (§4–5)."""
    for e in range(a[0].shape[0]):
        _compute(a, e, outcome, x_round, kappa, void)


@_jit
def _recalculate(
    a: Any, r: int, member: Any, index: Any, outcome: Any, x_round: Any, kappa: Any, void: bool
) -> None:
    """Recompute the member exchanges affected by the realised exchange ``r`` (§6.2–6.3), once
    each, as ``exchange_select.recalculate``."""
    actor, supply, demand, c_x, y, upd = a[0], a[1], a[2], a[3], a[11], a[17]
    move, base_sum, base_min, base_max = a[10], a[12], a[13], a[14]
    sup_order, sup_start, dem_order, dem_start = index
    n_issues = x_round.shape[1]
    touched = np.zeros(actor.shape[0], dtype=np.bool_)
    s_match = np.zeros((actor.shape[0], 2), dtype=np.bool_)
    for t in range(2):  # supply side: same actor and supply issue as a side of r
        key = actor[r, t] * n_issues + supply[r, t]
        for i in range(sup_start[key], sup_start[key + 1]):
            e, side = sup_order[i] // 2, sup_order[i] % 2
            if member[e]:
                c_x[e, side] = y[r, t]
                s_match[e, side] = True
                touched[e] = True
    for e in range(actor.shape[0]):
        if touched[e]:  # the matched side keeps its earlier computed move in its history
            for side in range(2):
                if s_match[e, side]:
                    cur = move[e, side]
                    base_sum[e, side] += cur
                    base_min[e, side] = min(base_min[e, side], cur)
                    base_max[e, side] = max(base_max[e, side], cur)
    for t in range(2):  # demand side: record where r's other side now stands
        key = actor[r, t] * n_issues + demand[r, t]
        mover, pos = actor[r, 1 - t], y[r, 1 - t]
        start = x_round[mover, demand[r, t]]
        for i in range(dem_start[key], dem_start[key + 1]):
            e, side = dem_order[i] // 2, dem_order[i] % 2
            if member[e]:
                old = upd[e, 1 - side, mover]
                if np.isnan(old):
                    upd[e, 1 - side, mover] = pos
                elif start <= old:
                    upd[e, 1 - side, mover] = min(old, pos)
                else:
                    upd[e, 1 - side, mover] = max(old, pos)
                touched[e] = True
    for e in range(actor.shape[0]):
        if touched[e]:
            _compute(a, e, outcome, x_round, kappa, void)


@_jit
def select(
    a: Any,
    index: Any,
    outcome: Any,
    x_round: Any,
    kappa: Any,
    void: bool,
    draw: bool,
    duplicates: bool,
    alive: Any,
    count: Any,
    order: Any,
    state: Any,
    u: float,
) -> int:
    """Run the selection loop (§6.1) until it ends (returns 0) or needs a tie draw (returns 1).

    ``alive[:state[0]]`` is the list (an exchange may be listed twice), ``count`` its multiplicity
    per exchange, ``order[:state[1]]`` the realised exchanges; ``state[2] == 1`` means ``u`` is the
    draw for the pending tie. Tie rule as ``exchange_select.pick``.
    """
    gain, valid = a[15], a[18]
    member = np.zeros(gain.shape[0], dtype=np.bool_)
    while state[0] > 0:
        n = state[0]
        top = -np.inf
        for i in range(n):
            top = max(top, gain[alive[i]])
        head = -1
        runner = -1
        for i in range(n):  # the two smallest distinct indices of the tie group
            e = alive[i]
            if gain[e] >= top - TIE_TOL:
                if head < 0:
                    head = e
                elif e < head:
                    runner = head
                    head = e
                elif e > head and (runner < 0 or e < runner):
                    runner = e
        r = head
        twin = -1
        if draw and runner >= 0:
            if state[2] == 0:
                return 1
            state[2] = 0
            if u >= 0.5:
                r = runner
            elif duplicates:
                twin = runner
        for i in range(n):  # remove one copy of r
            if alive[i] == r:
                alive[i] = alive[n - 1]
                break
        n -= 1
        count[r] -= 1
        if twin >= 0:
            alive[n] = twin
            n += 1
            count[twin] += 1
        state[0] = n
        if not valid[r]:
            continue
        order[state[1]] = r
        state[1] += 1
        m = 0  # drop r's twins (voided by recalculation against itself), find max multiplicity
        top_count = 0
        for i in range(n):
            if alive[i] != r:
                alive[m] = alive[i]
                m += 1
                top_count = max(top_count, count[alive[i]])
        count[r] = 0
        n = m
        for times in range(1, top_count + 1):  # an exchange listed k times is recalculated k times
            for i in range(gain.shape[0]):
                member[i] = False
            for i in range(n):
                e = alive[i]
                member[e] = count[e] >= times and valid[e]
            _recalculate(a, r, member, index, outcome, x_round, kappa, void)
        m = 0
        for i in range(n):
            e = alive[i]
            if valid[e]:
                alive[m] = e
                m += 1
            else:
                count[e] -= 1
        state[0] = m
    return 0


@_jit
def _pairs(present: Any, left: Any, right: Any, w_ok: Any) -> Any:
    n, m = present.shape
    total = 0
    for fill in range(2):  # first count, then fill
        if fill:
            out = np.empty((4, total), dtype=np.int64)
        k = 0
        for p in range(m - 1):
            if not w_ok[p]:
                continue
            for q in range(p + 1, m):
                if not w_ok[q]:
                    continue
                for g in range(2):  # A x D, then B x C
                    for a in range(n):
                        if not (present[a, p] and present[a, q]):
                            continue
                        if not (right[a, p] if g == 0 else left[a, p]) or not right[a, q]:
                            continue
                        for b in range(n):
                            if not (present[b, p] and present[b, q]):
                                continue
                            if not (left[b, p] if g == 0 else right[b, p]) or not left[b, q]:
                                continue
                            if fill:
                                out[0, k], out[1, k], out[2, k], out[3, k] = a, b, p, q
                            k += 1
        total = k
    return out


def candidate_pairs(
    present: BoolArray, left: BoolArray, right: BoolArray, w_ok: BoolArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Compiled twin of :func:`parley.negotiation.exchange_candidates.candidate_pairs` (same order)."""
    out = _pairs(present, left, right, w_ok)
    return out[0], out[1], out[2], out[3]


_FIELDS = (
    "actor", "supply", "demand", "x", "x0", "target", "sal_sup", "sal_dem", "kap_sup",
    "kap_dem_partner", "move", "y", "base_sum", "base_min", "base_max", "gain", "gain_side",
    "upd", "valid",
)  # fmt: skip


def run_selection(
    c: Candidates,
    outcome: FloatArray,
    x_round: FloatArray,
    kappa: FloatArray,
    boundary: str,
    tie_draws: bool,
    duplicates: bool,
    rng: Any,
) -> list[int]:
    """Compute the round's candidates and run the selection loop on ``c`` (modified in place).

    Returns the realised exchanges in order. ``tie_draws``: the random tie rule with ``rng``
    (``rng.random()`` per tie); otherwise ties go to the earliest candidate.
    """
    a = tuple(
        np.ascontiguousarray(getattr(c, f), dtype=np.int64 if f in _FIELDS[:3] else None)
        for f in _FIELDS
    )
    for f, arr in zip(_FIELDS, a, strict=True):
        setattr(c, f, arr)
    n_issues = x_round.shape[1]
    n_keys = x_round.shape[0] * n_issues
    flat_s = (a[0] * n_issues + a[1]).ravel()
    flat_d = (a[0] * n_issues + a[2]).ravel()
    index = tuple(
        arr
        for flat in (flat_s, flat_d)
        for arr in (
            np.argsort(flat, kind="stable").astype(np.int64),
            np.searchsorted(np.sort(flat, kind="stable"), np.arange(n_keys + 1)).astype(np.int64),
        )
    )
    xr = np.ascontiguousarray(x_round, dtype=np.float64)
    kap = np.ascontiguousarray(kappa, dtype=np.float64)
    out = np.ascontiguousarray(outcome, dtype=np.float64)
    void = boundary == "void"
    compute_all(a, out, xr, kap, void)
    e = c.size
    alive = np.empty(2 * e + 1, dtype=np.int64)
    alive[:e] = np.arange(e)
    count = np.ones(max(e, 1), dtype=np.int64)
    order = np.empty(max(e, 1), dtype=np.int64)
    state = np.array([e, 0, 0], dtype=np.int64)
    u = 0.0
    draw = bool(tie_draws and rng is not None)
    while select(a, index, out, xr, kap, void, draw, duplicates, alive, count, order, state, u):
        u = float(rng.random())
        state[2] = 1
    return [int(v) for v in order[: state[1]]]
