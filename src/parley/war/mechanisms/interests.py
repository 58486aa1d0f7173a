"""Supporters with interests: each donor's net value of continuing aid shifts its switching odds.

A helper of :mod:`parley.war.mechanisms.supporters` (no step of its own, no random stream).

A donor keeps up its aid while the value to it of what its side holds, which the aid defends,
exceeds what the aid costs it (Olson & Zeckhauser 1966, "An Economic Theory of Alliances",
REStat 48(3): an ally contributes to the common good in proportion to its own valuation of it;
Sandler & Hartley 2001, JEL 39(3), for the burden-sharing survey; Regan 1998, JoP 60(3), and
Regan 2002, JCR 46(1), for third-party intervention as an expected-utility choice: the value of
the outcome weighted by the chance of success, less the costs). Threats of escalation add to the
donor's cost of aid (the escalation risk of Powell 2015, here priced by the donor). Donor ``i``'s
net value, EUR bn-equivalent per year:

``N_i = V_i·x_i − κ_i·(h_i − l_i) − E_i·c·threat``

- ``V_i`` ``stake_bn_per_year``: yearly value to the donor of its side holding the whole
  contested region rather than none of it;
- ``x_i`` in [0, 1]: the share of the region its side holds now, ``(area − area_min)/(area_max −
  area_min)`` for A's donors and one minus that for B's, so ``V_i·x_i`` is the yearly value of
  what the side holds (EUR bn/year) and the battlefield moves it;
- ``κ_i`` ``aid_cost_weight`` times the extra aid of the high regime ``h_i − l_i`` (EUR bn/year);
- ``E_i`` ``escalation_cost_bn_per_year`` times the credibility ``c`` of an active threat.

Every term is in EUR bn/year and ``N`` never falls as the stake rises (``∂N/∂V = x ≥ 0``): a
donor with more at stake never cuts sooner, whichever way the front moves.

The net value moves the monthly switching probabilities through a logit link with
responsiveness ``λ_i`` (``responsiveness_per_bn``, log-odds per EUR bn/year; the logit quantal
response of McKelvey & Palfrey 1995, GEB 10):

``p_hl' = σ(logit(p_hl) − λ·N)``, ``p_lh' = σ(logit(p_lh) + λ·N)``.

``λ = 0`` (the default) leaves both probabilities exactly as they are: the mechanism is off and
draws no random numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, logit

from parley.war.params import WarParams
from parley.war.state import WarState, per_run

FloatArray = NDArray[np.float64]


def net_value(
    stake: object,
    share: FloatArray,
    aid_cost_weight: object,
    extra_aid: object,
    escalation_cost: object,
    threat_credibility: FloatArray,
) -> FloatArray:
    """``N = V·x − κ·(h − l) − E·c·threat`` per run and donor, EUR bn/year (module docstring).

    ``share`` ``(runs, k)`` is the share ``x`` in [0, 1] of the region the donor's side holds;
    ``threat_credibility`` ``(runs,)`` is ``c·threat`` (0 without an active threat).
    """
    v = np.asarray(stake, dtype=float)
    cost = np.asarray(aid_cost_weight, dtype=float) * np.asarray(extra_aid, dtype=float)
    esc = np.asarray(escalation_cost, dtype=float) * np.asarray(threat_credibility)[:, None]
    return np.asarray(v * share - cost - esc)


def shifted(p_month: object, shift: object, responsiveness: object) -> FloatArray:
    """``σ(logit(p) + λ·shift)``; exactly ``p`` where ``λ = 0`` (McKelvey & Palfrey 1995)."""
    q = np.clip(np.asarray(p_month, dtype=float), 0.0, 1.0)
    lam = np.asarray(responsiveness, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = expit(logit(q) + lam * np.asarray(shift, dtype=float))
    return np.asarray(np.where(lam == 0.0, q, out))


def side_share(s: WarState, p: WarParams) -> FloatArray:
    """Share in [0, 1] of the region each donor's side holds now, ``(runs, k)``.

    A holds ``(area − area_min)/(area_max − area_min)`` (the front measures A's area), B the rest.
    """
    n = s.n
    lo = per_run(p.region.area_min_km2, n)
    share_a = np.clip((s.area - lo) / (per_run(p.region.area_max_km2, n) - lo), 0.0, 1.0)
    return np.asarray(
        np.where(np.asarray(p.supporter_side) == 0, share_a[:, None], 1.0 - share_a[:, None])
    )


def switching(
    s: WarState, p: WarParams, p_hl_month: FloatArray, threat_credibility: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Monthly high→low and low→high probabilities after each donor's net value (``(runs, k)``)."""
    sp = p.supporters
    shape = (s.n, len(p.supporter_ids))
    p_hl = np.broadcast_to(p_hl_month, shape)
    p_lh = np.broadcast_to(np.asarray(sp.p_low_to_high_per_month, dtype=float), shape)
    lam = np.broadcast_to(np.asarray(sp.responsiveness_per_bn, dtype=float), shape)
    if not np.any(lam):
        return p_hl, p_lh
    extra = np.asarray(sp.aid_high_bn_per_year, dtype=float) - np.asarray(
        sp.aid_low_bn_per_year, dtype=float
    )
    nv = net_value(
        sp.stake_bn_per_year,
        side_share(s, p),
        sp.aid_cost_weight,
        extra,
        sp.escalation_cost_bn_per_year,
        threat_credibility,
    )
    return shifted(p_hl, -nv, lam), shifted(p_lh, nv, lam)
