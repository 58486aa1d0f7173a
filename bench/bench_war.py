"""Benchmark of the bargaining-while-fighting simulator (issue target: 100,000 runs x 260 weekly
steps, two belligerents and four supporters, every mechanism on, settlement terms by the compromise
model, under 60 s and 4 GB on 2 cores).

Times :func:`parley.war.engine.simulate` and, in the same run, the same engine called once per
run (``n_runs = 1`` in a Python loop, the per-run execution a non-vectorised simulator has) on a
few hundred runs, scaled to the same number of runs, and prints the speed-up and a distributional
comparison of the two (runs do not interact, so both must agree within Monte Carlo error). Each
parley configuration runs in a fresh subprocess so that its peak resident memory is its own.

    .venv/bin/python bench/bench_war.py           # full run (several minutes on 2 cores)
    .venv/bin/python bench/bench_war.py --quick   # smaller sizes
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from war_bench_scenario import bench_scenario  # noqa: E402

from parley.war.engine import simulate  # noqa: E402
from parley.war.params import compile_war  # noqa: E402

#: "long": priors far apart and sharp, so most runs fight on (stress case for the war values).
WORKLOADS: dict[str, dict[str, Any]] = {
    "typical": {},
    "long": {
        "war.beliefs.A.mean": 0.7,
        "war.beliefs.B.mean": 0.3,
        "war.beliefs.A.strength": 100.0,
        "war.beliefs.B.strength": 100.0,
    },
}


def one(runs: int, steps: int, supporters: int, workload: str, seed: int) -> dict[str, Any]:
    """Time one parley simulation in this process (called in a subprocess by ``main``)."""
    p = compile_war(bench_scenario(supporters, steps), WORKLOADS[workload])
    simulate(p, 10, seed, record_paths=False)  # compile the numba kernel outside the timing
    t0, c0 = time.perf_counter(), time.process_time()
    ds = simulate(p, runs, seed, record_paths=False)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = ds["outcome"].values
    settled = ds["settled"].values
    return {
        "runs": runs,
        "steps": steps,
        "supporters": supporters,
        "workload": workload,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_mb": peak_mb,
        "run_steps": int((ds["end_step"].values + 1).sum()),
        "share_outcome": np.bincount(out, minlength=5).tolist(),
        "settle_step_mean": float(np.nanmean(ds["settle_step"].values)) if settled.any() else None,
        "share_mean": float(np.nanmean(ds["share_A"].values)) if settled.any() else None,
        "held_5y_mean": float(np.nanmean(ds["held_5y"].values)) if settled.any() else None,
        "terms_territory_mean": float(np.nanmean(ds["terms"].values[:, 0]))
        if settled.any()
        else None,
    }


def sub(runs: int, steps: int, supporters: int, workload: str, seed: int = 1) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--one", str(runs), str(steps), str(supporters), workload]
    r = subprocess.run(cmd + ["--seed", str(seed)], capture_output=True, text=True, check=True)
    return dict(json.loads(r.stdout.strip().splitlines()[-1]))


def loop_stats(workload: str, runs: int, seed: int = 7) -> dict[str, Any]:
    """The engine run one war at a time (the per-run peer), ``runs`` wars."""
    p = compile_war(bench_scenario(4, 260), WORKLOADS[workload])
    t0 = time.perf_counter()
    rows = [simulate(p, 1, np.random.SeedSequence([seed, k]), record_paths=False)
            for k in range(runs)]  # fmt: skip
    wall = time.perf_counter() - t0
    out = np.array([int(r["outcome"][0]) for r in rows])
    settled = out == 1

    def col(name: str) -> np.ndarray:
        return np.array([float(r[name].values.ravel()[0]) for r in rows])[settled]

    return {
        "runs": runs,
        "wall_s": wall,
        "share_outcome": np.bincount(out, minlength=5).tolist(),
        "settle_step": col("settle_step"),
        "share": col("share_A"),
        "held_5y": col("held_5y"),
        "terms": col("terms"),
    }


def _ci(values: np.ndarray) -> str:
    if values.size < 2:
        return "n/a"
    m, se = float(values.mean()), float(values.std(ddof=1)) / math.sqrt(values.size)
    return f"{m:.3f} ± {1.96 * se:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--one", nargs=4, metavar=("RUNS", "STEPS", "SUPPORTERS", "WORKLOAD"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.one:
        r, s, k, w = args.one
        print(json.dumps(one(int(r), int(s), int(k), w, args.seed)))
        return
    big = 20_000 if args.quick else 100_000
    loop_n = 40 if args.quick else 200

    print("## target: runs x 260 weekly steps, 2 belligerents + 4 supporters, all mechanisms")
    print(
        f"{'workload':<9} {'runs':>7} {'steps':>5} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} "
        f"{'active run-steps':>17} {'us/run-step':>11}  outcomes (ong,set,colA,colB,cat)"
    )
    main_rows = {}
    for w in WORKLOADS:
        row = sub(big, 260, 4, w)
        main_rows[w] = row
        print(
            f"{w:<9} {row['runs']:>7} {row['steps']:>5} {row['wall_s']:>8.1f} {row['cpu_s']:>8.1f} "
            f"{row['peak_mb']:>8.0f} {row['run_steps']:>17,} "
            f"{1e6 * row['wall_s'] / row['run_steps']:>11.2f}  {row['share_outcome']}"
        )

    print("\n## growth (typical workload)")
    print(
        f"{'runs':>7} {'steps':>5} {'supporters':>10} {'wall s':>8} {'peak MB':>8} "
        f"{'active run-steps':>17}"
    )
    grid = [(big // 10, 260, 4), (big * 3 // 10, 260, 4), (big, 260, 4),
            (big, 52, 4), (big, 130, 4),
            (big, 260, 0), (big, 260, 16)]  # fmt: skip
    for runs, steps, k in grid:
        row = (
            main_rows["typical"]
            if (runs, steps, k) == (big, 260, 4)
            else sub(runs, steps, k, "typical")
        )
        print(
            f"{runs:>7} {steps:>5} {k:>10} {row['wall_s']:>8.1f} {row['peak_mb']:>8.0f} "
            f"{row['run_steps']:>17,}"
        )

    print("\n## versus the same engine run one war at a time (n_runs = 1 in a Python loop)")
    print(
        f"{'workload':<9} {'loop runs':>9} {'loop s':>8} {'loop s scaled':>13} "
        f"{'parley s':>9} {'speed-up':>9}"
    )
    loops = {}
    for w in WORKLOADS:
        lp = loop_stats(w, loop_n)
        loops[w] = lp
        scaled = lp["wall_s"] * big / lp["runs"]
        par = main_rows[w]["wall_s"]
        print(
            f"{w:<9} {lp['runs']:>9} {lp['wall_s']:>8.1f} {scaled:>13.0f} {par:>9.1f} "
            f"{scaled / par:>8.0f}x"
        )

    print("\n## same model? (batched runs vs one-at-a-time runs; means ± 95 % MC half-width)")
    for w in WORKLOADS:
        row, lp = main_rows[w], loops[w]
        n1 = row["runs"]
        p_par = row["share_outcome"][1] / n1
        p_loop = lp["share_outcome"][1] / lp["runs"]
        se = math.sqrt(p_loop * (1 - p_loop) / lp["runs"] + p_par * (1 - p_par) / n1)
        print(
            f"{w}: P(settlement) parley {p_par:.3f}, loop {p_loop:.3f} (± {1.96 * se:.3f}); "
            f"mean settle step parley {row['settle_step_mean']}, loop {_ci(lp['settle_step'])}; "
            f"share_A parley {row['share_mean']}, loop {_ci(lp['share'])}; "
            f"held 5 y parley {row['held_5y_mean']}, loop {_ci(lp['held_5y'])}; "
            f"territory terms parley {row['terms_territory_mean']}, loop {_ci(lp['terms'])}"
        )


if __name__ == "__main__":
    main()
