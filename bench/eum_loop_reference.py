"""Plain-Python reference of the expected-utility model (Scholz-code rules), one issue at a time.

A deliberately literal transcription of the rules in ``docs/eum.md`` (Scholz, Calbert & Smith 2011
reconstruction, default profile: all-pairs probability constant, voters' own exponents, the mover's
exponent for b, Q = 1, no capitulation, lowest-weighted-average compromise, simultaneous moves): nested
loops over actors, no NumPy. It is the peer that ``bench/bench_eum.py`` times against parley's batched
kernels and checks agreement with.
"""

from __future__ import annotations


def _median(x: list[float], w: list[float], span: float) -> float:
    inc = min(x)
    for p in sorted(set(x)):
        vote = sum(
            wk * (abs(xk - inc) / span - abs(xk - p) / span) for xk, wk in zip(x, w, strict=True)
        )
        if vote > 0:
            inc = p
    return inc


def _probabilities(
    x: list[float], w: list[float], rho: list[float], span: float
) -> list[list[float]]:
    n = len(x)
    num = [[0.0] * n for _ in range(n)]
    z = 0.0
    for k in range(n):
        dk = [(abs(x[k] - x[m]) / span) ** rho[k] for m in range(n)]
        for a in range(n):
            for b in range(n):
                v = w[k] * (dk[b] - dk[a])
                z += abs(v)
                if v > 0:
                    num[a][b] += v
    return [[0.0 if x[a] == x[b] else num[a][b] / z for b in range(n)] for a in range(n)]


def _eu(
    i: int, j: int, x: list[float], s: list[float], p: list[list[float]], r: float, span: float
) -> float:
    dij = abs(x[i] - x[j]) / span
    u_s = 2 - 4 * (0.5 - 0.5 * dij) ** r
    u_f = 2 - 4 * (0.5 + 0.5 * dij) ** r
    u_q = 2 - 4 * 0.5**r
    return s[j] * (p[i][j] * u_s + (1 - p[i][j]) * u_f) + (1 - s[j]) * u_s - u_q


def reference_eum(
    capability: list[float], position: list[float], salience: list[float], rounds: int
) -> tuple[list[list[float]], list[float], list[float]]:
    """Positions per state, median and weighted mean per state (state 0 = input)."""
    n = len(position)
    x = list(position)
    w = [c * s for c, s in zip(capability, salience, strict=True)]
    span = (max(x) - min(x)) or 1.0
    states, medians, means = (
        [list(x)],
        [_median(x, w, span)],
        [sum(a * b for a, b in zip(w, x, strict=True)) / sum(w)],
    )
    for _ in range(rounds):
        p1 = _probabilities(x, w, [1.0] * n, span)
        danger = [
            sum(_eu(j, i, x, salience, p1, 1.0, span) for j in range(n) if j != i) for i in range(n)
        ]
        hi, lo = max(danger), min(danger)
        rel = [(2 * d - hi - lo) / (hi - lo) if hi > lo else 0.0 for d in danger]
        r = [(1 - q / 3) / (1 + q / 3) for q in rel]
        p2 = _probabilities(x, w, r, span)
        new = list(x)
        for i in range(n):
            best_conflict: tuple[float, float] | None = None
            best_comp: tuple[float, float] | None = None
            for j in range(n):
                if x[j] == x[i]:
                    continue
                a = _eu(i, j, x, salience, p2, r[i], span)
                b = _eu(j, i, x, salience, p2, r[i], span)
                if b > a > 0:
                    key = abs(x[j] - x[i])
                    if best_conflict is None or key < best_conflict[0]:
                        best_conflict = (key, x[j])
                elif a < 0 < b and b > abs(a):
                    key = (abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b))
                    if best_comp is None or key < best_comp[0]:
                        best_comp = (key, x[i] + (x[j] - x[i]) * abs(a / b))
            if best_conflict is not None:
                new[i] = best_conflict[1]
            elif best_comp is not None:
                new[i] = best_comp[1]
        x = new
        states.append(list(x))
        medians.append(_median(x, w, span))
        means.append(sum(a * b for a, b in zip(w, x, strict=True)) / sum(w))
    return states, medians, means
