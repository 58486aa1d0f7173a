"""The bargaining-while-fighting simulator: every Monte Carlo run advanced at once (war-model §1–§9).

:func:`simulate` runs ``n_runs`` wars for ``params.horizon_steps`` steps. Each step, for all runs
that are still fighting: (1) if talks are open, both sides value the war under their own Beta
beliefs (Smith & Stam 2004) and settle when the guarantee-widened range is non-empty (Fearon 1995),
with terms split by the proposer rule; (2) otherwise supporters' aid switches regime, forces suffer
Lanchester attrition and get replenished, the front moves (regime-switching jump diffusion, or the
forts random walk with θ from the contest function), and both sides learn from the outcome;
(3) public support falls with casualties and leaders may be replaced; (4) a catastrophe happens with
the escalation hazard; (5) a side collapses when its force falls below its threshold or the front
reaches the end of the region. Ended runs stop changing. After the loop, settled runs get
multi-issue terms (a stakeholder model over all actors) and a durability draw (Weibull baseline and
hazard ratios, Powell trigger; :mod:`parley.war.aftermath`).

Randomness: one child :class:`numpy.random.SeedSequence` per mechanism (``front``, ``battles``,
``settlement``, ``aid``, ``politics``, ``escalation``, ``durability``, ``initial``), and every
mechanism draws a fixed-shape array for all runs each step, so common random numbers stay aligned
across policies. Same seed → identical dataset.

Output dataset (names other parts rely on):

per run (dim ``run``)
    ``outcome`` int code (attrs ``labels``: 0 ongoing, 1 settlement, 2 collapse_A, 3 collapse_B,
    4 catastrophe); ``end_step`` (step at which the run ended, horizon if ongoing); ``settled``
    bool; ``settle_step`` float (NaN if none); ``share_A`` A's share of the stakes in the
    settlement; ``terms`` (run, issue) on each issue's own scale (NaN if no settlement);
    ``held_1y``, ``held_5y``, ``held_10y`` float 1/0 (NaN if no settlement or no durability model);
    ``renewal_triggered`` bool (Powell trigger); ``casualties`` (run, side);
    ``final_area_km2``; ``population_under_occupation``; ``catastrophe`` bool;
    ``max_escalation_hazard`` (per month); ``leader_replaced`` (run, side) bool.
per step (dims ``run``, ``step``; only if ``record_paths``; every ``path_every`` steps, state at
the end of the step, float32)
    ``area_km2``; ``p_A`` (true θ from the contest function); ``belief_A`` (run, step, side):
    each side's posterior mean of θ; ``support`` (run, step, side); ``aid`` (run, step, side) in
    EUR bn/year received; ``force`` (run, step, side); ``active`` bool.
coordinates: ``run``, ``step``, ``side`` (belligerent actor ids), ``issue``; ``day`` on ``step``.
attrs: ``scenario_id``, ``start_date``, ``step_days``, ``horizon_steps``, ``seed``.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from parley.war import front as front_mod
from parley.war.aftermath import durability_draws, settlement_terms
from parley.war.attrition import attrition_step
from parley.war.bargaining import minimum_share, settlement_bounds, split_terms
from parley.war.beliefs import belief_mean, update_beliefs, war_values
from parley.war.contest import contest_probability, log_force_ratio
from parley.war.dataset import build_dataset
from parley.war.escalation import escalation_hazard, keeps_threatening, resolve, step_probability
from parley.war.params import WarParams
from parley.war.policies import aid_factor, initiation_signal, talks_open
from parley.war.politics import (
    DAYS_PER_MONTH,
    cost_multiplier,
    public_support,
    replacement_probability,
)

FloatArray = NDArray[np.float64]
OUTCOMES = ("ongoing", "settlement", "collapse_A", "collapse_B", "catastrophe")
ONGOING, SETTLEMENT, COLLAPSE_A, COLLAPSE_B, CATASTROPHE = range(5)
MECHANISMS = (
    "front",
    "battles",
    "settlement",
    "aid",
    "politics",
    "escalation",
    "durability",
    "initial",
)


def generators(seed: int | np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One generator per mechanism, spawned from ``seed`` in the fixed order of ``MECHANISMS``."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return {
        name: np.random.default_rng(c)
        for name, c in zip(MECHANISMS, ss.spawn(len(MECHANISMS)), strict=True)
    }


def _runs(x: FloatArray, n: int) -> FloatArray:
    """Broadcast a parameter of shape () / (runs,) / (..., k) to a leading run axis."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        return np.full(n, float(a))
    return np.asarray(a)


def _side(x: FloatArray, n: int) -> FloatArray:
    return np.broadcast_to(np.asarray(x, dtype=float), (n, 2))


def simulate(
    params: WarParams,
    n_runs: int,
    seed: int | np.random.SeedSequence,
    *,
    record_paths: bool = True,
    path_every: int = 1,
) -> xr.Dataset:
    """Simulate ``n_runs`` wars at once; see the module docstring for the dataset layout."""
    if n_runs < 1:
        raise ValueError("n_runs must be >= 1")
    p = params
    rng = generators(seed)
    n, dt, h = n_runs, p.step_days, p.horizon_steps
    months = dt / DAYS_PER_MONTH
    n_sup = len(p.supporter_ids)
    forts = np.broadcast_to(np.asarray(p.forts, dtype=float), (n,))
    amin = _runs(p.area_min, n) if np.ndim(p.area_min) else float(p.area_min)
    amax = _runs(p.area_max, n) if np.ndim(p.area_max) else float(p.area_max)
    span = np.asarray(amax) - np.asarray(amin)

    # --- state -------------------------------------------------------------------------------
    active = np.ones(n, dtype=bool)
    outcome = np.zeros(n, dtype=np.int8)
    end_step = np.full(n, h, dtype=np.int64)
    settle_step = np.full(n, np.nan)
    share = np.full(n, np.nan)
    area = np.broadcast_to(np.asarray(p.initial_area, dtype=float), (n,)).copy()
    k_fort = np.rint(forts * (area - amin) / span)
    if p.front_form == "forts":
        area = amin + span * k_fort / forts
    if p.initial_regime == "stationary":
        regime = front_mod.initial_regime(p.front, n, rng["initial"])
    else:
        regime = np.full(n, front_mod.REGIMES.index(p.initial_regime), dtype=np.int64)
    force0 = _side(p.force0, n)
    force = force0.copy()
    alpha = (_side(p.belief_mean, n) * _side(p.belief_strength, n)).copy()
    beta = ((1.0 - _side(p.belief_mean, n)) * _side(p.belief_strength, n)).copy()
    casualties = np.zeros((n, 2))
    support0 = _side(p.support0, n)
    support = support0.copy()
    punish_on = np.ones((n, 2))
    aid_high = np.broadcast_to(np.asarray(p.aid_start_high, dtype=float) > 0, (n, n_sup)).copy()
    cred_a = np.broadcast_to(np.asarray(p.credibility_prior, dtype=float) / 2 + 1e-9, (n,)).copy()
    cred_b = cred_a.copy()
    cum_risk = np.zeros(n)
    max_hazard = np.zeros(n)
    talks_were_open = np.zeros(n, dtype=bool)
    threat_state = np.zeros(n)
    aid_force = np.zeros((n, 2))
    catastrophe = np.zeros(n, dtype=bool)
    sup_onehot = np.zeros((n_sup, 2))
    sup_onehot[np.arange(n_sup), p.supporter_side] = 1.0
    aid_level = np.zeros((n, 2))
    threat_resolve = (
        resolve(p.prevail, p.submit, p.disaster) if p.threatener >= 0 else np.asarray(0.0)
    )
    repl = _side(p.replenishment, n)
    kill = _side(p.effectiveness, n)
    collapse_at = _side(p.collapse_fraction, n) * force0
    cas_unit = _side(p.casualties_per_unit, n)
    battle_cost_factor = _runs(p.battle_days, n)[:, None] / DAYS_PER_MONTH
    p_hl = _per_step(p.p_high_to_low, months)
    p_lh = _per_step(p.p_low_to_high, months)
    p_threat = _per_step(p.threat_prob_per_month, months)

    n_rec = (h + path_every - 1) // path_every if record_paths else 0
    paths: dict[str, np.ndarray] = {}
    if record_paths:
        for name, shape in (
            ("area_km2", (n, n_rec)),
            ("p_A", (n, n_rec)),
            ("belief_A", (n, n_rec, 2)),
            ("support", (n, n_rec, 2)),
            ("aid", (n, n_rec, 2)),
            ("force", (n, n_rec, 2)),
        ):
            paths[name] = np.full(shape, np.nan, dtype=np.float32)
        paths["active"] = np.zeros((n, n_rec), dtype=bool)

    def end(mask: NDArray[np.bool_], code: int, step: int) -> None:
        outcome[mask] = code
        end_step[mask] = step
        active[mask] = False

    for t in range(h):
        # --- 1 negotiation ---------------------------------------------------------------------
        support_cond = np.broadcast_to(np.asarray(p.negotiate_support_below, dtype=float), (n,))
        talks = active & talks_open(
            t, p.negotiate_from_step, area, p.negotiate_area_below, support, support_cond
        )
        opened = talks & ~talks_were_open
        talks_were_open |= talks
        alpha, beta = initiation_signal(alpha, beta, p.initiator, p.signal_strength, opened)
        recognise = rng["settlement"].random(n)
        idx = np.flatnonzero(talks)
        if idx.size:
            k_now = forts[idx] * (area[idx] - _at(amin, idx)) / _at(span, idx)
            cmult = cost_multiplier(support[idx], support0[idx], _side(p.support_cost_gain, n)[idx])
            cost = _side(p.cost_per_month, n)[idx] * cmult * battle_cost_factor[idx]
            w = war_values(k_now, forts[idx], alpha[idx], beta[idx], cost, p.quadrature_nodes)
            ms = minimum_share(
                w,
                _side(p.reference_share, n)[idx],
                _side(p.punishment, n)[idx] * punish_on[idx],
            )
            if p.initiator >= 0:
                ms[:, p.initiator] -= _at(_runs(p.concession, n), idx)
            lo, hi = settlement_bounds(
                ms, _side(p.guarantee, n)[idx], _side(p.guarantee_credibility, n)[idx]
            )
            lam = _proposer_power(p, t, recognise[idx], idx, n)
            ok = lo <= hi
            done = idx[ok]
            share[done] = split_terms(lo[ok], hi[ok], lam[ok])
            settle_step[done] = t
            settled_now = np.zeros(n, dtype=bool)
            settled_now[done] = True
            end(settled_now, SETTLEMENT, t)

        # --- 2 aid, attrition, front, learning --------------------------------------------------
        theta = contest_probability(
            force[:, 0], force[:, 1], p.contest_m, p.contest_form, p.contest_phi
        )
        u_aid = rng["aid"].random((n, n_sup))
        cred = cred_a / (cred_a + cred_b)
        if n_sup:
            threat_now = threat_state
            to_low = (
                p_hl
                + np.asarray(p.aid_escalation_sensitivity)
                * cred[:, None]
                * threat_now[:, None]
                * months
            )
            aid_high = np.where(aid_high, u_aid >= to_low, u_aid < p_lh)
            level = np.where(aid_high, np.asarray(p.aid_high), np.asarray(p.aid_low))
            factor = aid_factor(
                talks_were_open,
                p.aid_multiplier,
                p.aid_conditional,
                cred,
                threat_now,
                p.cut_aid_on_threat,
                p.threat_aid_cut,
            )
            aid_level = (level * factor[:, None]) @ sup_onehot
            aid_force = (level * factor[:, None] * np.asarray(p.force_per_bn)) @ sup_onehot / 365.25
        act2 = active[:, None]
        live = np.flatnonzero(active)  # ended runs keep their forces: integrate the others only
        new_force, lost = attrition_step(
            force[live],
            kill[live],
            _at(p.attrition_beta, live),
            (repl + aid_force)[live],
            dt,
            p.attrition_substeps,
        )
        force = force.copy()
        force[live] = new_force
        casualties = casualties.copy()
        casualties[live] += lost * cas_unit[live]
        old_area = area
        u_battle = rng["battles"].random(n)
        if p.front_form == "forts":
            a_won = u_battle < theta
            k_fort = np.where(active, k_fort + np.where(a_won, 1.0, -1.0), k_fort)
            area = amin + span * k_fort / forts
        else:
            rho = log_force_ratio(force[:, 0], force[:, 1])
            new_area, new_regime = front_mod.front_step(
                area, regime, rho, p.front, dt, rng["front"]
            )
            area = np.where(active, new_area, area)
            regime = np.where(active, new_regime, regime)
            a_won = area > old_area
        learn = active & (np.asarray(p.learning, dtype=float) > 0)
        alpha, beta = update_beliefs(alpha, beta, a_won, learn)

        # --- 3 politics ------------------------------------------------------------------------
        support = np.where(
            act2, public_support(support0, _side(p.support_slope, n), casualties), support
        )
        p_rep = replacement_probability(
            support, _side(p.replacement_threshold, n), _side(p.replacement_hazard, n), dt
        )
        replaced = act2 & (rng["politics"].random((n, 2)) < p_rep)
        punish_on = np.where(replaced, 0.0, punish_on)

        # --- 4 escalation ----------------------------------------------------------------------
        u_threat, u_cat = rng["escalation"].random((2, n))
        if p.threatener >= 0:
            losing = (theta < 0.5) if p.threatener == 0 else (theta > 0.5)
            threat = (
                active
                & losing
                & keeps_threatening(cum_risk, threat_resolve)
                & (u_threat < p_threat)
            )
        else:
            threat = np.zeros(n, dtype=bool)
        threat_state = threat.astype(float)
        intensity = np.abs(area - old_area) / (np.asarray(p.intensity_scale) * dt / 7.0)
        red = np.asarray(p.red_line, dtype=float)
        red_lost = ~np.isnan(red) & (area < np.where(np.isnan(red), -np.inf, red))
        hazard = escalation_hazard(
            p.rho0_per_month,
            p.gamma_intensity,
            intensity,
            p.gamma_red_line,
            red_lost,
            p.gamma_threat,
            threat,
        )
        p_cat = step_probability(hazard, months)
        max_hazard = np.where(active, np.maximum(max_hazard, hazard), max_hazard)
        cum_risk = np.where(active, 1.0 - (1.0 - cum_risk) * (1.0 - p_cat), cum_risk)
        cat = active & (u_cat < p_cat)
        cred_b = cred_b + (threat & ~cat)
        catastrophe |= cat
        end(cat, CATASTROPHE, t)

        # --- 5 collapse ------------------------------------------------------------------------
        if p.front_form == "forts":
            edge_a, edge_b = k_fort <= 0, k_fort >= forts
        else:
            edge_a, edge_b = area <= amin, area >= amax
        lost_a = active & ((force[:, 0] < collapse_at[:, 0]) | edge_a)
        lost_b = active & ~lost_a & ((force[:, 1] < collapse_at[:, 1]) | edge_b)
        end(lost_a, COLLAPSE_A, t)
        end(lost_b, COLLAPSE_B, t)

        if record_paths and t % path_every == 0:
            j = t // path_every
            paths["area_km2"][:, j] = area
            paths["p_A"][:, j] = theta
            paths["belief_A"][:, j] = belief_mean(alpha, beta)
            paths["support"][:, j] = support
            paths["aid"][:, j] = aid_level
            paths["force"][:, j] = force
            paths["active"][:, j] = active
        if not active.any():
            break

    if record_paths:
        _fill_ended(paths, t // path_every)

    settled = outcome == SETTLEMENT
    terms = settlement_terms(p, share, settled)
    held, triggered = durability_draws(
        p, settled, share, force, repl, aid_force, casualties, settle_step, rng["durability"]
    )
    return build_dataset(
        p,
        seed,
        n,
        paths,
        path_every,
        outcome,
        end_step,
        settled,
        settle_step,
        share,
        terms,
        held,
        triggered,
        casualties,
        area,
        catastrophe,
        max_hazard,
        punish_on,
    )


def _per_step(p_month: FloatArray, months: float) -> FloatArray:
    """Monthly probability → probability per step of ``months``: ``1 − (1 − p)^months``."""
    q = np.clip(np.asarray(p_month, dtype=float), 0.0, 1.0)
    with np.errstate(divide="ignore"):
        out = -np.expm1(np.log1p(-q) * months)
    return np.asarray(np.where(q >= 1.0, 1.0, out))


def _fill_ended(paths: dict[str, np.ndarray], last: int) -> None:
    """After an early stop (every run ended), later records repeat the final state."""
    for arr in paths.values():
        if last + 1 < arr.shape[1]:
            arr[:, last + 1 :] = arr[:, last : last + 1]


def _at(x: FloatArray | float, idx: NDArray[np.intp]) -> FloatArray:
    a = np.asarray(x, dtype=float)
    return a if a.ndim == 0 else a[idx]


def _proposer_power(
    p: WarParams, t: int, u: FloatArray, idx: NDArray[np.intp], n: int
) -> FloatArray:
    """λ: A's share of the surplus under the proposer rule (split / alternating / random)."""
    power = _runs(p.power_A, n)[idx]
    if p.proposer == "split":
        return power
    if p.proposer == "alternating":
        return np.full(idx.size, 1.0 if t % 2 == 0 else 0.0)
    return (u < power).astype(float)
