"""A straightforward per-exchange Python implementation of the equal-gain exchange model.

Written directly from parley's specification (docs/exchange.md), one object per exchange with
plain lists for move histories and dicts for recorded updates, the way the Decide reference code is
organised. It is the peer of ``bench_exchange.py`` and a cross-check of the array kernels.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

MOVE_TOL = 1e-10
GAIN_TOL = 1e-10
BOUNDARY_TOL = 1e-9
TIE_TOL = 1e-12
SIDE_TOL = 1e-9


@dataclass
class Side:
    actor: int
    supply: int
    demand: int
    x: float
    x0: float
    target: float
    moves: list[float] = field(default_factory=list)
    y: float = 0.0
    m: float = 0.0


@dataclass
class Exchange:
    i: Side
    j: Side
    updates: dict[int, dict[int, float]] = field(default_factory=dict)
    gain: float = 0.0
    valid: bool = False
    index: int = 0


class Model:
    def __init__(
        self,
        x: list[list[float]],
        s: list[list[float]],
        c: list[list[float]],
        boundary: str = "nocap",
        duplicates: bool = False,
    ) -> None:
        self.x, self.s, self.c = x, s, c
        self.duplicates = duplicates
        self.n, self.m = len(x), len(x[0])
        self.boundary = boundary
        self.present = [[not math.isnan(x[a][d]) for d in range(self.m)] for a in range(self.n)]
        self.w = [
            [c[a][d] * s[a][d] if self.present[a][d] else 0.0 for d in range(self.m)]
            for a in range(self.n)
        ]
        self.W = [sum(self.w[a][d] for a in range(self.n)) for d in range(self.m)]
        self.O = [
            sum(self.w[a][d] * x[a][d] for a in range(self.n) if self.present[a][d]) / self.W[d]
            for d in range(self.m)
        ]

    def kap(self, a: int, d: int) -> float:
        return self.w[a][d] / self.W[d]

    def candidates(self) -> list[Exchange]:
        out: list[Exchange] = []
        left = [
            [self.present[a][d] and self.x[a][d] <= self.O[d] + SIDE_TOL for d in range(self.m)]
            for a in range(self.n)
        ]
        for p in range(self.m):
            for q in range(p + 1, self.m):
                on = [a for a in range(self.n) if self.present[a][p] and self.present[a][q]]
                ga = [a for a in on if not left[a][p] and not left[a][q]]
                gb = [a for a in on if left[a][p] and not left[a][q]]
                gc = [a for a in on if not left[a][p] and left[a][q]]
                gd = [a for a in on if left[a][p] and left[a][q]]
                for g1, g2 in ((ga, gd), (gb, gc)):
                    for a in g1:
                        for b in g2:
                            out.append(self.make(a, b, p, q))
                            out[-1].index = len(out) - 1
        return out

    def make(self, a: int, b: int, p: int, q: int) -> Exchange:
        s = self.s
        if s[a][p] / s[a][q] < s[b][p] / s[b][q]:
            i, j = b, a
        else:
            i, j = a, b
        x = self.x
        side_i = Side(i, q, p, x[i][q], x[i][q], x[j][q])
        side_j = Side(j, p, q, x[j][p], x[j][p], x[i][p])
        return Exchange(side_i, side_j)

    def seen(self, e: Exchange, side: Side, pos: float, own_last: bool) -> float:
        k, a = side.supply, side.actor
        o = self.O[k]
        upd = e.updates.get(k, {})
        if own_last:
            for actor, v in upd.items():
                if actor != a:
                    o += self.kap(actor, k) * (v - self.x[actor][k])
            return o + self.kap(a, k) * (pos - self.x[a][k])
        o += self.kap(a, k) * (pos - self.x[a][k])
        for actor, v in upd.items():
            if actor == a:
                o += self.kap(a, k) * (v - pos)
            else:
                o += self.kap(actor, k) * (v - self.x[actor][k])
        return o

    def side_ok(self, side: Side) -> bool:
        m = side.m
        if not MOVE_TOL < abs(m) <= 100.0:
            return False
        if not -1e-9 <= side.x + m <= 100.0 + 1e-9:
            return False
        if sum(side.moves) > 100.0 + 1e-9:
            return False
        return all(h > 0 for h in side.moves) or all(h < 0 for h in side.moves)

    def set_moves(self, e: Exchange, mi: float, mj: float, append: bool) -> None:
        for side, mag in ((e.i, mi), (e.j, mj)):
            side.m = math.copysign(mag, side.target - side.x) if side.target != side.x else 0.0
            side.y = side.x + side.m
            if append:
                side.moves.append(side.m)
            else:
                side.moves[-1] = side.m

    def calculate(self, e: Exchange) -> None:
        i, j = e.i, e.j
        s = self.s
        sip, siq = s[i.actor][i.demand], s[i.actor][i.supply]
        sjp, sjq = s[j.actor][j.supply], s[j.actor][j.demand]
        kiq, kjp = self.kap(i.actor, i.supply), self.kap(j.actor, j.supply)
        dp = kjp * abs(j.target - j.x)
        dq = dp * ((sjp + sip) / (sjq + siq))
        mi, mj = dq / kiq, abs(j.target - j.x)
        if mi > abs(i.target - i.x):
            mi = abs(i.target - i.x)
            dq = kiq * mi
            dp = dq * ((siq + sjq) / (sip + sjp))
            mj = dp / kjp
        self.set_moves(e, mi, mj, append=True)
        e.gain = abs(siq * dq - sip * dp)
        e.valid = self.side_ok(i) and self.side_ok(j) and e.gain >= GAIN_TOL
        if not e.valid:
            return
        for a_side, b_side in ((i, j), (j, i)):
            t = a_side.target
            o0 = self.seen(e, a_side, a_side.x, own_last=True)
            o1 = self.seen(e, a_side, a_side.y, own_last=True)
            near = abs(t - o0) <= BOUNDARY_TOL
            cross = (t - o0) * (t - o1) < 0 and not near and abs(t - o1) > BOUNDARY_TOL
            if self.boundary == "void" and near:
                cross = True
            if not cross:
                continue
            k_a = self.kap(a_side.actor, a_side.supply)
            o_upd = self.seen(e, a_side, a_side.x, own_last=False)
            ma = abs(t - o_upd) / k_a
            sak, sbk = s[a_side.actor][a_side.supply], s[b_side.actor][a_side.supply]
            sao, sbo = s[a_side.actor][a_side.demand], s[b_side.actor][b_side.supply]
            dk = k_a * ma
            do = dk * ((sak + sbk) / (sao + sbo))
            mb = do / self.kap(b_side.actor, b_side.supply)
            if a_side is i:
                self.set_moves(e, ma, mb, append=False)
                dq, dp = dk, do
            else:
                self.set_moves(e, mb, ma, append=False)
                dp, dq = dk, do
            e.gain = abs(siq * dq - sip * dp)
        e.valid = self.side_ok(i) and self.side_ok(j) and e.gain >= GAIN_TOL

    def recalculate(self, e: Exchange, r: Exchange) -> None:
        matched = False
        for side in (e.i, e.j):
            for y in (r.i, r.j):
                if side.actor == y.actor and side.supply == y.supply:
                    side.x = y.y
                    side.moves.append(y.m)
                    matched = True
        if matched:
            e.i.moves.pop()
            e.j.moves.pop()
        demand = False
        for ry, other in ((r.j, r.i), (r.i, r.j)):
            for side in (e.i, e.j):
                if side.actor == ry.actor and side.demand == ry.demand:
                    k = ry.demand
                    upd = e.updates.setdefault(k, {})
                    old = upd.get(other.actor)
                    new = other.y
                    if old is None:
                        upd[other.actor] = new
                    elif self.x[other.actor][k] <= old:
                        upd[other.actor] = min(old, new)
                    else:
                        upd[other.actor] = max(old, new)
                    demand = True
        if demand and not matched:
            e.i.moves.pop()
            e.j.moves.pop()
        if matched or demand:  # recomputed once, after both bookkeeping steps
            self.calculate(e)

    def pick(self, todo: list[Exchange], rng: random.Random | None) -> Exchange:
        """Remove and return the exchange to realise: the tie group is every exchange within
        TIE_TOL of the highest gain, ordered by candidate index; the first is taken, or with a
        random stream the second if u >= 0.5 (else the second is listed once more)."""
        top = max(e.gain for e in todo)
        tied = sorted({e.index: e for e in todo if e.gain >= top - TIE_TOL}.items())
        r = tied[0][1]
        if rng is not None and len(tied) > 1:
            if rng.random() >= 0.5:
                r = tied[1][1]
            elif self.duplicates:
                todo.append(tied[1][1])
        del todo[next(k for k, e in enumerate(todo) if e is r)]
        return r

    def run_round(self, rng: random.Random | None) -> tuple[list[list[float]], list[Exchange]]:
        todo = self.candidates()
        for e in todo:
            self.calculate(e)
        done: list[Exchange] = []
        while todo:
            r = self.pick(todo, rng)
            if not r.valid:
                continue
            done.append(r)
            todo = [e for e in todo if e is not r]  # a listed twin of r is void (spec 6.1)
            for e in todo:
                if e.valid:
                    self.recalculate(e, r)
            todo = [e for e in todo if e.valid]
        new = [row[:] for row in self.x]
        for r in done:
            for side in (r.i, r.j):
                s = self.s[side.actor][side.supply]
                new[side.actor][side.supply] = side.x0 + (0.1 + 0.4 * (1 - s)) * (side.y - side.x0)
        return new, done


def run(
    x: list[list[float]],
    s: list[list[float]],
    c: list[list[float]],
    rounds: int,
    seed: int | None = None,
    boundary: str = "nocap",
    duplicates: bool = False,
) -> tuple[list[list[list[float]]], list[list[Exchange]]]:
    """Run ``rounds`` rounds; returns the preference positions per state and the realised exchanges."""
    rng = random.Random(seed) if seed is not None else None
    states = [x]
    realised = []
    for _ in range(rounds):
        model = Model(states[-1], s, c, boundary, duplicates)
        new, done = model.run_round(rng)
        states.append(new)
        realised.append(done)
    return states, realised
