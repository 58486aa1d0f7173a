"""Benchmark of the compiled war-value kernel: threaded (numba ``prange``) against serial against
the NumPy reference, by batch size, wall time and CPU time of this process.

Chooses :data:`parley.war.kernels.PARALLEL_MIN`: below it the thread pool costs more CPU than it
saves wall time. Prints one row per size with both times for each kernel and the ratios.

    .venv/bin/python bench/bench_war_kernel.py
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from parley.war import kernels
from parley.war.beliefs import war_values

SIZES = (500, 2_000, 10_000, 20_000, 50_000, 200_000)


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best wall time and the matching CPU time (all threads of this process) over ``repeat``."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        best = min(best, (wall, cpu))
    return best


def _args(runs: int) -> tuple[Any, ...]:
    g = np.random.default_rng(0)
    return (
        g.uniform(0, 10, runs), np.full(runs, 10.0), g.uniform(0.5, 200, (runs, 2)),
        g.uniform(0.5, 200, (runs, 2)), g.uniform(0, 0.05, (runs, 2)), 16,
    )  # fmt: skip


def main() -> None:
    print(
        f"load average {os.getloadavg()}  numba threads {os.environ.get('NUMBA_NUM_THREADS', 'default')}"
    )
    kernels.war_values_compiled(*_args(100))  # compile both kernels before timing
    kernels.PARALLEL_MIN, saved = 0, kernels.PARALLEL_MIN
    kernels.war_values_compiled(*_args(100))
    print(
        "runs     numpy wall/cpu ms   serial wall/cpu ms   threaded wall/cpu ms   "
        "threaded/serial wall  cpu"
    )
    for runs in SIZES:
        a = _args(runs)
        rep = 20 if runs <= 20_000 else 5
        npy = _time(lambda a=a: war_values(*a), rep)
        kernels.PARALLEL_MIN = 10**12
        ser = _time(lambda a=a: kernels.war_values_compiled(*a), rep)
        kernels.PARALLEL_MIN = 0
        thr = _time(lambda a=a: kernels.war_values_compiled(*a), rep)
        print(
            f"{runs:>7}  {npy[0] * 1e3:8.2f}/{npy[1] * 1e3:8.2f}  {ser[0] * 1e3:8.2f}/{ser[1] * 1e3:8.2f}"
            f"  {thr[0] * 1e3:8.2f}/{thr[1] * 1e3:8.2f}   {thr[0] / ser[0]:6.2f}  {thr[1] / ser[1]:6.2f}"
        )
    kernels.PARALLEL_MIN = saved
    sys.stdout.flush()


if __name__ == "__main__":
    main()
