"""Benchmark of Stokman's exchange model: parley's compiled and array paths vs the plain loop.

Runs the equal-gain model for 10 rounds on the Paris COP21 (15 actors x 13 issues) and Copenhagen
(11 x 7) inputs with parley (``parley.negotiation.exchange``: the compiled selection loop, engine
"numba", and the NumPy path, engine "numpy") and with the plain-Python
implementation ``bench/exchange_loop.py`` (one object per exchange, lists and dicts, the way the
Decide reference code is organised), in the same run. All three break gain ties with the same Python
``random.Random(seed)`` stream and the same exact tie rule (tied gains ordered by candidate index),
so their trajectories agree; the script prints how many runs agree (compiled and NumPy path
identical, the loop within 1e-9), the times and their ratios, also for perturbed copies of a case
run as one batch (as a Monte Carlo sweep would), for random scenarios of growing size and for the
DEU validation with the exchange model.

    .venv/bin/python bench/bench_exchange.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import exchange_loop  # noqa: E402
from _timing import best_of  # noqa: E402

from parley.negotiation.exchange import ExchangeOptions, run_round, run_round_batch  # noqa: E402
from parley.scenario.arrays import stakeholder_batch  # noqa: E402
from parley.scenario.importers.exchange import load_exchange  # noqa: E402

ROUNDS = 10


def parley_run(
    x: np.ndarray, s: np.ndarray, c: np.ndarray, seed: int, engine: str = "numba"
) -> tuple[np.ndarray, int]:
    rng = random.Random(seed)
    opts = ExchangeOptions(duplicates=True, engine=engine)
    n_ex = 0
    for _ in range(ROUNDS):
        res = run_round(x, s, c, opts, rng)  # type: ignore[arg-type]
        n_ex += res.realised["gain"].shape[0]
        x = res.end
    return x, n_ex


def loop_run(x: np.ndarray, s: np.ndarray, c: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    states, realised = exchange_loop.run(
        x.tolist(), s.tolist(), c.tolist(), ROUNDS, seed=seed, duplicates=True
    )
    return np.array(states[-1]), sum(len(r) for r in realised)


def case_arrays(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    text = (resources.files("parley.data") / "exchange" / name).read_text(encoding="utf-8")
    batch = stakeholder_batch(load_exchange(text, name))
    x = batch.position[0]
    c = np.broadcast_to(batch.capability[0][:, None], x.shape).copy()
    return x, batch.salience[0], c


def random_case(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0, 100, size=(n, m)))
    s = np.round(rng.uniform(0.1, 1.0, size=(n, m)), 2)
    c = np.broadcast_to(np.round(rng.uniform(0.1, 1.0, size=(n, 1)), 2), (n, m)).copy()
    return x, s, c


def compare(label: str, arrays: tuple[np.ndarray, ...], seeds: list[int], repeat: int) -> None:
    """One negotiation at a time: parley compiled and NumPy path, then the plain loop."""
    x, s, c = arrays
    t_p = t_n = t_l = 0.0
    same: list[float] = []
    n_ex = 0
    for seed in seeds:
        tp, (xp, n_p) = best_of(lambda: parley_run(x, s, c, seed), repeat)  # noqa: B023
        tn, (xn, _) = best_of(lambda: parley_run(x, s, c, seed, "numpy"), 1)  # noqa: B023
        tl, (xl, n_l) = best_of(lambda: loop_run(x, s, c, seed), 1)  # noqa: B023
        t_p, t_n, t_l = t_p + tp, t_n + tn, t_l + tl
        diff = float(np.nanmax(np.abs(xp - xl)))
        if n_p == n_l and diff < 1e-9 and np.array_equal(xp, xn, equal_nan=True):
            same.append(diff)
        n_ex += n_p
    k = len(seeds)
    agree = f"{len(same)}/{k}" + (f" (max diff {max(same):.1e})" if same else "")
    print(
        f"| {label} | {x.shape[0]}x{x.shape[1]} | {n_ex / k:.0f} | {t_p / k:.3f} | {t_n / k:.3f} "
        f"| {t_l / k:.3f} | {t_l / t_p:.1f}x | {t_l / t_n:.1f}x | {agree} |"
    )


def deu_validation() -> None:
    """Wall time of the DEU validation with the exchange model (one negotiation per proposal,
    10 rounds), and of the model alone with each engine."""
    from parley.analysis.validation import proposal_scenarios, scoreable, validate
    from parley.negotiation.exchange import exchange_model
    from parley.scenario.importers.deu import load_shipped_deu

    scenarios = load_shipped_deu()
    t0 = time.perf_counter()
    df = validate(scenarios, ["exchange"])
    t_all = time.perf_counter() - t0
    batch = stakeholder_batch(proposal_scenarios(scoreable(scenarios))[0])
    times = {
        e: best_of(lambda: exchange_model(batch, engine=e), 1)[0]  # noqa: B023
        for e in ("numba", "numpy")
    }
    print(
        f"| DEU validation with the exchange model ({batch.shape[0]} proposals) "
        f"| whole `validate` {t_all:.2f} s (MAE {df.mae[0]:.2f}) | model alone: compiled "
        f"{times['numba']:.2f} s, NumPy path {times['numpy']:.2f} s |"
    )


def compare_batch(label: str, arrays: tuple[np.ndarray, ...], n: int) -> None:
    """n perturbed copies (saliences x U(0.9, 1.1), clipped to 1), as in a Monte Carlo sweep:
    parley's NumPy path runs them in one lockstep batch, the compiled path one after the other
    (through the same ``run_round_batch`` call), the loop one after the other."""
    x, s, c = arrays
    rng = np.random.default_rng(2024)
    ss = np.clip(s[None] * rng.uniform(0.9, 1.1, size=(n, *s.shape)), 0.0, 1.0)
    xs, cs = np.broadcast_to(x, ss.shape).copy(), np.broadcast_to(c, ss.shape).copy()

    def batch_run(engine: str) -> tuple[np.ndarray, int]:
        opts = ExchangeOptions(duplicates=True, engine=engine)
        rngs = [random.Random(k) for k in range(n)]
        cur, n_ex = xs, 0
        for _ in range(ROUNDS):
            res = run_round_batch(cur, ss, cs, opts, rngs)
            cur = np.stack([r.end for r in res])
            n_ex += sum(r.realised["gain"].shape[0] for r in res)
        return cur, n_ex

    t_p, (xp, n_p) = best_of(lambda: batch_run("numba"), 1)
    t_n, (xn, _) = best_of(lambda: batch_run("numpy"), 1)
    t0 = time.perf_counter()
    loops = [loop_run(xs[k], ss[k], cs[k], k) for k in range(n)]
    t_l = time.perf_counter() - t0
    same = sum(
        1
        for k in range(n)
        if float(np.nanmax(np.abs(xp[k] - loops[k][0]))) < 1e-9
        and np.array_equal(xp[k], xn[k], equal_nan=True)
    )
    print(
        f"| {label}, {n} perturbed copies in one batch | {x.shape[0]}x{x.shape[1]} "
        f"| {n_p / n:.0f} | {t_p / n:.3f} | {t_n / n:.3f} | {t_l / n:.3f} | {t_l / t_p:.1f}x "
        f"| {t_l / t_n:.1f}x | {same}/{n} |"
    )


def main() -> None:
    parley_run(*random_case(6, 3, 1), 1)  # compile (or load the cached kernels) before timing
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    seeds = [1, 2] if args.quick else [1, 2, 3, 4, 5]
    print(f"## Equal-gain exchange model, {ROUNDS} rounds, seeds {seeds} (Python random ties)")
    print(
        "| case | actors x issues | exchanges per run | parley compiled (s/run) "
        "| parley NumPy path (s/run) | plain loop (s/run) | loop / compiled | loop / NumPy "
        "| runs with identical trajectories |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    compare("COP21", case_arrays("cop21.csv"), seeds, 3)
    compare("Copenhagen", case_arrays("copenhagen.csv"), seeds, 3)
    compare_batch("COP21", case_arrays("cop21.csv"), 4 if args.quick else 20)
    compare_batch("Copenhagen", case_arrays("copenhagen.csv"), 4 if args.quick else 20)
    sizes = [10, 20, 40] if args.quick else [10, 20, 40, 80]
    for n in sizes:
        compare(f"random n={n}, seed 7", random_case(n, 6, 7), seeds[:1], 1)
    print()
    deu_validation()


if __name__ == "__main__":
    main()
