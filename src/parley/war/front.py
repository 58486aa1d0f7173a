"""The front line as a regime-switching jump diffusion of the occupied area.

The continuous form of the front (war-model §5): the area ``A_t`` (km²) held by side A follows

    dA_t = μ_r(ρ_t) dt + σ_r(ρ_t) dW_t + J dN_t,
    μ_r(ρ) = drift_r + κ·tanh(ρ/s),   σ_r(ρ) = σ_r + σ1·|ρ|,   N_t ~ Poisson(λ_r·e^{η|ρ|}),
    J ~ Normal(jump_mean_r, jump_sd_r²),

where ``r`` is a Markov chain over the regimes of :data:`REGIMES` (Hamilton 1989, "A new approach
to the economic analysis of nonstationary time series", Econometrica 57(2)) and ``ρ_t`` is the log
force ratio ``log(F_A/F_B)`` — positive ``ρ`` means side A (whose holdings ``A_t`` measures) is
stronger, so the area tends to grow.

Two chains share these regimes. The *two-regime* chain of the first fit (positional ↔ manoeuvre,
the manoeuvre jumps of one fitted sign) is what the fields ``*_positional``/``*_manoeuvre`` and
``p_positional_to_manoeuvre``/``p_manoeuvre_to_positional`` describe. The *offensive* chain adds an
offensive by A (jumps of size ``+|J|``, drift ``+drift_offensive``) and an offensive by B (``−|J|``,
``−drift_offensive``), each started from the positional regime with daily probability
``p_offensive_A``/``p_offensive_B``; an offensive culminates with daily probability
``p_culminate`` (Clausewitz, *On War*, book 7 ch. 5, the culminating point of the attack; Biddle
2004, *Military Power*, on why break-throughs against a prepared defence are rare and short) into
the ``culminated`` regime, which moves like the positional one but cannot start a new offensive,
and which ends with daily probability ``p_recover``. The offensive intensity therefore decays in
two phases (offensive → culminated → positional) and a new break-through is less likely for a
while after one. With the offensive fields at zero (the defaults) the offensive regimes are never
entered and the process is the two-regime one, draw for draw. Jumps stand for break-throughs and collapses (Merton 1976 jump diffusion);
the force-ratio terms follow the contest-function logic of Hirshleifer (1989). With ``κ = σ1 = η = 0``
(the defaults) the force ratio has no effect. Parameters are fitted to DeepState by
:func:`parley.analysis.calibrate.fit_front`.

Every numeric field of :class:`FrontParams` may be a float or an array of shape ``(runs,)``; all
operations broadcast, so one call of :func:`front_step` advances every Monte Carlo run.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parley.war.front_parameters import NUMERIC_FIELDS as NUMERIC_FIELDS
from parley.war.front_parameters import SPEC_FIELDS as SPEC_FIELDS
from parley.war.front_parameters import FrontParams as FrontParams
from parley.war.front_parameters import Param as Param
from parley.war.front_parameters import front_params_from_spec as front_params_from_spec

#: Names of the regimes; a regime array holds their indices.
REGIMES: tuple[str, ...] = ("positional", "manoeuvre", "offensive_A", "offensive_B", "culminated")
POSITIONAL = 0
MANOEUVRE = 1
OFFENSIVE_A = 2
OFFENSIVE_B = 3
CULMINATED = 4

FloatArray = NDArray[np.float64]


def transition_probabilities(params: FrontParams, dt_days: float) -> tuple[FloatArray, FloatArray]:
    """Probabilities ``(P(pos→pos), P(man→man))`` over ``dt_days`` days.

    Closed form for a two-state chain with daily switching probabilities ``a`` (positional →
    manoeuvre) and ``b`` (back): ``P_00(t) = b/(a+b) + a/(a+b)·(1−a−b)^t`` (Hamilton 1994, ch. 22).
    """
    a = np.asarray(params.p_positional_to_manoeuvre, dtype=float)
    b = np.asarray(params.p_manoeuvre_to_positional, dtype=float)
    s = a + b
    decay = np.power(np.clip(1.0 - s, 0.0, 1.0), dt_days)
    safe = np.where(s > 0, s, 1.0)
    stay_pos = np.where(s > 0, (b + a * decay) / safe, 1.0)
    stay_man = np.where(s > 0, (a + b * decay) / safe, 1.0)
    return stay_pos, stay_man


def stationary_manoeuvre_share(params: FrontParams) -> FloatArray:
    """Long-run share of days in the manoeuvre regime, ``a/(a+b)`` (0 when the chain never moves)."""
    a = np.asarray(params.p_positional_to_manoeuvre, dtype=float)
    b = np.asarray(params.p_manoeuvre_to_positional, dtype=float)
    s = a + b
    return np.where(s > 0, a / np.where(s > 0, s, 1.0), 0.0)


def daily_transition_matrix(params: FrontParams) -> FloatArray:
    """One-day transition matrix over :data:`REGIMES`, shape ``(..., 5, 5)`` (rows: from).

    Positional → manoeuvre / offensive A / offensive B with ``p_positional_to_manoeuvre``,
    ``p_offensive_A``, ``p_offensive_B``; manoeuvre → positional with
    ``p_manoeuvre_to_positional``; an offensive → culminated with ``p_culminate``; culminated →
    positional with ``p_recover``. The leading axes broadcast over per-run parameter arrays.
    """
    a = np.asarray(params.p_positional_to_manoeuvre, dtype=float)
    b = np.asarray(params.p_manoeuvre_to_positional, dtype=float)
    pa = np.asarray(params.p_offensive_A, dtype=float)
    pb = np.asarray(params.p_offensive_B, dtype=float)
    pc = np.asarray(params.p_culminate, dtype=float)
    pr = np.asarray(params.p_recover, dtype=float)
    shape = np.broadcast_shapes(a.shape, b.shape, pa.shape, pb.shape, pc.shape, pr.shape)
    k = len(REGIMES)
    mat = np.zeros((*shape, k, k))
    mat[..., POSITIONAL, MANOEUVRE] = a
    mat[..., POSITIONAL, OFFENSIVE_A] = pa
    mat[..., POSITIONAL, OFFENSIVE_B] = pb
    mat[..., MANOEUVRE, POSITIONAL] = b
    mat[..., OFFENSIVE_A, CULMINATED] = pc
    mat[..., OFFENSIVE_B, CULMINATED] = pc
    mat[..., CULMINATED, POSITIONAL] = pr
    idx = np.arange(k)
    mat[..., idx, idx] = 1.0 - mat.sum(axis=-1)
    return mat


def transition_matrix(params: FrontParams, dt_days: float) -> FloatArray:
    """Transition matrix over ``dt_days`` days: the daily matrix to the power ``dt_days``.

    Whole days use the exact matrix power; a fractional remainder ``f`` is interpolated linearly,
    ``P^⌊t⌋·((1−f)·I + f·P)`` (exact at whole days, first order in between).
    """
    daily = daily_transition_matrix(params)
    whole = int(math.floor(dt_days))
    frac = dt_days - whole
    out = np.linalg.matrix_power(daily, whole)
    if frac > 1e-12:
        eye = np.eye(daily.shape[-1])
        out = out @ ((1.0 - frac) * eye + frac * daily)
    return np.asarray(out, dtype=float)


def stationary_distribution(params: FrontParams) -> FloatArray:
    """Long-run share of days in each regime for a chain started positional, shape ``(..., 5)``.

    The row of the positional regime in ``P^N`` for ``N = 2^30`` days (30 squarings), averaged
    with ``P^(N+1)`` so that a chain of period two also has a limit: the stationary distribution
    when the chain is regular (``πP = π``), the absorption probabilities when some regime is
    absorbing (a switching probability of 0), and 0 for regimes it cannot reach.
    """
    mat = daily_transition_matrix(params)
    power = mat
    for _ in range(30):
        power = power @ power
    limit = 0.5 * (power + power @ mat)
    return np.clip(limit[..., POSITIONAL, :], 0.0, 1.0)


def initial_regime(params: FrontParams, runs: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Draw starting regimes from what the fit saw on its last day, else from the chain's long run.

    ``metadata["regime_probs_last"]`` (filtered probabilities of every regime of :data:`REGIMES`
    on the last fitted day, written by the offensive fit) wins; else the manoeuvre regime is drawn
    with ``metadata["p_manoeuvre_last"]`` (two-regime fit); else from the stationary distribution.
    """
    probs = params.metadata.get("regime_probs_last")
    p_man = params.metadata.get("p_manoeuvre_last")
    if probs is None and p_man is None:
        if _has_offensives(params):
            probs = stationary_distribution(params)
        else:
            p_man = stationary_manoeuvre_share(params)
    if probs is None:
        prob = np.broadcast_to(np.asarray(p_man, dtype=float), (runs,))
        return (rng.random(runs) < prob).astype(np.int64)
    cum = np.cumsum(np.broadcast_to(np.asarray(probs, dtype=float), (runs, len(REGIMES))), axis=1)
    u = rng.random(runs) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), len(REGIMES) - 1).astype(np.int64)


def _has_offensives(params: FrontParams) -> bool:
    return bool(
        np.any(np.asarray(params.p_offensive_A) > 0) or np.any(np.asarray(params.p_offensive_B) > 0)
    )


def _regime_values(regime: NDArray[np.int64], values: list[Param]) -> FloatArray:
    """Pick ``values[regime]`` per run (each value a scalar or an array over runs)."""
    arrs = [np.asarray(v, dtype=float) for v in values]
    if all(x.ndim == 0 for x in arrs):
        return np.array([float(x) for x in arrs])[regime]
    table = np.stack([np.broadcast_to(x, regime.shape) for x in arrs], axis=-1)
    return np.take_along_axis(table, regime[..., None], axis=-1)[..., 0]


#: Row ``r``: regime ``r`` first, then the others in the order of REGIMES (how a uniform draw is
#: mapped to the next regime: stay if ``u < P_rr``, else move along this order).
_SELF_FIRST = np.array(
    [[r, *(j for j in range(len(REGIMES)) if j != r)] for r in range(len(REGIMES))]
)


def _cumulative_rows(params: FrontParams, dt_days: float) -> FloatArray:
    """Cumulative self-first transition rows over ``dt_days`` (``(5, 5)`` or ``(runs, 5, 5)``),
    computed once per parameter set and step length (the parameters are immutable)."""
    key = ("cumulative_rows", float(dt_days))
    if key not in params.cache:
        mat = transition_matrix(params, dt_days)
        ordered = np.take_along_axis(mat, np.broadcast_to(_SELF_FIRST, mat.shape), axis=-1)
        params.cache[key] = np.cumsum(ordered, axis=-1)
    cum: FloatArray = params.cache[key]
    return cum


def _next_regime(regime: NDArray[np.int64], cum: FloatArray, u: FloatArray) -> NDArray[np.int64]:
    """Next regime per run from the uniform draws ``u`` and the cumulative rows of
    :func:`_cumulative_rows`: stay if ``u < P_rr``, else move along :data:`_SELF_FIRST`."""
    if cum.ndim > 2:
        cum = np.broadcast_to(cum, (*regime.shape, *cum.shape[-2:])).reshape(-1, *cum.shape[-2:])
        rows = cum[np.arange(regime.size), regime.ravel()].reshape(*regime.shape, -1)
    else:
        rows = cum[regime]
    idx = np.minimum((u[..., None] >= rows).sum(axis=-1), len(REGIMES) - 1)
    return np.asarray(_SELF_FIRST[regime, idx], dtype=np.int64)


def front_step(
    area: ArrayLike,
    regime: ArrayLike,
    log_force_ratio: ArrayLike,
    params: FrontParams,
    dt_days: float,
    rng: np.random.Generator,
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Advance the occupied area and the regime of every run by ``dt_days`` days (war-model §5).

    The increment over the step is ``μ·dt + σ·√dt·Z + S·(N·m + √N·sd·Z')`` with
    ``N ~ Poisson(λ·dt)``, all evaluated in the regime held at the start of the step (Euler scheme
    of the Merton jump diffusion); ``S`` is +1 except in an offensive by B (−1). The area is then
    clipped to ``[area_min, area_max]``, and the regime moves by the ``dt_days``-step transition
    matrix (:func:`transition_matrix`): it stays with probability ``P_rr`` and otherwise moves to
    the other regimes in the order of :data:`REGIMES`. Arrays have shape ``(runs,)``; any
    parameter may be a scalar or an array over runs. Random draws come only from ``rng`` (in the
    fixed order Z, N, Z', U).
    """
    if dt_days <= 0:
        raise ValueError("dt_days must be > 0")
    area_a = np.asarray(area, dtype=float)
    regime_a = np.asarray(regime)
    rho = np.asarray(log_force_ratio, dtype=float)
    shape = np.broadcast_shapes(area_a.shape, regime_a.shape, rho.shape, _params_shape(params))
    reg = np.broadcast_to(regime_a, shape).astype(np.int64)
    abs_rho = np.abs(rho)
    p = params
    pos_like = [p.drift_positional, p.drift_manoeuvre]
    drift = _regime_values(
        reg,
        [*pos_like, p.drift_offensive, -np.asarray(p.drift_offensive), p.drift_positional],
    ) + np.asarray(p.kappa) * np.tanh(rho / np.asarray(p.drift_scale))
    sig = [p.sigma_positional, p.sigma_manoeuvre, p.sigma_offensive, p.sigma_offensive]
    sigma = _regime_values(reg, [*sig, p.sigma_positional]) + np.asarray(p.sigma_force) * abs_rho
    rates = [p.jump_rate_positional, p.jump_rate_manoeuvre, p.jump_rate_offensive]
    rate = _regime_values(reg, [*rates, p.jump_rate_offensive, 0.0]) * np.exp(
        np.asarray(p.eta) * abs_rho
    )
    means = [p.jump_mean_positional, p.jump_mean_manoeuvre, p.jump_size_mean]
    jump_mean = _regime_values(reg, [*means, -np.asarray(p.jump_size_mean), 0.0])
    sds = [p.jump_sd_positional, p.jump_sd_manoeuvre, p.jump_size_sd]
    jump_sd = _regime_values(reg, [*sds, p.jump_size_sd, 0.0])
    sign = np.where(reg == OFFENSIVE_B, -1.0, 1.0)

    z = rng.standard_normal(shape)
    n_jumps = rng.poisson(np.broadcast_to(rate * dt_days, shape))
    z_jump = rng.standard_normal(shape)
    new_area = (
        area_a
        + drift * dt_days
        + sigma * math.sqrt(dt_days) * z
        + n_jumps * jump_mean
        + sign * np.sqrt(n_jumps) * jump_sd * z_jump
    )
    new_area = np.clip(new_area, np.asarray(p.area_min), np.asarray(p.area_max))

    u = rng.random(shape)
    new_regime = _next_regime(reg, _cumulative_rows(p, dt_days), u)
    return np.broadcast_to(new_area, shape).astype(float), new_regime


def drift_moments(
    reversion: ArrayLike, innovation_sd: ArrayLike, dt_days: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Exact one-step law of an Ornstein–Uhlenbeck drift and of its integral over ``dt_days``.

    For ``dD = −θ·D·dt + q·dW`` (Uhlenbeck & Ornstein 1930; Gillespie 1996, "Exact numerical
    simulation of the Ornstein–Uhlenbeck process and its integral", Phys. Rev. E 54:2084) and
    ``I = ∫₀^dt D_s ds``, given ``D_0``: ``E[D_dt] = a·D_0`` and ``E[I] = b·D_0`` with
    ``a = e^{−θ·dt}``, ``b = (1 − a)/θ``; ``Var D_dt = q²(1 − a²)/(2θ)``, ``Var I =
    (q²/θ³)·(θ·dt − 2(1 − a) + (1 − a²)/2)``, ``Cov = q²(1 − a)²/(2θ²)``. Returns ``(a, b, var_D,
    var_I, cov)``; at ``θ·dt < 1e-7`` the Brownian limits ``(1, dt, q²dt, q²dt³/3, q²dt²/2)``.
    """
    theta = np.asarray(reversion, dtype=float)
    q2 = np.asarray(innovation_sd, dtype=float) ** 2
    x = theta * dt_days
    small = x < 1e-7
    th = np.where(small, 1.0, theta)
    one_a = -np.expm1(-x)  # 1 − a, accurate for small x
    one_a2 = -np.expm1(-2.0 * x)  # 1 − a²
    a = np.where(small, 1.0, 1.0 - one_a)
    b = np.where(small, dt_days, one_a / th)
    var_d = np.where(small, q2 * dt_days, q2 * one_a2 / (2.0 * th))
    var_i = np.where(small, q2 * dt_days**3 / 3.0, q2 * (x - 2.0 * one_a + 0.5 * one_a2) / th**3)
    cov = np.where(small, q2 * dt_days**2 / 2.0, q2 * one_a**2 / (2.0 * th**2))
    return a, b, var_d, np.maximum(var_i, 0.0), cov


def drift_step(
    deviation: ArrayLike,
    regime: ArrayLike,
    params: FrontParams,
    dt_days: float,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Move the positional drift of every run as a mean-reverting level; return ``(deviation, Δarea)``.

    The positional drift of a run is ``D_t = drift_positional + deviation_t``, and ``D`` follows
    the Ornstein–Uhlenbeck process of :func:`drift_moments` towards 0 with reversion
    ``drift_reversion`` (per day) and innovation sd ``drift_innovation_sd`` (km²/day per √day):
    a drift that wanders with the size of the window's month-to-month changes but, in the long
    run, no farther from a static front than the window's monthly drifts did (the drift rule of
    ``docs/calibration.md``; with ``drift_reversion = 0`` a random-walk local level, Durbin &
    Koopman 2012 ch. 2). ``Δarea`` is ``∫(D_s − drift_positional) ds`` over the step for runs
    whose regime at the start of the step moves with the positional drift (positional,
    culminated), 0 for the others; :func:`front_step` adds ``drift_positional·dt``. With both
    fields at 0 nothing is drawn and ``Δarea`` is 0 (the process without a moving drift, draw for
    draw). Random draws (two standard normals per run) come only from ``rng``.
    """
    dev = np.asarray(deviation, dtype=float)
    reg = np.asarray(regime)
    theta = np.asarray(params.drift_reversion, dtype=float)
    q = np.asarray(params.drift_innovation_sd, dtype=float)
    if not (np.any(theta > 0) or np.any(q > 0)):
        return dev, np.zeros(np.broadcast_shapes(dev.shape, reg.shape))
    mu = np.asarray(params.drift_positional, dtype=float)
    level = mu + dev
    a, b, var_d, var_i, cov = drift_moments(theta, q, dt_days)
    z1 = rng.standard_normal(dev.shape)
    z2 = rng.standard_normal(dev.shape)
    sd_d = np.sqrt(var_d)
    load = np.divide(cov, sd_d, out=np.zeros_like(sd_d * cov), where=sd_d > 0)
    rest = np.sqrt(np.maximum(var_i - load**2, 0.0))
    new_level = a * level + sd_d * z1
    integral = b * level + load * z1 + rest * z2
    moves_with_drift = (reg == POSITIONAL) | (reg == CULMINATED)
    change = np.where(moves_with_drift, integral - mu * dt_days, 0.0)
    return np.asarray(new_level - mu, dtype=float), np.asarray(change, dtype=float)


def front_drift_step(
    area: ArrayLike,
    regime: ArrayLike,
    deviation: ArrayLike,
    log_force_ratio: ArrayLike,
    params: FrontParams,
    dt_days: float,
    rng: np.random.Generator,
) -> tuple[FloatArray, NDArray[np.int64], FloatArray]:
    """One step of the front with its moving positional drift: :func:`front_step`, then
    :func:`drift_step` in the regime held at the start of the step, their sum clipped to
    ``[area_min, area_max]``. Returns ``(area, regime, deviation)``; the draws come from ``rng``
    in that order (the front's, then the drift's). The war engine and the front-only forecast
    both take this step."""
    new_area, new_regime = front_step(area, regime, log_force_ratio, params, dt_days, rng)
    new_dev, moved = drift_step(deviation, regime, params, dt_days, rng)
    lo, hi = np.asarray(params.area_min), np.asarray(params.area_max)
    return np.clip(new_area + moved, lo, hi), new_regime, new_dev


def _params_shape(params: FrontParams) -> tuple[int, ...]:
    return np.broadcast_shapes(*(np.shape(getattr(params, n)) for n in NUMERIC_FIELDS))
