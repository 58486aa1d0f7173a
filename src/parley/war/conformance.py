"""Theory-conformance table of the war simulator: closed forms against the simulator.

``python -m parley.war.conformance`` prints, for each closed form of war-model §3–§7, the
theoretical value, the simulated (or computed) value and the Monte Carlo standard error. The same
checks are asserted in ``tests/war/`` (named in ``docs/war-model.md``); this module only prints the
numbers recorded in ``docs/validation.md``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats

from parley.scenario.load import load_native
from parley.war import durability as dur
from parley.war.attrition import attrition_step, square_law_invariant
from parley.war.bargaining import fearon_range, powell_war_rational, screening_demand
from parley.war.beliefs import expected_battles, win_probability
from parley.war.engine import COLLAPSE_B, simulate
from parley.war.params import compile_war

Row = tuple[str, float, float, float]  # check, theory, parley, MC standard error (NaN if none)

_SCENARIO = """
id: conformance
name: Two belligerents for the conformance checks (illustrative numbers)
start_date: "2022-11-08"
issues: [{id: territory, name: Territory, scale_min: 0, scale_max: 100}]
actors:
  - {id: a, capability: 1, positions: {territory: {position: 100, salience: 1}}}
  - {id: b, capability: 1, positions: {territory: {position: 0, salience: 1}}}
war:
  sides: {A: a, B: b}
  region: {area_min_km2: 0, area_max_km2: 100000, initial_area_km2: 37500, forts: 8}
  front: {form: forts}
  forces:
    A: {effectiveness_per_day: 0.0}
    B: {effectiveness_per_day: 0.0}
  contest: {form: logistic}
  beliefs: {battle_days: 7}  # one battle per weekly step: the forts walk is the gambler's ruin
  escalation: {rho0_per_month: 0.0}
  policy: {negotiate_from_step: 1000000}
  time: {step_days: 7, horizon_steps: 3000}
"""


def _fearon(n: int, rng: np.random.Generator) -> list[Row]:
    rows: list[Row] = []
    for p, c_a, c_bar in ((0.5, 0.1, 0.3), (0.3, 0.02, 0.2)):
        demand = float(screening_demand(p, c_a, c_bar))
        rows.append((f"Fearon demand p={p}, c_A={c_a}, c̄={c_bar}", p + (c_bar - c_a) / 2, demand,
                     math.nan))  # fmt: skip
        war = demand > fearon_range(p, c_a, rng.uniform(0, c_bar, n))[1]
        expected = (c_bar - c_a) / (2 * c_bar)
        rows.append((f"Fearon P(war) p={p}, c_A={c_a}, c̄={c_bar}", expected, float(war.mean()),
                     math.sqrt(expected * (1 - expected) / n)))  # fmt: skip
    return rows


def _ruin(n: int) -> list[Row]:
    sc = load_native(_SCENARIO)[0]
    rows: list[Row] = []
    for theta in (0.45, 0.5, 0.58):
        p = compile_war(sc, {"war.contest.phi": -math.log(theta / (1 - theta))})
        ds = simulate(p, n, 5, record_paths=False)
        won = ds["outcome"].values == COLLAPSE_B
        battles = ds["end_step"].values + 1.0
        pw = float(win_probability(3, 8, theta))
        rows.append((f"Smith-Stam P_win(k=3, N=8; θ={theta})", pw, float(won.mean()),
                     math.sqrt(pw * (1 - pw) / n)))  # fmt: skip
        rows.append((f"Smith-Stam E[battles](k=3, N=8; θ={theta})",
                     float(expected_battles(3, 8, theta)), float(battles.mean()),
                     float(battles.std()) / math.sqrt(n)))  # fmt: skip
    return rows


def _existence() -> list[Row]:
    sc = load_native(_SCENARIO)[0]
    rows: list[Row] = []
    cost = 0.002
    for gap in (0.0, 0.05, 0.4):
        ma, mb = 0.5 + gap / 2, 0.5 - gap / 2
        ov = {
            "war.beliefs.A.mean": ma,
            "war.beliefs.B.mean": mb,
            "war.beliefs.A.strength": 20.0,
            "war.beliefs.B.strength": 20.0,
            "war.costs.A.per_month": cost,
            "war.costs.B.per_month": cost,
            "war.beliefs.battle_days": 365.25 / 12,
            "war.policy.negotiate_from_step": 0,
            "war.region.forts": 10,
            "war.region.initial_area_km2": 40000.0,
            "war.time.horizon_steps": 1,
        }
        ds = simulate(compile_war(sc, ov), 50, 2, record_paths=False)
        w = 0.0
        for mean, sign in ((ma, 1.0), (mb, -1.0)):
            pdf = stats.beta(mean * 20, (1 - mean) * 20).pdf
            ep = integrate.quad(lambda t, f=pdf: float(win_probability(4, 10, t)) * f(t), 0, 1)[0]
            ed = integrate.quad(lambda t, f=pdf: float(expected_battles(4, 10, t)) * f(t), 0, 1)[0]
            w += (ep - cost * ed) if sign > 0 else (1 - ep - cost * ed)
        rows.append((f"settles iff W_A+W_B ≤ 1 (gap {gap}: W_A+W_B = {w:.4f})",
                     float(w <= 1.0), float(ds["settled"].values.mean()), math.nan))  # fmt: skip
    return rows


def _lanchester() -> list[Row]:
    f0, k = np.array([1.0, 0.8]), np.array([0.01, 0.012])
    f, inv0 = f0.copy(), float(square_law_invariant(f0, k))
    for _ in range(20):
        f, _lost = attrition_step(f, k, 1.0, 0.0, 7.0)
    # closed form: B is annihilated (invariant > 0); A's survivors √(I/k_A) once B reaches 0
    rows: list[Row] = [
        ("Lanchester invariant after 140 days (relative drift)", 0.0,
         abs(float(square_law_invariant(f, k)) - inv0) / inv0, math.nan),
    ]  # fmt: skip
    for _ in range(400):
        f, _lost = attrition_step(f, k, 1.0, 0.0, 7.0)
    rows.append(("Lanchester survivors of A, √(I/k_A)", math.sqrt(inv0 / k[0]), float(f[0]),
                 math.nan))  # fmt: skip
    return rows


def _powell() -> list[Row]:
    path = np.array([0.30, 0.31, 0.32, 0.55, 0.56, 0.57])
    fights = powell_war_rational(path[:-1], path[1:], 0.04, 0.04, 0.95)
    return [("Powell: war only before the shift (step index 2)", 2.0,
             float(np.flatnonzero(fights)[0]) if fights.sum() == 1 else -1.0, math.nan)]  # fmt: skip


def _durability() -> list[Row]:
    model = dur.default_model()
    outc, t, e, _ = dur.load_recurrence()
    rows: list[Row] = []
    published = {"ceasefire": (0.18, 0.39, 0.45), "peace_agreement": (0.04, 0.21, 0.34)}
    for kind, targets in published.items():
        sel = np.array(outc) == kind
        _, se = dur.kaplan_meier(t[sel], e[sel], [2.0, 5.0, 10.0])
        prob = dur.renewal_probability(model, kind, 0.0, np.array([2.0, 5.0, 10.0]))
        for j, years in enumerate((2, 5, 10)):
            rows.append((f"UCDP {kind} recurrence within {years} y (KM; SE = Greenwood)",
                         targets[j], float(prob[j]), float(se[j])))  # fmt: skip
    return rows


def conformance_table(n: int = 20_000, seed: int = 11) -> list[Row]:
    """All rows (see the module docstring)."""
    rng = np.random.default_rng(seed)
    return (
        _fearon(10 * n, rng) + _powell() + _ruin(n) + _existence() + _lanchester() + _durability()
    )


def main() -> None:
    """Print the table as Markdown."""
    print("| check | theory | parley | MC s.e. | (parley − theory)/s.e. |")
    print("|---|---|---|---|---|")
    for name, theory, got, se in conformance_table():
        z = (got - theory) / se if se and math.isfinite(se) and se > 0 else math.nan
        se_s = f"{se:.4f}" if math.isfinite(se) else "—"
        z_s = f"{z:+.2f}" if math.isfinite(z) else "—"
        print(f"| {name} | {theory:.4f} | {got:.4f} | {se_s} | {z_s} |")


if __name__ == "__main__":
    main()
