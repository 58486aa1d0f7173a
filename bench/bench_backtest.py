"""Benchmark of ``parley backtest`` (issue target: 12 origins x 2,000 runs in under 2 minutes).

Times :func:`parley.analysis.backtest.run_backtest` on the shipped DeepState series, 12 origins
from 15 June 2022 every 12 days, horizons to the end of the file, 2,000 runs per origin (the
offensive fit, the simulation and all scores), and, in the same run, the peer: the first
rolling-origin check of the project (:func:`parley.analysis.front_backtest.backtest_front`, the
two-regime maximum-likelihood fit with the same runs at the same origins, scoring only coverage).
Prints both times and their ratio, the time of the fits alone, the time of the window mixture
(``--windows 60,90,120,180``, the front-only default of ``parley backtest``: up to eight fits per
origin), and the time of the same backtest run through the war engine of the flagship scenario (``--policy support_then_negotiate
--assumptions baseline``).

    .venv/bin/python bench/bench_backtest.py
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import best_of  # noqa: E402

from parley.analysis.backtest import run_backtest, scores_table, summary_table  # noqa: E402
from parley.analysis.engine_forecast import EngineSpec  # noqa: E402
from parley.analysis.front_backtest import backtest_front  # noqa: E402
from parley.analysis.front_offensive import fit_front_offensive  # noqa: E402
from parley.analysis.window_stacking import DEFAULT_WINDOWS  # noqa: E402
from parley.cli.calibrate import read_series  # noqa: E402
from parley.scenario.load import load_scenario  # noqa: E402

FLAGSHIP = HERE.parent / "scenarios" / "ukraine-2022-11.yaml"
DATA = HERE.parent / "src" / "parley" / "data" / "ukraine" / "occupied_area_daily_deepstate.csv"
ORIGINS = [date(2022, 6, 15) + timedelta(days=12 * k) for k in range(12)]
START = date(2022, 5, 15)


def main() -> None:
    series = read_series(DATA, "occupied_total_km2")
    print(f"load average before: {os.getloadavg()}")
    fit_front_offensive(series, ORIGINS[0], start=START)  # compile the filter once
    t_fit0 = time.perf_counter()
    for o in ORIGINS:
        fit_front_offensive(series, o, start=START)
    t_fit = time.perf_counter() - t_fit0
    t_new, results = best_of(
        lambda: run_backtest(series, ORIGINS, 150, runs=2000, seed=1, start=START), 1
    )
    t_mix, mixed = best_of(
        lambda: run_backtest(
            series, ORIGINS, 150, runs=2000, seed=1, start=START, windows=DEFAULT_WINDOWS
        ),
        1,
    )
    horizons = [h for h in range(7, 150, 7)]
    t_old, _ = best_of(
        lambda: backtest_front(series, ORIGINS, horizons_days=horizons, runs=2000, seed=1), 1
    )
    spec = EngineSpec(load_scenario(FLAGSHIP), "support_then_negotiate", "baseline")
    t_eng, _ = best_of(
        lambda: run_backtest(
            series, ORIGINS, 150, runs=2000, seed=1, start=START, area_max=135787.0, engine=spec
        ),
        1,
    )
    summary = summary_table(scores_table(results))
    print(f"load average after: {os.getloadavg()}")
    print(f"parley backtest, 12 origins x 2000 runs (fit + simulate + score): {t_new:.1f} s")
    print(f"  of which the 12 offensive fits: {t_fit:.1f} s")
    print(f"window mixture (--windows 60,90,120,180, the CLI default): {t_mix:.1f} s")
    print(f"peer: two-regime backtest_front, same origins and runs: {t_old:.1f} s")
    print(f"ratio parley / peer: {t_new / t_old:.2f}")
    print(f"through the war engine (flagship, support_then_negotiate, baseline): {t_eng:.1f} s")
    print(summary[["model", "wis_ratio_rw", "cover90"]].to_string(index=False))
    mix = summary_table(scores_table(mixed))
    print("window mixture:")
    print(mix[["model", "wis_ratio_rw", "cover90"]].to_string(index=False))


if __name__ == "__main__":
    main()
