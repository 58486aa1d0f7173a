"""Benchmark: parley's SMP against KTAB's own SMP (through pySMP) on random scenarios, same run.

For each size (10, 20, 40 and 80 actors by default) the script draws random scenarios the way
KTAB's ``randomSMP`` does (``parley.negotiation.smp_pysmp.random_ktab_csv``), writes them in KTAB's
CSV format, and runs

* KTAB (pySMP==0.1.3, KTAB's compiled C++ library, logging off, default parameters) in a fresh
  subprocess, timing ``runSmpModel`` only (wall clock and CPU time of all its threads);
* parley's ``smp_model`` on the same file, one scenario per call (median of ``--repeat`` runs), and
  once more with all scenarios of that size in ONE batched call.

It checks that the trajectories are identical (same number of states; every position, cast to
float32 as KTAB returns it, equal), prints a table with the time per scenario and per turn, the
ratio, the peak memory (KTAB: the subprocess's peak RSS; parley: tracemalloc peak of NumPy and
Python allocations during the run), and fits how cost per turn grows with the number of actors
(log-log slope).

Needs pySMP and its Debian libraries (see ``smp_pysmp.py``)::

    .venv/bin/pip install pySMP==0.1.3
    apt-get install -y libqt5core5a libqt5sql5 libsqlite3-0
    .venv/bin/python bench/bench_smp.py            # 10/20/40/80 actors, 2 dimensions
    .venv/bin/python bench/bench_smp.py --sizes 10 20 --reps 3 3

KTAB's 80-actor runs take minutes; by default one scenario is run at 80 actors. ``--quick`` runs
two scenarios each of 10 and 20 actors (``make bench`` passes it through ``bench/run_all.py --
--quick``).
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from parley.negotiation.smp import smp_model
from parley.negotiation.smp_pysmp import pysmp_unavailable, random_ktab_csv, run_ktab
from parley.scenario.arrays import StakeholderBatch, stakeholder_batch
from parley.scenario.importers.ktab import load_ktab

DEFAULT_SIZES = (10, 20, 40, 80)
DEFAULT_REPS = (5, 3, 2, 1)


def _parley_once(batch: StakeholderBatch) -> tuple[float, float, object]:
    c0, t0 = time.process_time(), time.perf_counter()
    res = smp_model(batch)
    return time.perf_counter() - t0, time.process_time() - c0, res


def _parley_peak_mib(batch: StakeholderBatch) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    smp_model(batch)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _identical(res: object, k_states: int, k_pos: np.ndarray, b: int = 0) -> tuple[bool, float]:
    n = int(res.extra["n_states"][b])  # type: ignore[attr-defined]
    hist = res.history[b, :n, : k_pos.shape[1], : k_pos.shape[2]]  # type: ignore[attr-defined]
    if n != k_states:
        return False, math.inf
    same = bool((hist.astype(np.float32) == k_pos.astype(np.float32)).all())
    return same, float(np.abs(hist - k_pos).max())


def parley_only(sizes: list[int], reps: list[int] | None, dims: int, seed: int, repeat: int) -> int:
    """parley's time per scenario and per turn, and batched, without KTAB."""
    rng = np.random.default_rng(seed)
    counts = reps or [3] * len(sizes)
    print(f"parley SMP alone | numpy {np.__version__}, {dims} dimensions, seed {seed}")
    print(
        "| actors | scenarios | mean states | CPU s/scenario | CPU ms/turn | "
        "batched CPU s/scenario | peak MiB |"
    )
    print("|---|---|---|---|---|---|---|")
    turns = []
    for n, count in zip(sizes, counts, strict=True):
        scs = [
            load_ktab(random_ktab_csv(rng, n, dims, name=f"a{n}-{r}"), f"a{n}-{r}.csv")[0]
            for r in range(count)
        ]
        cpu, per_turn, states = [], [], []
        for sc in scs:
            batch = stakeholder_batch([sc])
            runs = [_parley_once(batch) for _ in range(repeat)]
            c = statistics.median(r[1] for r in runs)
            k = int(runs[0][2].extra["n_states"][0])  # type: ignore[attr-defined]
            cpu.append(c)
            per_turn.append(c / max(1, k - 1))
            states.append(k)
        c0 = time.process_time()
        smp_model(stakeholder_batch(scs))
        batched = (time.process_time() - c0) / count
        peak = _parley_peak_mib(stakeholder_batch(scs[:1]))
        turns.append(statistics.mean(per_turn))
        print(
            f"| {n} | {count} | {statistics.mean(states):.1f} | {statistics.mean(cpu):.4f} | "
            f"{1000 * turns[-1]:.2f} | {batched:.4f} | {peak:.1f} |",
            flush=True,
        )
    if len(sizes) >= 2:
        pairs = ", ".join(
            f"{sizes[i]}->{sizes[i + 1]}: n^"
            f"{math.log(turns[i + 1] / turns[i]) / math.log(sizes[i + 1] / sizes[i]):.2f}"
            for i in range(len(sizes) - 1)
        )
        print(f"parley: CPU per turn grows pairwise as {pairs}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    ap.add_argument("--reps", type=int, nargs="+", default=None, help="scenarios per size")
    ap.add_argument("--dims", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--repeat", type=int, default=3, help="parley timings per scenario (median)")
    ap.add_argument(
        "--parley-only",
        action="store_true",
        help="time parley alone (no KTAB) on the sizes, e.g. to see its growth beyond 80 actors",
    )
    ap.add_argument(
        "--quick", action="store_true", help="a short run: 10 and 20 actors, 2 scenarios each"
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.reps, args.repeat = [10, 20], [2, 2], 1
    if args.parley_only:
        return parley_only(args.sizes, args.reps, args.dims, args.seed, args.repeat)
    why = pysmp_unavailable()
    if why:
        print(f"cannot run KTAB: {why}")
        return 1
    reps = args.reps or [
        DEFAULT_REPS[DEFAULT_SIZES.index(s)] if s in DEFAULT_SIZES else 1 for s in args.sizes
    ]
    print(
        f"parley SMP vs KTAB (pySMP 0.1.3) | {platform.processor() or platform.machine()}, "
        f"{sys.version.split()[0]}, numpy {np.__version__}, {args.dims} dimensions, "
        f"seed {args.seed}"
    )
    rng = np.random.default_rng(args.seed)
    rows = []
    all_same = True
    with tempfile.TemporaryDirectory(prefix="bench-smp-") as tmp:
        for n, count in zip(args.sizes, reps, strict=True):
            scenarios = []
            k_wall, k_cpu, k_turn, k_rss, p_wall, p_turn, states = [], [], [], [], [], [], []
            p_cpu: list[float] = []
            p_peak = []
            for r in range(count):
                path = Path(tmp) / f"a{n}_{r}.csv"
                path.write_text(random_ktab_csv(rng, n, args.dims, name=f"bench-a{n}-{r}"))
                (sc,) = load_ktab(path.read_text(), str(path))
                scenarios.append(sc)
                batch = stakeholder_batch([sc])
                kt = run_ktab(path, log=False)
                times, cpus = [], []
                for _ in range(args.repeat):
                    dt, dc, res = _parley_once(batch)
                    times.append(dt)
                    cpus.append(dc)
                same, gap = _identical(res, kt.n_states, kt.position)
                all_same &= same
                p_peak.append(_parley_peak_mib(batch))
                steps = max(1, kt.n_states - 1)
                k_wall.append(kt.wall_seconds)
                k_cpu.append(kt.cpu_seconds)
                k_turn.append(kt.wall_seconds / steps)
                k_rss.append(kt.peak_kib / 1024)
                p_wall.append(statistics.median(times))
                p_cpu.append(statistics.median(cpus))
                k_turn[-1] = kt.cpu_seconds / steps
                p_turn.append(statistics.median(cpus) / steps)
                states.append(kt.n_states)
                print(
                    f"  n={n:3d} #{r}: {kt.n_states:3d} states, KTAB {kt.wall_seconds:8.3f} s wall "
                    f"{kt.cpu_seconds:8.3f} s CPU, parley {statistics.median(times):7.4f} s wall "
                    f"{statistics.median(cpus):7.4f} s CPU, CPU ratio "
                    f"x{kt.cpu_seconds / statistics.median(cpus):7.1f}, identical={same} "
                    f"(max |diff| {gap:.2g})",
                    flush=True,
                )
            batch_all = stakeholder_batch(scenarios)
            t0 = time.perf_counter()
            res_all = smp_model(batch_all)
            batched = (time.perf_counter() - t0) / len(scenarios)
            for b in range(len(scenarios)):
                n_b = int(res_all.extra["n_states"][b])
                h = res_all.history[b, :n_b]
                h1 = smp_model(stakeholder_batch([scenarios[b]])).history[0, :n_b]
                all_same &= bool(np.array_equal(h, h1))
            rows.append(
                {
                    "n": n,
                    "count": count,
                    "states": statistics.mean(states),
                    "k_wall": statistics.mean(k_wall),
                    "k_cpu": statistics.mean(k_cpu),
                    "k_turn": statistics.mean(k_turn),
                    "p_wall": statistics.mean(p_wall),
                    "p_batched": batched,
                    "p_turn": statistics.mean(p_turn),
                    "p_cpu": statistics.mean(p_cpu),
                    "ratio": statistics.mean(k_wall) / statistics.mean(p_wall),
                    "ratio_cpu": statistics.mean(k_cpu) / statistics.mean(p_cpu),
                    "k_rss": max(k_rss),
                    "p_peak": max(p_peak),
                }
            )
    print()
    print(
        "| actors | scenarios | mean states | KTAB wall s | KTAB CPU s | parley wall s | "
        "parley CPU s | parley batched wall s/scenario | ratio wall | ratio CPU | "
        "KTAB CPU ms/turn | parley CPU ms/turn | KTAB peak RSS MiB | parley peak MiB |"
    )
    print("|" + "---|" * 14)
    for r in rows:
        print(
            f"| {r['n']} | {r['count']} | {r['states']:.1f} | {r['k_wall']:.3f} | "
            f"{r['k_cpu']:.3f} | {r['p_wall']:.4f} | {r['p_cpu']:.4f} | {r['p_batched']:.4f} | "
            f"{r['ratio']:.0f}x | {r['ratio_cpu']:.0f}x | {1000 * r['k_turn']:.1f} | "
            f"{1000 * r['p_turn']:.2f} | {r['k_rss']:.0f} | {r['p_peak']:.1f} |"
        )
    if len(rows) >= 2:
        ln = np.log([r["n"] for r in rows])
        for key, who in (("k_turn", "KTAB"), ("p_turn", "parley")):
            slope = np.polyfit(ln, np.log([r[key] for r in rows]), 1)[0]
            pairs = ", ".join(
                f"{rows[i]['n']}->{rows[i + 1]['n']}: n^"
                f"{math.log(rows[i + 1][key] / rows[i][key]) / math.log(rows[i + 1]['n'] / rows[i]['n']):.2f}"
                for i in range(len(rows) - 1)
            )
            print(f"{who}: CPU per turn grows as n^{slope:.2f} (log-log fit; pairwise {pairs})")
    print(f"identical trajectories (states and float32 positions, single and batched): {all_same}")
    return 0 if all_same else 1


if __name__ == "__main__":
    raise SystemExit(main())
