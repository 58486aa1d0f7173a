"""The dashboard's war run on the flagship against the sweep of ``parley compare`` it is built on.

A dashboard war run (:func:`parley.web.war_run.run_war`) checks the request
(:func:`parley.web.war_check.check_war_run`: the design and ``compile_war`` on every chunk), runs
the sweep of ``parley compare`` (same design, same seed), then summarises it with the report's
functions, simulates the front fan and renders the report's figures and HTML. The peer is that
sweep alone (:func:`parley.analysis.workflows.compare` with the war outcome model), timed in the
same process on the same sizes; the table gives both wall times, their ratio, the check's share,
and confirms that both gave the same per-run rows.

Usage::

    .venv/bin/python bench/bench_web_war.py              # 4 policies x 6 sets x 100 runs
    .venv/bin/python bench/bench_web_war.py --runs 20    # smaller
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from parley.analysis.workflows import RunOptions, compare
from parley.experiments.war_outcomes import WAR_OUTCOMES_MODEL as MODEL
from parley.scenario import load_scenario
from parley.scenario.report_settings import named_combos
from parley.seeds import DEFAULT_SEED
from parley.web.war_check import check_war_run
from parley.web.war_run import run_war

FLAGSHIP = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine-2022-11.yaml"


class _Quiet:
    """A job context that only records how often progress was reported."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.reports = 0

    def progress(self, fraction: float, message: str = "") -> None:
        self.reports += 1

    def check(self) -> None:
        return None


def main() -> None:
    """Time both and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=100, help="runs per policy and set")
    args = ap.parse_args()
    sc = load_scenario(FLAGSHIP)
    assert sc.experiment is not None
    policies = list(sc.experiment.policies)
    combos = {k: v for k, v in named_combos(sc).items() if k != "baseline"}
    data = sc.model_dump(mode="json")
    # warm the simulator's compiled kernels so neither side pays for them
    compare(sc, policies[:2], RunOptions(model=MODEL), combos=[()], runs=2, seed=1)

    t0 = time.perf_counter()
    plan, errors = check_war_run(data, policies, list(combos), args.runs, DEFAULT_SEED)
    t_check = time.perf_counter() - t0
    assert plan is not None, errors
    request = {"variants": [{"name": "baseline", "scenario": data}], "policies": policies,
               "assumptions": list(combos), "n_runs": args.runs, "seed": DEFAULT_SEED}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        ctx = _Quiet(Path(tmp))
        t0 = time.perf_counter()
        run_war(request, ctx)  # type: ignore[arg-type]
        t_web = time.perf_counter() - t0
        web = pd.read_parquet(Path(tmp) / "runs.parquet")
    t0 = time.perf_counter()
    result = compare(sc, policies, RunOptions(model=MODEL), combos=list(combos.values()),
                     runs=args.runs, seed=DEFAULT_SEED)  # fmt: skip
    t_cli = time.perf_counter() - t0
    cli = result.sweep.frame
    same = np.array_equal(
        web["territory_after_km2"].to_numpy(float), cli["territory_after_km2"].to_numpy(float)
    )
    cells = len(policies) * len(combos)
    print(f"flagship: {len(policies)} policies x {len(combos)} sets = {cells} cells, "
          f"{args.runs} runs each; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print("| what | wall s |")
    print("|---|---|")
    print(f"| parley compare sweep (the peer) | {t_cli:.2f} |")
    print(f"| dashboard war run (check, sweep, fan, tables, figures, report) | {t_web:.2f} |")
    print(f"| of which the check before the run | {t_check:.2f} |")
    print(f"ratio dashboard / compare: {t_web / t_cli:.2f}; progress reports: {ctx.reports}; "
          f"same per-run rows: {same}")  # fmt: skip


if __name__ == "__main__":
    main()
