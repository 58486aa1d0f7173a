"""Benchmark of the expected-utility model: DEU issues, 100 actors, and cost growth with actors.

Times parley's batched ``eum_model`` and a plain-Python loop reference of the same rules
(``bench/eum_loop_reference.py``) in the same run, prints their agreement and the time ratio.

    .venv/bin/python bench/bench_eum.py            # full run (a few minutes on 2 cores)
    .venv/bin/python bench/bench_eum.py --quick    # smaller peer samples
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of  # noqa: E402
from eum_loop_reference import reference_eum  # noqa: E402

from parley.negotiation.eum import eum_model, eum_options, run_problems  # noqa: E402
from parley.scenario.arrays import StakeholderBatch, stakeholder_batch  # noqa: E402


def deu_batch() -> tuple[StakeholderBatch, str]:
    """The 322 DEU issues with an outcome and >= 3 actors, or a DEU-shaped random batch."""
    try:
        from parley.scenario.importers.deu import load_shipped_deu
    except ImportError:
        rng = np.random.default_rng(20240611)
        pos = np.full((322, 30, 1), np.nan)
        sal = np.full((322, 30, 1), np.nan)
        for b in range(322):
            n = int(rng.integers(3, 31))
            pos[b, :n, 0] = rng.choice([0.0, 25, 50, 75, 100], size=n)
            sal[b, :n, 0] = rng.uniform(0.2, 1.0, size=n)
        cap = rng.uniform(1, 29, size=(322, 30))
        batch = StakeholderBatch(
            pos, sal, cap, np.zeros((322, 1)), np.full((322, 1), 100.0),
            np.full((322, 1), np.nan), np.full((322, 1), np.nan), tuple(map(str, range(322))),
            tuple(tuple(map(str, range(30))) for _ in range(322)), tuple(("i",) for _ in range(322)),
        )  # fmt: skip
        return batch, "DEU-shaped random batch (322 x 3-30 actors)"
    scenarios = [
        s
        for s in load_shipped_deu()
        if s.issues[0].outcome is not None
        and sum(1 for a in s.actors if s.issues[0].id in a.positions) >= 3
    ]
    return stakeholder_batch(scenarios), f"DEU I/II, {len(scenarios)} issues with an outcome"


def peer_issue(batch: StakeholderBatch, b: int, rounds: int) -> tuple[list[float], list[float]]:
    ok = np.isfinite(batch.position[b, :, 0]) & np.isfinite(batch.salience[b, :, 0])
    _, med, mean = reference_eum(
        batch.capability[b, ok].tolist(),
        batch.position[b, ok, 0].tolist(),
        batch.salience[b, ok, 0].tolist(),
        rounds,
    )
    return med, mean


def bench_deu(n_peer: int) -> None:
    batch, label = deu_batch()
    t_parley, res = best_of(lambda: eum_model(batch, rounds=10), 3)
    print(f"## {label}: {batch.shape[0]} issues x up to {batch.shape[1]} actors, 10 rounds")
    print(f"parley eum_model (one call, best of 3): {t_parley:.3f} s")
    idx = np.linspace(0, batch.shape[0] - 1, n_peer).astype(int)
    t0 = time.perf_counter()
    peer = [peer_issue(batch, int(b), 10) for b in idx]
    t_peer = (time.perf_counter() - t0) / n_peer * batch.shape[0]
    med = res.extra["median"][idx, :, 0]
    diff = np.abs(med - np.array([p[0] for p in peer]))
    print(
        f"plain-Python loop reference: {n_peer} issues timed, extrapolated to all: {t_peer:.1f} s"
        f" -> ratio {t_peer / t_parley:.0f}x"
    )
    print(
        f"agreement on the {n_peer} issues: max |median diff| {diff.max():.2e}, "
        f"issues differing by > 1e-6: {(diff.max(axis=1) > 1e-6).sum()}"
    )
    if np.isfinite(batch.outcome).all():
        mae = np.abs(res.outcome[:, 0] - batch.outcome[:, 0]).mean()
        print(f"(accuracy, for the record: MAE of the round-10 median vs outcome {mae:.2f})")


def random_problem(n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    x = np.round(rng.uniform(0, 100, size=(1, n)), 1)
    c = rng.uniform(0.1, 1.0, size=(1, n))
    s = rng.uniform(0.1, 1.0, size=(1, n))
    return x, c, s


def bench_scaling(sizes: list[int], peer_max: int) -> None:
    rng = np.random.default_rng(7)
    print("\n## One issue, n actors, 10 rounds (random positions 0-100, seed 7)")
    print("| actors | parley (s) | loop reference (s) | ratio | max abs median diff |")
    print("|---|---|---|---|---|")
    times = []
    opt = eum_options()
    for n in sizes:
        x, c, s = random_problem(n, rng)
        valid = np.ones_like(x, dtype=bool)
        t, run = best_of(lambda: run_problems(x, s, c, valid, 10, opt), 3 if n <= 200 else 1)  # noqa: B023
        times.append(t)
        if n <= peer_max:
            t0 = time.perf_counter()
            _, med, _ = reference_eum(c[0].tolist(), x[0].tolist(), s[0].tolist(), 10)
            tp = time.perf_counter() - t0
            d = float(np.max(np.abs(run.median[0] - med)))
            print(f"| {n} | {t:.4f} | {tp:.3f} | {tp / t:.0f}x | {d:.1e} |")
        else:
            print(f"| {n} | {t:.4f} | - | - | - |")
    logs = np.log(np.array(sizes[-3:], float)), np.log(np.array(times[-3:]))
    slope = np.polyfit(logs[0], logs[1], 1)[0]
    print(
        f"\ncost grows as n^{slope:.2f} over the three largest sizes (kernel is O(n * U^2), U = distinct"
    )
    print("positions <= n, plus O(n^2) per-dyad utilities)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    bench_deu(8 if args.quick else 24)
    sizes = [10, 25, 50, 100, 200, 400]
    bench_scaling(sizes, 25 if args.quick else 100)


if __name__ == "__main__":
    main()
