"""Sobol' sensitivity of the flagship scenario: in-process versus a 2-worker Dask LocalCluster.

The workload of issue 5: Sobol' first-order and total indices of the flagship scenario
(``scenarios/ukraine-2022-11.yaml``) over 12 of its uncertain parameters (the first 12 in the
file's ``experiment.uncertainties``), on a Saltelli design of ``--base`` base samples (``N (d + 2)``
points) with ``--runs`` war simulations per point, stored chunk by chunk in a run store.

The same design runs twice in this process, on the in-process evaluator and on a Dask
``LocalCluster`` of two single-threaded worker processes; the table gives both wall times, their
ratio, the parallel efficiency ``T_local / (workers x T_dask)``, the store's overhead per chunk
(writing one Parquet file atomically, measured around each write) and checks that both executors
gave identical rows. ``--fraction`` runs a share of the base samples (a documented fraction of
the full workload) and extrapolates the wall times linearly in the number of runs.

Usage::

    .venv/bin/python bench/bench_sobol.py                  # full size: 1,024 x 14 points x 100 runs
    .venv/bin/python bench/bench_sobol.py --fraction 0.125 # 128 base samples, extrapolated
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from parley.analysis.sensitivity import sobol
from parley.analysis.workflows import point_outcomes
from parley.experiments.design import make_design
from parley.experiments.evaluators import DaskEvaluator
from parley.experiments.store import RunStore
from parley.experiments.sweep import run_sweep
from parley.scenario import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine-2022-11.yaml"
OUTCOME = "settled_by_365d"


def _differences(a: pd.DataFrame, b: pd.DataFrame) -> str:
    """Which columns differ between two result frames, and by how much."""
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return (
            f" (shapes {a.shape} vs {b.shape}; columns equal: {list(a.columns) == list(b.columns)})"
        )
    bad = [c for c in a.columns if a[c].dtype != b[c].dtype or not a[c].equals(b[c])]
    dtypes = {c: f"{a[c].dtype}/{b[c].dtype}" for c in bad if a[c].dtype != b[c].dtype}
    worst = {}
    for c in bad:
        if a[c].dtype.kind in "biuf" and b[c].dtype.kind in "biuf":
            x, y = a[c].to_numpy(float), b[c].to_numpy(float)
            neq = ~((x == y) | (np.isnan(x) & np.isnan(y)))
            worst[c] = (int(neq.sum()), float(np.nanmax(np.abs(x - y))) if neq.any() else 0.0)
    return f" (differing columns: {bad}; dtypes {dtypes}; (rows, max abs diff) {worst})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=1024, help="Saltelli base samples N (full: 1024)")
    ap.add_argument("--runs", type=int, default=100, help="simulations per design point")
    ap.add_argument("--params", type=int, default=12, help="uncertain parameters")
    ap.add_argument("--fraction", type=float, default=1.0, help="share of the base samples run")
    ap.add_argument("--chunk-runs", type=int, default=2000, help="runs per chunk")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    sc = load_scenario(FLAGSHIP)
    spec = sc.experiment
    assert spec is not None
    names = list(spec.uncertainties)[: args.params]
    spec12 = spec.model_copy(
        update={"uncertainties": {k: spec.uncertainties[k] for k in names}, "correlations": []}
    )
    sc12 = sc.model_copy(update={"experiment": spec12})
    n_base = max(2, int(round(args.base * args.fraction)))
    d = len(names)
    chunk_points = max(1, args.chunk_runs // args.runs)
    design = make_design(
        sc12,
        method="saltelli",
        n_points=n_base,
        runs_per_point=args.runs,
        chunk_points=chunk_points,
        seed=args.seed,
    )
    n_runs = design.n_points * args.runs
    full_runs = args.base * (d + 2) * args.runs
    print(
        f"Sobol' design: d={d}, N={n_base} base samples ({design.n_points} points) x {args.runs} "
        f"runs = {n_runs:,} war simulations in {design.n_chunks} chunks of {chunk_points * args.runs}"
    )
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores (shared with other jobs)")

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        local = run_sweep(sc12, design, "war", results=Path(tmp) / "local", kind="bench")
        t_local = time.perf_counter() - t0
        tl = local.manifest["timings"]

        t0 = time.perf_counter()
        ev = DaskEvaluator(workers=args.workers, processes=True)
        t_start = time.perf_counter() - t0
        try:
            t0 = time.perf_counter()
            dask = run_sweep(sc12, design, "war", executor=ev, results=Path(tmp) / "dask")
            t_dask = time.perf_counter() - t0
        finally:
            ev.close()
        td = dask.manifest["timings"]
        identical = local.frame.equals(dask.frame)
        diff_note = "" if identical else _differences(local.frame, dask.frame)
        chunk_bytes = np.mean(
            [
                p.stat().st_size
                for p in (RunStore(Path(tmp) / "local").run_dir(str(local.run_id)) / "chunks").glob(
                    "*.parquet"
                )
            ]
        )

        t0 = time.perf_counter()
        y, noise = point_outcomes(local.frame, OUTCOME, ["baseline"])
        res = sobol(y, list(design.names), noise_share=noise, seed=args.seed)
        t_an = time.perf_counter() - t0

    scale = full_runs / n_runs
    eff = t_local / (args.workers * t_dask)
    rows = [
        ("in-process (local)", t_local, tl["compute_s_per_chunk"], tl["store_s_per_chunk"]),
        (
            f"Dask LocalCluster, {args.workers} workers",
            t_dask,
            td["compute_s_per_chunk"],
            td["store_s_per_chunk"],
        ),
    ]
    print()
    print(
        f"{'executor':<32} {'wall s':>9} {'full-size s':>12} {'compute s/chunk':>16} "
        f"{'store s/chunk':>14} {'store %':>8}"
    )
    for name, wall, comp, store_s in rows:
        print(
            f"{name:<32} {wall:>9.1f} {wall * scale:>12.0f} {comp:>16.3f} {store_s:>14.4f} "
            f"{100 * store_s / comp:>7.2f}%"
        )
    print(f"Dask cluster start-up: {t_start:.1f} s (not in the wall time above)")
    print(f"ratio local / dask: {t_local / t_dask:.2f}x; parallel efficiency: {100 * eff:.0f}%")
    print(
        f"identical rows on both executors: {identical}{diff_note}; mean chunk file "
        f"{chunk_bytes / 1e3:.0f} kB"
    )
    if scale != 1:
        print(
            f"fraction run: {1 / scale:.4f} of the full workload; 'full-size s' = wall x {scale:.2f}"
        )
    print(f"Sobol' analysis of '{OUTCOME}' (SALib, 200 bootstrap resamples): {t_an:.1f} s")
    print(f"Monte Carlo noise share of the output variance: {100 * noise:.1f}%")
    table = res.table.sort_values("ST", ascending=False)
    print(table[["parameter", "S1", "S1_conf", "ST", "ST_conf"]].round(3).to_string(index=False))
    for note in res.notes:
        print("note:", note)


if __name__ == "__main__":
    main()
