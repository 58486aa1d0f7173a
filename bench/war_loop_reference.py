"""A plain per-run Python loop of the bargaining-while-fighting model (the benchmark's peer).

The same model as :func:`parley.war.engine.simulate` — every mechanism, in the same order within a
step — written the way one would without vectorisation: one run at a time, scalars and the
``math`` module, Python's ``random`` for the draws. It reads the same compiled
:class:`~parley.war.params.WarParams` (scalar parameters only) and returns the per-run outcomes
that the benchmark compares in distribution with parley's (the random streams differ, so the two
agree within Monte Carlo error, not draw by draw). The only shared pieces are data, not code paths:
the Gauss–Legendre / Gauss–Hermite nodes (tabulated once) and the fitted Weibull baseline and
hazard ratios of :mod:`parley.war.durability`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from parley.war import durability as dur
from parley.war.params import WarParams

DPM = 365.25 / 12.0
SHARP = 40.0


@dataclass
class LoopResult:
    outcome: list[int]
    settle_step: list[float]
    share: list[float]
    casualties: list[tuple[float, float]]
    final_area: list[float]
    held_5y: list[float]
    terms: list[list[float]]


def _f(x: object) -> float:
    return float(np.asarray(x, dtype=float))


def _s(x: object, i: int) -> float:
    return float(np.asarray(x, dtype=float)[i])


class _Quad:
    def __init__(self, nodes: int) -> None:
        xl, wl = np.polynomial.legendre.leggauss(nodes)
        xh, wh = np.polynomial.hermite.hermgauss(nodes)
        self.xl, self.wl = xl.tolist(), wl.tolist()
        self.xh, self.wh = xh.tolist(), (wh * np.exp(xh * xh)).tolist()

    def rule(self, a: float, b: float) -> tuple[list[float], list[float]]:
        m = a / (a + b)
        if a + b < SHARP:
            sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
            lo = min(max(m - 7 * sd, 1e-9), 1 - 1e-9)
            hi = min(max(m + 7 * sd, 1e-9), 1 - 1e-9)
            th = [lo + (hi - lo) * 0.5 * (x + 1) for x in self.xl]
            logd = [(a - 1) * math.log(t) + (b - 1) * math.log1p(-t) for t in th]
            base = self.wl
        else:
            mu = math.log(m) - math.log1p(-m)
            sdp = 1 / math.sqrt((a + b) * m * (1 - m))
            phis = [mu + math.sqrt(2) * sdp * x for x in self.xh]
            th = [1 / (1 + math.exp(-p)) for p in phis]
            logd = [-a * _softplus(-p) - b * _softplus(p) for p in phis]
            base = self.wh
        top = max(logd)
        w = [bw * math.exp(ld - top) for bw, ld in zip(base, logd, strict=True)]
        tot = sum(w)
        return th, [x / tot for x in w]


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _pwin(k: float, n: float, t: float) -> float:
    t = min(max(t, 1e-12), 1 - 1e-12)
    lr = math.log1p(-t) - math.log(t)
    if abs(lr) < 1e-6:
        return k / n
    if lr < 0:
        p = math.expm1(k * lr) / math.expm1(n * lr)
    else:
        p = math.exp((k - n) * lr) * math.expm1(-k * lr) / math.expm1(-n * lr)
    return min(max(p, 0.0), 1.0)


def _battles(k: float, n: float, t: float) -> float:
    den = 1 - 2 * t
    if abs(den) < 1e-4:
        return k * (n - k)
    return max((k - n * _pwin(k, n, t)) / den, 0.0)


def _expectations(q: _Quad, k: float, n: float, a: float, b: float) -> tuple[float, float]:
    """E[P_win] and E[D] under Beta(a, b) (Smith & Stam 2004)."""
    th, w = q.rule(a, b)
    ep = sum(wi * _pwin(k, n, t) for wi, t in zip(w, th, strict=True))
    ed = sum(wi * _battles(k, n, t) for wi, t in zip(w, th, strict=True))
    return ep, ed


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, prod = math.exp(-lam), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


def _contest(fa: float, fb: float, p: WarParams) -> float:
    m = _f(p.contest_m)
    if fa <= 0 and fb <= 0:
        return 0.5
    if fa <= 0:
        return 0.0
    if fb <= 0:
        return 1.0
    z = m * (math.log(fa) - math.log(fb))
    if p.contest_form == "logistic":
        z -= _f(p.contest_phi)
    return 0.5 * (1 + math.tanh(0.5 * z))


def _per_step(pm: float, months: float) -> float:
    return 1.0 if pm >= 1 else -math.expm1(math.log1p(-pm) * months)


def run_loop(p: WarParams, n_runs: int, seed: int) -> LoopResult:
    """Simulate ``n_runs`` wars one after another (see the module docstring)."""
    q = _Quad(p.quadrature_nodes)
    dt, h = p.step_days, p.horizon_steps
    months = dt / DPM
    forts = _f(p.forts)
    amin, amax = _f(p.area_min), _f(p.area_max)
    span = amax - amin
    fr = p.front
    n_sup = len(p.supporter_ids)
    sup_side = [int(x) for x in p.supporter_side]
    p_hl = [_per_step(_s(p.p_high_to_low, j), months) for j in range(n_sup)]
    p_lh = [_per_step(_s(p.p_low_to_high, j), months) for j in range(n_sup)]
    p_thr = _per_step(_f(p.threat_prob_per_month), months)
    w_, s_, d_ = _f(p.prevail), _f(p.submit), _f(p.disaster)
    resolve = (w_ - s_) / (w_ - d_) if p.threatener >= 0 else 0.0
    a_pp, b_pp = _f(fr.p_positional_to_manoeuvre), _f(fr.p_manoeuvre_to_positional)
    decay = max(1 - a_pp - b_pp, 0.0) ** dt
    stay_pos = (b_pp + a_pp * decay) / (a_pp + b_pp) if a_pp + b_pp > 0 else 1.0
    stay_man = (a_pp + b_pp * decay) / (a_pp + b_pp) if a_pp + b_pp > 0 else 1.0
    p_man0 = fr.metadata.get("p_manoeuvre_last")
    if p_man0 is None:
        p_man0 = a_pp / (a_pp + b_pp) if a_pp + b_pp > 0 else 0.0
    red = _f(p.red_line)
    model = dur.default_model()
    st = p.stakeholders
    res = LoopResult([], [], [], [], [], [], [])
    master = random.Random(seed)
    for _run in range(n_runs):
        rng = random.Random(master.getrandbits(64))
        active, outcome, settle, share = True, 0, math.nan, math.nan
        area = _f(p.initial_area)
        k_fort = round(forts * (area - amin) / span)
        if p.front_form == "forts":
            area = amin + span * k_fort / forts
        if p.initial_regime == "stationary":
            regime = 1 if rng.random() < p_man0 else 0
        else:
            regime = 1 if p.initial_regime == "manoeuvre" else 0
        force = [_s(p.force0, 0), _s(p.force0, 1)]
        f0 = list(force)
        al = [_s(p.belief_mean, i) * _s(p.belief_strength, i) for i in (0, 1)]
        be = [(1 - _s(p.belief_mean, i)) * _s(p.belief_strength, i) for i in (0, 1)]
        cas = [0.0, 0.0]
        s0 = [_s(p.support0, 0), _s(p.support0, 1)]
        sup = list(s0)
        punish = [1.0, 1.0]
        high = [_s(p.aid_start_high, j) > 0 for j in range(n_sup)]
        ca = cb = _f(p.credibility_prior) / 2 + 1e-9
        cum, threat_state, opened_before = 0.0, 0.0, False
        aid_force = [0.0, 0.0]
        for t in range(h):
            if not active:
                break
            # 1 negotiation
            ok = t >= _f(p.negotiate_from_step)
            ab, sb = _f(p.negotiate_area_below), _f(p.negotiate_support_below)
            ok = ok and (math.isnan(ab) or area < ab)
            ok = ok and (math.isnan(sb) or sup[0] < sb or sup[1] < sb)
            if ok and not opened_before and p.initiator >= 0:
                sig = _f(p.signal_strength)
                if p.initiator == 1:
                    al[0] += sig
                else:
                    be[1] += sig
            opened_before = opened_before or ok
            u_rec = rng.random()
            if ok:
                k_now = forts * (area - amin) / span
                ms = [0.0, 0.0]
                for i in (0, 1):
                    drop = min(max((s0[i] - sup[i]) / s0[i] if s0[i] > 0 else 0.0, 0.0), 1.0)
                    cm = 1 + _s(p.support_cost_gain, i) * drop
                    cost = _s(p.cost_per_month, i) * cm * _f(p.battle_days) / DPM
                    ep, ed = _expectations(q, k_now, forts, al[i], be[i])
                    w = ep - cost * ed if i == 0 else 1 - ep - cost * ed
                    ref, pun = _s(p.reference_share, i), _s(p.punishment, i) * punish[i]
                    ms[i] = w if w >= ref else min(ref, w + pun)
                if p.initiator >= 0:
                    ms[p.initiator] -= _f(p.concession)
                qg = [_s(p.guarantee, i) * _s(p.guarantee_credibility, i) for i in (0, 1)]
                lo, hi = ms[0] - qg[1], 1 - ms[1] + qg[0]
                lam = _f(p.power_A)
                if p.proposer == "alternating":
                    lam = 1.0 if t % 2 == 0 else 0.0
                elif p.proposer == "random":
                    lam = 1.0 if u_rec < lam else 0.0
                if lo <= hi:
                    share = min(max(lo + lam * (hi - lo), 0.0), 1.0)
                    settle, outcome, active = float(t), 1, False
                    break
            # 2 aid, attrition, front, learning
            theta = _contest(force[0], force[1], p)
            cred = ca / (ca + cb)
            aid_force = [0.0, 0.0]
            fac = _f(p.aid_multiplier)
            if _f(p.aid_conditional) > 0 and not opened_before:
                fac = 1.0
            cut = _f(p.cut_aid_on_threat) * threat_state * _f(p.threat_aid_cut) * cred
            fac *= min(max(1 - cut, 0.0), 1.0)
            for j in range(n_sup):
                u = rng.random()
                to_low = (
                    p_hl[j] + _s(p.aid_escalation_sensitivity, j) * cred * threat_state * months
                )
                high[j] = (u >= to_low) if high[j] else (u < p_lh[j])
                level = _s(p.aid_high, j) if high[j] else _s(p.aid_low, j)
                aid_force[sup_side[j]] += level * fac * _s(p.force_per_bn, j) / 365.25
            force, lost = _rk4(force, p, aid_force, dt)
            cas = [cas[i] + lost[i] * _s(p.casualties_per_unit, i) for i in (0, 1)]
            old = area
            if p.front_form == "forts":
                a_won = rng.random() < theta
                k_fort += 1 if a_won else -1
                area = amin + span * k_fort / forts
            else:
                area, regime = _front(rng, area, regime, force, fr, dt, stay_pos, stay_man)
                a_won = area > old
            if _f(p.learning) > 0:
                for i in (0, 1):
                    if a_won:
                        al[i] += 1
                    else:
                        be[i] += 1
            # 3 politics
            for i in (0, 1):
                sup[i] = min(max(s0[i] - _s(p.support_slope, i) * math.log10(1 + cas[i]), 0.0), 1.0)
                below = sup[i] < _s(p.replacement_threshold, i)
                pr = -math.expm1(-_s(p.replacement_hazard, i) * dt / DPM) if below else 0.0
                if rng.random() < pr:
                    punish[i] = 0.0
            # 4 escalation
            u_thr, u_cat = rng.random(), rng.random()
            threat = False
            if p.threatener >= 0:
                losing = theta < 0.5 if p.threatener == 0 else theta > 0.5
                threat = losing and cum <= resolve and u_thr < p_thr
            threat_state = 1.0 if threat else 0.0
            inten = abs(area - old) / (_f(p.intensity_scale) * dt / 7)
            red_lost = (not math.isnan(red)) and area < red
            haz = _f(p.rho0_per_month) * math.exp(
                _f(p.gamma_intensity) * inten
                + _f(p.gamma_red_line) * red_lost
                + _f(p.gamma_threat) * threat
            )
            pc = -math.expm1(-haz * months)
            cum = 1 - (1 - cum) * (1 - pc)
            if u_cat < pc:
                outcome, active = 4, False
                break
            if threat:
                cb += 1
            # 5 collapse
            if p.front_form == "forts":
                edge_a, edge_b = k_fort <= 0, k_fort >= forts
            else:
                edge_a, edge_b = area <= amin, area >= amax
            if force[0] < _s(p.collapse_fraction, 0) * f0[0] or edge_a:
                outcome, active = 2, False
            elif force[1] < _s(p.collapse_fraction, 1) * f0[1] or edge_b:
                outcome, active = 3, False
        res.outcome.append(outcome)
        res.settle_step.append(settle)
        res.share.append(share)
        res.casualties.append((cas[0], cas[1]))
        res.final_area.append(area)
        if outcome == 1:
            res.terms.append(_terms(st, share))
            res.held_5y.append(_held(p, model, rng.random(), force, aid_force, cas, settle))
        else:
            res.terms.append([math.nan] * len(st.issue_ids))
            res.held_5y.append(math.nan)
    return res


def _rk4(
    force: list[float], p: WarParams, aid: list[float], dt: float
) -> tuple[list[float], list[float]]:
    kk = [_s(p.effectiveness, 0), _s(p.effectiveness, 1)]
    rr = [_s(p.replenishment, i) + aid[i] for i in (0, 1)]
    b = _f(p.attrition_beta)
    sub = p.attrition_substeps
    hh = dt / sub

    def rate(fa: float, fb: float) -> tuple[float, float]:
        fa, fb = max(fa, 0.0), max(fb, 0.0)
        return kk[1] * fb**b * fa ** (1 - b), kk[0] * fa**b * fb ** (1 - b)

    fa, fb = force
    la = lb = 0.0
    for _ in range(sub):
        a1, b1 = rate(fa, fb)
        a2, b2 = rate(fa + 0.5 * hh * (rr[0] - a1), fb + 0.5 * hh * (rr[1] - b1))
        a3, b3 = rate(fa + 0.5 * hh * (rr[0] - a2), fb + 0.5 * hh * (rr[1] - b2))
        a4, b4 = rate(fa + hh * (rr[0] - a3), fb + hh * (rr[1] - b3))
        ga, gb = fa + hh * rr[0], fb + hh * rr[1]
        na = max(ga - hh * (a1 + 2 * a2 + 2 * a3 + a4) / 6, 0.0)
        nb = max(gb - hh * (b1 + 2 * b2 + 2 * b3 + b4) / 6, 0.0)
        la, lb = la + ga - na, lb + gb - nb
        fa, fb = na, nb
    return [fa, fb], [la, lb]


def _front(
    rng: random.Random,
    area: float,
    regime: int,
    force: list[float],
    fr: object,
    dt: float,
    stay_pos: float,
    stay_man: float,
) -> tuple[float, int]:
    g = fr.__dict__ if hasattr(fr, "__dict__") else {}
    man = regime == 1
    rho = math.log(max(force[0], 1e-12)) - math.log(max(force[1], 1e-12))

    def v(name: str) -> float:
        return float(g[name])

    tag = "manoeuvre" if man else "positional"
    drift = v(f"drift_{tag}") + v("kappa") * math.tanh(rho / v("drift_scale"))
    sigma = v(f"sigma_{tag}") + v("sigma_force") * abs(rho)
    rate = v(f"jump_rate_{tag}") * math.exp(v("eta") * abs(rho))
    z = rng.gauss(0.0, 1.0)
    nj = _poisson(rng, rate * dt)
    z2 = rng.gauss(0.0, 1.0)
    new = (
        area
        + drift * dt
        + sigma * math.sqrt(dt) * z
        + nj * v(f"jump_mean_{tag}")
        + math.sqrt(nj) * v(f"jump_sd_{tag}") * z2
    )
    new = min(max(new, v("area_min")), v("area_max"))
    u = rng.random()
    if man:
        regime = 1 if u < stay_man else 0
    else:
        regime = 0 if u < stay_pos else 1
    return new, regime


def _terms(st: object, x: float) -> list[float]:
    """Compromise model (Achen 2006) with the belligerents' capabilities set to x·C, (1−x)·C."""
    pos, sal = st.position, st.salience  # type: ignore[attr-defined]
    cap = [float(c) for c in st.capability]  # type: ignore[attr-defined]
    ia, ib = st.index_A, st.index_B  # type: ignore[attr-defined]
    tot = cap[ia] + cap[ib]
    cap[ia], cap[ib] = x * tot, (1 - x) * tot
    out = []
    for k in range(pos.shape[1]):
        num = den = 0.0
        for a in range(pos.shape[0]):
            pk, sk = float(pos[a, k]), float(sal[a, k])
            if math.isnan(pk) or math.isnan(sk):
                continue
            w = cap[a] * sk
            if w > 0:
                num += w * pk
                den += w
        out.append(num / den if den > 0 else math.nan)
    return out


def _held(
    p: WarParams,
    model: dur.DurabilityModel,
    u: float,
    force: list[float],
    aid_force: list[float],
    cas: list[float],
    settle: float,
) -> float:
    """Held for 5 years: Powell trigger (certain renewal) or the Weibull renewal probability."""
    mon = _f(p.powell_horizon_months)
    days = mon * DPM
    rep = [_s(p.replenishment, i) + aid_force[i] for i in (0, 1)]
    th = _contest(force[0], force[1], p)
    th2 = _contest(force[0] + rep[0] * days, force[1] + rep[1] * days, p)
    c = [_s(p.cost_per_month, i) * mon for i in (0, 1)]
    qg = [_s(p.guarantee, i) * _s(p.guarantee_credibility, i) for i in (0, 1)]
    delta = _f(p.discount_per_month) ** mon
    a_fights = delta * (1 - th2) - (1 - th) > c[0] + qg[1] + delta * c[1]
    b_fights = delta * th2 - th > c[1] + qg[0] + delta * c[0]
    mult = _f(p.trigger_multiplier)
    trig = a_fights or b_fights
    if trig and math.isinf(mult):
        return 0.0
    ref = model.reference[p.agreement]
    deaths = (cas[0] + cas[1]) / 3
    war_years = (settle + 1) * p.step_days / 365.25
    z = {
        "comprehensive": _f(p.comprehensive),
        "peacekeepers": _f(p.peacekeepers),
        "interstate": _f(p.interstate),
        "log_battle_deaths": math.log(max(deaths, 1.0)),
        "war_years": war_years,
    }
    lp = sum(model.log_hr[c] * (z[c] - ref[c]) for c in z)
    if trig:
        lp += math.log(mult)
    base = model.baselines[p.agreement]
    prob = -math.expm1(-((5.0 / base.scale) ** base.shape) * math.exp(lp))
    return 1.0 if u >= prob else 0.0
