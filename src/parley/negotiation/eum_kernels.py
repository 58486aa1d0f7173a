"""Array kernels of Bueno de Mesquita's expected-utility (challenge) model.

Every function works on a stack of independent one-dimensional negotiations ("problems"): arrays
have a leading problem axis ``P`` and an actor axis ``N`` (padded actors are masked out by
``valid``). Pairwise quantities are ``(P, N, N)`` matrices indexed ``[challenger, target]`` (or
``[voter, position]`` for distances). The equations follow the reconstruction of Scholz, Calbert &
Smith (2011), "Unravelling Bueno de Mesquita's group decision model", J. Theoretical Politics
23(4):510-531, as restated in ``docs/eum.md``; section numbers (§) refer to that document's
specification.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

#: Elements per temporary block when building the ``(P, k, l, m)`` vote tensor.
VOTE_BLOCK = 2_000_000

#: Offer kinds stored in the ``kind`` arrays (0 = no move).
NO_MOVE, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
KIND_NAMES = {CONFLICT: "conflict", COMPROMISE: "compromise", CAPITULATION: "capitulation"}


def distances(x: FloatArray, span: FloatArray) -> FloatArray:
    """Normalised distances ``d[p, k, l] = |x_k - x_l| / R_p`` (§1)."""
    return np.abs(x[:, :, None] - x[:, None, :]) / span[:, None, None]


def vote_median(
    x: FloatArray, weight: FloatArray, valid: BoolArray, span: FloatArray
) -> FloatArray:
    """Median position by successive pairwise linear votes (§2).

    Positions are visited in ascending order; a position replaces the incumbent when the
    ``capability * salience``-weighted linear vote for it is strictly positive. In one dimension
    this is the weighted median with exact half-weight ties resolved to the lower position.
    ``weight`` must be zero for invalid actors. Returns NaN for problems without actors.
    """
    n_p, n_a = x.shape
    xf = np.where(valid, x, 0.0)
    order = np.argsort(np.where(valid, x, np.inf), axis=1, kind="stable")
    xs = np.take_along_axis(xf, order, axis=1)
    vs = np.take_along_axis(valid, order, axis=1)
    incumbent = xs[:, 0].copy()
    inv = 1.0 / span[:, None]
    for t in range(1, n_a):
        cand = xs[:, t]
        vote = weight * (np.abs(xf - incumbent[:, None]) * inv - np.abs(xf - cand[:, None]) * inv)
        better = vs[:, t] & (vote.sum(axis=1) > 0.0)
        incumbent = np.where(better, cand, incumbent)
    return np.where(valid.any(axis=1), incumbent, np.nan)


def weighted_mean(x: FloatArray, weight: FloatArray, valid: BoolArray) -> FloatArray:
    """Weighted mean position ``sum w x / sum w`` over valid actors (NaN if the weights sum to 0)."""
    w = np.where(valid, weight, 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (w * np.where(valid, x, 0.0)).sum(axis=1) / total, np.nan)


def position_groups(x: FloatArray, valid: BoolArray) -> tuple[FloatArray, IntArray]:
    """Distinct positions per problem: ``values`` ``(P, U)`` ascending and ``group`` ``(P, N)``.

    ``values[p, group[p, k]] == x[p, k]`` for every valid actor k; ``U`` is the largest number of
    distinct positions in any problem (shorter rows are padded with their first value; invalid
    actors get group 0). Votes depend on positions only, so pairwise vote sums are computed once per
    pair of distinct positions.
    """
    n_p = x.shape[0]
    key = np.where(valid, x, np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    xs = np.take_along_axis(key, order, axis=1)
    new = np.isfinite(xs)
    new[:, 1:] &= xs[:, 1:] != xs[:, :-1]
    g_sorted = np.maximum(np.cumsum(new, axis=1) - 1, 0)
    group = np.empty_like(g_sorted)
    np.put_along_axis(group, order, g_sorted, axis=1)
    n_u = max(1, int(new.sum(axis=1).max(initial=0)))
    first = np.where(np.isfinite(xs[:, :1]), xs[:, :1], 0.0)
    values = np.repeat(first, n_u, axis=1)
    rows = np.broadcast_to(np.arange(n_p)[:, None], new.shape)
    values[rows[new], g_sorted[new]] = xs[new]
    return values, np.where(valid, group, 0).astype(np.int64)


def grouped_votes(
    x: FloatArray, valid: BoolArray, span: FloatArray, weight: FloatArray, rho: FloatArray
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Vote sums between distinct positions (§3).

    With ``v_k(a, b; rho) = w_k (d(x_k, b)^rho_k - d(x_k, a)^rho_k)``, ``w_k = c_k s_k`` (zero
    for padding actors), returns ``num[p, a, b] = sum_k max(0, v_k(a, b))`` and
    ``net[p, b] = sum_k w_k d(x_k, b)^rho_k`` over the distinct positions of
    :func:`position_groups`, and the actors' ``group`` index. The ``(P, k, U, U)`` tensor is built in
    blocks of voters to bound memory.
    """
    values, group = position_groups(x, valid)
    xv = np.where(valid, x, 0.0)
    powered = (np.abs(xv[:, :, None] - values[:, None, :]) / span[:, None, None]) ** rho[:, :, None]
    n_p, n_a, n_u = powered.shape
    num = np.zeros((n_p, n_u, n_u))
    block = max(1, VOTE_BLOCK // max(1, n_p * n_u * n_u))
    for k0 in range(0, n_a, block):
        k1 = min(n_a, k0 + block)
        diff = powered[:, k0:k1, None, :] - powered[:, k0:k1, :, None]
        np.maximum(diff, 0.0, out=diff)
        num += np.einsum("pk,pkab->pab", weight[:, k0:k1], diff, optimize=False)
    net = np.einsum("pk,pkb->pb", weight, powered)
    return num, net, group


def supporter_votes(
    x: FloatArray, valid: BoolArray, span: FloatArray, weight: FloatArray, rho: FloatArray
) -> FloatArray:
    """``num[p, l, m] = sum_k max(0, v_k(x_l, x_m; rho_k))`` between actors (§3), zero for padding."""
    num_u, _, group = grouped_votes(x, valid, span, weight, rho)
    rows = np.arange(x.shape[0])[:, None, None]
    pair = valid[:, :, None] & valid[:, None, :]
    return np.where(pair, num_u[rows, group[:, :, None], group[:, None, :]], 0.0)


def win_probability(
    x: FloatArray,
    valid: BoolArray,
    span: FloatArray,
    weight: FloatArray,
    rho: FloatArray,
    *,
    denominator: str,
    numerator: str,
) -> FloatArray:
    """Probability ``P[p, l, m]`` that actor l's position prevails over actor m's (§3).

    ``denominator="all-pairs"`` (Scholz code): one constant ``Z = sum_k sum_l sum_m |v_k|`` over all
    ordered pairs of actors; ``"pairwise"`` (paper eq. 31): ``Z = sum_k |v_k(x_l, x_m)|``.
    ``numerator="supporters"``: ``sum_k max(0, v_k)``; ``"net"``: ``max(0, sum_k v_k)``.
    ``P = 0`` where the two positions are equal.
    """
    num_u, net_u, group = grouped_votes(x, valid, span, weight, rho)
    n_p, n_u = net_u.shape
    count = np.zeros((n_p, n_u))
    np.add.at(count, (np.repeat(np.arange(n_p), x.shape[1]), group.ravel()), valid.ravel())
    if numerator == "net":
        top = np.maximum(0.0, net_u[:, None, :] - net_u[:, :, None])
    else:
        top = num_u
    if denominator == "pairwise":
        z = num_u + np.swapaxes(num_u, 1, 2)
    else:  # all ordered pairs of actors: each pair of groups counts count_a * count_b times
        total = np.einsum("pa,pab,pb->p", count, num_u, count)
        z = np.broadcast_to(2.0 * total[:, None, None], num_u.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        prob_u = np.where(z > 0, top / np.where(z > 0, z, 1.0), 0.0)
    idx = np.arange(n_u)
    prob_u[:, idx, idx] = 0.0  # equal positions
    rows = np.arange(n_p)[:, None, None]
    pair = valid[:, :, None] & valid[:, None, :]
    return np.where(pair, prob_u[rows, group[:, :, None], group[:, None, :]], 0.0)


def expected_utility(
    dist: FloatArray,
    dist_mu: FloatArray,
    salience: FloatArray,
    prob: FloatArray,
    exponent: FloatArray,
    q: float,
    better: FloatArray | None,
) -> FloatArray:
    """Expected utility ``E[p, i, j]`` of challenger i challenging target j (§4-5).

    ``E = s_j [P U_s + (1-P) U_f] + (1-s_j) U_s - Q U_q - (1-Q) [T U_b + (1-T) U_w]`` with the
    utilities ``U = 2 - 4 (1/2 -+ ...)^r`` evaluated with ``exponent`` (broadcastable to
    ``(P, N, N)``: the evaluator's risk exponent per dyad). ``dist_mu`` is ``d(x_i, mu)`` of the
    challenger, ``better`` the T matrix (ignored when ``q == 1``).
    """
    half = 0.5 * dist
    linear = bool(np.all(exponent == 1.0))

    def power(base: FloatArray) -> FloatArray:
        return base if linear else np.asarray(base**exponent, dtype=np.float64)

    u_s = 2.0 - 4.0 * power(np.maximum(0.5 - half, 0.0))
    u_f = 2.0 - 4.0 * power(0.5 + half)
    u_q = 2.0 - 4.0 * 0.5**exponent
    s = salience[:, None, :]
    eu = s * (prob * u_s + (1.0 - prob) * u_f) + (1.0 - s) * u_s - q * u_q
    if q != 1.0:
        spread = 0.25 * (dist_mu[:, :, None] + dist)
        u_b = 2.0 - 4.0 * power(np.maximum(0.5 - spread, 0.0))
        u_w = 2.0 - 4.0 * power(0.5 + spread)
        t = np.ones_like(dist) if better is None else better
        eu = eu - (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    return np.asarray(eu, dtype=np.float64)


def danger(eu_against: FloatArray, valid: BoolArray) -> FloatArray:
    """Danger ``D_i = sum_{j != i} E(j -> i)`` (§6.2; the paper's security level, larger = less secure).

    ``eu_against[p, j, i]`` is E(j -> i); only valid actors j != i count.
    """
    n_a = valid.shape[1]
    mask = valid[:, :, None] & valid[:, None, :] & ~np.eye(n_a, dtype=bool)[None]
    return np.asarray(np.where(mask, eu_against, 0.0).sum(axis=1), dtype=np.float64)


def risk_exponents(danger_i: FloatArray, valid: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Relative danger ``R_i`` in [-1, 1] and risk exponent ``r_i`` in [0.5, 2] (§6.3-6.4).

    ``R_i = (2 D_i - max D - min D) / (max D - min D)`` over the valid actors (0 if all dangers are
    equal) and ``r_i = (1 - R_i/3) / (1 + R_i/3)``: the most endangered actor gets 0.5, the
    safest 2.
    """
    hi = np.where(valid, danger_i, -np.inf).max(axis=1, initial=-np.inf)[:, None]
    lo = np.where(valid, danger_i, np.inf).min(axis=1, initial=np.inf)[:, None]
    spread = hi - lo
    ok = np.isfinite(spread) & (spread > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(ok & valid, (2.0 * danger_i - hi - lo) / np.where(ok, spread, 1.0), 0.0)
    r = (1.0 - rel / 3.0) / (1.0 + rel / 3.0)
    return np.asarray(rel, dtype=np.float64), np.asarray(r, dtype=np.float64)


def choose_offers(
    x: FloatArray,
    a: FloatArray,
    b: FloatArray,
    valid: BoolArray,
    *,
    capitulation: bool,
    choice: str,
) -> tuple[FloatArray, IntArray, IntArray]:
    """Each actor's accepted offer for this round (§7-8).

    ``a[p, i, j] = E_i(i -> j)`` and ``b[p, i, j]`` = i's estimate of ``E(j -> i)``. Candidate moves
    of mover i toward proposer j: conflict lost (``b > a > 0``, move to ``x_j``), compromise
    (``a < 0 < b``, ``b > |a|``, move ``|a/b|`` of the way), capitulation (``a < 0 < b``,
    ``b < |a|``, move to ``x_j``; only if ``capitulation``). ``choice`` picks one offer:

    * ``"lowest-average"`` (Scholz code): nearest conflict, else the compromise with the lowest
      weighted average ``(|a| x_i + |b| x_j) / (|a| + |b|)``, else the nearest capitulation;
    * ``"least-move-compromise"``: as above but the compromise that moves i least;
    * ``"largest-b"``: as above but the compromise whose proposer has the largest ``b``;
    * ``"least-move"``: the smallest move over all offer kinds.

    Ties go to the first proposer in input order. Returns ``(new_x, kind, proposer)`` with kind
    0 and proposer -1 where i does not move.
    """
    n_p, n_a = x.shape
    xi, xj = x[:, :, None], x[:, None, :]
    dyad = valid[:, :, None] & valid[:, None, :] & (xi != xj)
    conflict = dyad & (b > a) & (a > 0)
    give = dyad & (a < 0) & (b > 0)
    compromise = give & (b > -a)
    capit = give & (b < -a) if capitulation else np.zeros_like(give)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(a / np.where(b != 0, b, 1.0))
        comp_x = xi + (xj - xi) * ratio
        average = (np.abs(a) * xi + np.abs(b) * xj) / (np.abs(a) + np.abs(b))
    gap = np.broadcast_to(np.abs(xj - xi), a.shape)
    inf = np.inf
    if choice == "least-move":
        move = np.where(compromise, np.abs(comp_x - xi), gap)
        key = np.where(conflict | compromise | capit, move, inf)
        j = np.argmin(key, axis=2)
        has = np.isfinite(np.take_along_axis(key, j[:, :, None], 2)[:, :, 0])
        take = lambda m: np.take_along_axis(m, j[:, :, None], 2)[:, :, 0]  # noqa: E731
        kind = np.where(
            take(conflict), CONFLICT, np.where(take(compromise), COMPROMISE, CAPITULATION)
        )
        kind = np.where(has, kind, NO_MOVE)
        new = np.where(kind == COMPROMISE, take(comp_x), take(np.broadcast_to(xj, a.shape)))
    else:
        if choice == "lowest-average":
            comp_key = average
        elif choice == "least-move-compromise":
            comp_key = np.abs(comp_x - xi)
        elif choice == "largest-b":
            comp_key = -b
        else:
            raise ValueError(f"unknown offer choice '{choice}'")
        kind = np.full((n_p, n_a), NO_MOVE, dtype=np.int64)
        j = np.full((n_p, n_a), -1, dtype=np.int64)
        new = x.copy()
        for code, mask, key, target in (
            (CAPITULATION, capit, gap, xj),
            (COMPROMISE, compromise, comp_key, comp_x),
            (CONFLICT, conflict, gap, xj),
        ):
            keyed = np.where(mask, key, inf)
            jj = np.argmin(keyed, axis=2)
            hit = mask.any(axis=2)
            kind = np.where(hit, code, kind)
            j = np.where(hit, jj, j)
            pos = np.take_along_axis(np.broadcast_to(target, a.shape), jj[:, :, None], 2)[:, :, 0]
            new = np.where(hit, pos, new)
    kind = np.where(valid, kind, NO_MOVE).astype(np.int64)
    j = np.where(kind != NO_MOVE, j, -1).astype(np.int64)
    new = np.where(kind != NO_MOVE, new, x)
    return np.asarray(new, dtype=np.float64), kind, j
