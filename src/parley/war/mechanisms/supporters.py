"""Mechanism "supporters": each donor's aid regime, common shocks, substitution and fatigue.

Aid of each supporter follows a two-state Markov chain (high / low; war-model §6, calibrate on
the Kiel series), extended in three ways (issue 10, B7):

- **common political shock**: in each run and step, with probability ρ
  (``war.aid_dynamics.common_shock``) a shock common to all donors decides every donor's switch:
  ``u_i = c`` if ``b < ρ`` else ``v_i``, with ``c``, ``b``, ``v_i`` independent uniforms (a
  mixture, or "common shock", copula; Marshall & Olkin 1967 for the common-shock construction).
  Each ``u_i`` stays uniform, so every donor's own switching law is unchanged, and two donors
  switch together with probability ``ρ·p + (1−ρ)·p²``. ρ = 0: independent donors; ρ = 1: all
  switch together (a shared political cycle; an assumption);
- **fatigue**: the monthly high → low probability rises linearly with the war's age,
  ``p(t) = p0·(1 + f·years)`` (``supporters.*.fatigue_per_year``);
- **partial substitution**: donors still in the high regime make up a share ``s`` of the
  shortfall of the donors of the same side that cut (``war.aid_dynamics.substitution``), in
  proportion to their own aid.

Donors with interests (:mod:`parley.war.mechanisms.interests`): a donor's net value of
continuing aid (its stake times the share of the region its side holds, less the cost of aid
and of escalation) moves both monthly switching probabilities through a logit link; off by
default.

Threats act on aid (Powell 2015; war-model §6): a credible active threat adds
``sensitivity·credibility`` per month to the high → low probability, and the policy may cut
aid on threat (:func:`parley.war.policies.aid_factor`). Aid converts to force at
``force_per_bn`` units per EUR bn (an uncertain rate; vary it in the experiment).
Streams: ``aid`` (one uniform per donor) and ``supporters`` (two uniforms per run).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.war.mechanisms.interests import switching
from parley.war.params import WarParams
from parley.war.policies import aid_factor
from parley.war.state import WarState, per_run

FloatArray = NDArray[np.float64]
Streams = dict[str, np.random.Generator]
DAYS_PER_YEAR = 365.25


def per_step(p_month: object, months: float) -> FloatArray:
    """Monthly probability → probability per step of ``months``: ``1 − (1 − p)^months``."""
    q = np.clip(np.asarray(p_month, dtype=float), 0.0, 1.0)
    with np.errstate(divide="ignore"):
        out = -np.expm1(np.log1p(-q) * months)
    return np.asarray(np.where(q >= 1.0, 1.0, out))


def coupled_uniforms(v: FloatArray, c: FloatArray, b: FloatArray, rho: FloatArray) -> FloatArray:
    """Common-shock coupling of uniforms ``v (runs, k)``: the common ``c (runs,)`` where ``b < ρ``.

    Each output is uniform on (0, 1); ``P(u_i < p, u_j < p) = ρ·p + (1 − ρ)·p²``. ``ρ = 0``
    returns ``v`` unchanged.
    """
    common = (np.asarray(b) < np.asarray(rho))[:, None]
    return np.asarray(np.where(common, np.asarray(c)[:, None], v))


def substitute(
    level: FloatArray, high: FloatArray, is_high: NDArray[np.bool_], onehot: FloatArray, s: object
) -> FloatArray:
    """Aid per donor after donors in the high regime make up a share ``s`` of the side's cuts.

    ``level``, ``high`` ``(runs, k)``; ``onehot (k, 2)`` maps donors to sides. Donor i in the high
    regime adds ``s·shortfall_side·level_i/Σ_high-donors level``.
    """
    shortfall = (high - level) @ onehot  # (runs, 2)
    capacity = (level * is_high) @ onehot
    share = np.where(capacity > 0, shortfall / np.where(capacity > 0, capacity, 1.0), 0.0)
    sc = np.asarray(s, dtype=float)
    extra = (share @ onehot.T) * level * is_high
    return np.asarray(level + (sc[..., None] if sc.ndim else sc) * extra)


def step(s: WarState, p: WarParams, rng: Streams) -> None:
    """Switch each donor's regime and set the aid received and its force per day."""
    n, n_sup = s.n, len(p.supporter_ids)
    months = p.step_days * 12.0 / DAYS_PER_YEAR
    v = rng["aid"].random((n, n_sup))
    c, b = rng["supporters"].random((2, n))
    if not n_sup:
        return
    sp = p.supporters
    years = s.t * p.step_days / DAYS_PER_YEAR
    cred = s.cred_a / (s.cred_a + s.cred_b)
    p_hl_month = np.asarray(sp.p_high_to_low_per_month) * (
        1.0 + np.asarray(sp.fatigue_per_year) * years
    )
    p_hl_month, p_lh_month = switching(s, p, p_hl_month, cred * s.threat)
    to_low = (
        per_step(p_hl_month, months)
        + np.asarray(sp.escalation_sensitivity) * (cred * s.threat)[:, None] * months
    )
    u = coupled_uniforms(v, c, b, per_run(p.aid_dynamics.common_shock, n))
    live = np.flatnonzero(s.active)  # ended runs keep their regimes and get no aid
    shape = (n, n_sup)
    stay = u[live] >= np.broadcast_to(to_low, shape)[live]
    rise = u[live] < np.broadcast_to(per_step(p_lh_month, months), shape)[live]
    s.aid_high[live] = np.where(s.aid_high[live], stay, rise)
    high = np.broadcast_to(np.asarray(sp.aid_high_bn_per_year, dtype=float), shape)[live]
    low = np.broadcast_to(np.asarray(sp.aid_low_bn_per_year, dtype=float), shape)[live]
    level = np.where(s.aid_high[live], high, low)
    onehot = np.zeros((n_sup, 2))
    onehot[np.arange(n_sup), p.supporter_side] = 1.0
    subst = per_run(p.aid_dynamics.substitution, n)[live]
    level = substitute(level, high, s.aid_high[live], onehot, subst)
    pol = p.policy
    factor = aid_factor(
        s.talks_were_open[live],
        per_run(pol.aid_multiplier, n)[live],
        per_run(pol.aid_conditional_on_talks, n)[live],
        cred[live],
        s.threat[live],
        np.asarray(pol.threat_response == "cut_aid", dtype=float),
        per_run(pol.threat_aid_cut, n)[live],
    )
    delivered = level * np.broadcast_to(np.asarray(factor, dtype=float), live.shape)[:, None]
    s.aid_supporter = np.zeros((n, n_sup))
    s.aid_supporter[live] = delivered
    s.aid_cumulative += s.aid_supporter * (p.step_days / DAYS_PER_YEAR)
    s.aid_level = s.aid_supporter @ onehot
    s.aid_force = (s.aid_supporter * np.asarray(sp.force_per_bn)) @ onehot / DAYS_PER_YEAR
