"""Calibration of the front-forecasting method on data simulated from known parameters.

Not a timing: the numbers of ``docs/calibration.md`` ("Calibration of the method"). 40 series of
300 days each are simulated from the regime process of ``tests/analysis/test_backtest.py``
(``TRUE``) with one of three drifts — constant, a random-walk local level (daily sd 1), or a
drift that reverts towards 0 (θ = 0.02 per day, innovation sd 2; daily Euler steps, independent of
parley's exact step) — fitted on their first 240 days by ``parley backtest``'s pipeline and
forecast 8 weeks ahead (1,000 runs), single window or the window mixture. Prints, per truth and
model, the mean WIS, its ratio to the random walk, the 50/80/90 % coverage and the mean PIT.

    .venv/bin/python bench/method_calibration.py [--truth constant|local|reverting] [--mixture]
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "analysis"))
sys.path.insert(0, str(ROOT / "tests"))

import test_backtest as truth_model  # noqa: E402

from parley.analysis import backtest as bt  # noqa: E402
from parley.analysis.window_stacking import DEFAULT_WINDOWS  # noqa: E402
from parley.war.front import front_step  # noqa: E402


def reverting_paths(
    n: int, days: int, seed: int, theta: float = 0.02, q: float = 2.0
) -> np.ndarray:
    """Daily paths of ``TRUE`` whose positional drift (3 km²/day) reverts towards 0: a deviation
    ``d ← d − θ(d + 3) + q·Z`` added every day, started from its stationary law."""
    rng = np.random.default_rng(seed)
    area = np.full(n, 100_000.0)
    regime = rng.choice([0, 2, 3, 4], size=n, p=[0.7, 0.05, 0.05, 0.2])
    dev = rng.normal(-3.0, q / np.sqrt(2 * theta), n)
    out = [area]
    for _ in range(days - 1):
        area, regime = front_step(area, regime, 0.0, truth_model.TRUE, 1.0, rng)
        dev = dev - theta * (dev + 3.0) + q * rng.standard_normal(n)
        area = area + dev
        out.append(area)
    return np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--truth", default="reverting", choices=["constant", "local", "reverting"])
    parser.add_argument("--mixture", action="store_true")
    args = parser.parse_args()
    if args.truth == "reverting":
        paths = reverting_paths(40, 300, 11)
    else:
        paths = truth_model._paths(40, 300, seed=11, q=1.0 if args.truth == "local" else 0.0)
    origin = truth_model.START + timedelta(days=240)
    windows = DEFAULT_WINDOWS if args.mixture else ()
    rows = [
        bt.forecast_origin(
            truth_model._series(paths[:, j]), origin, 56, runs=1000, seed=j, windows=windows
        ).scores
        for j in range(paths.shape[1])
    ]
    scores = pd.concat(rows)
    rw = scores[scores["model"] == "rw"]["wis"].mean()
    for model, g in scores.groupby("model"):
        print(
            f"truth={args.truth} mixture={args.mixture} {model:<12} wis={g['wis'].mean():7.0f} "
            f"ratio={g['wis'].mean() / rw:.2f} cover50={g['cover50'].mean():.2f} "
            f"cover80={g['cover80'].mean():.2f} cover90={g['cover90'].mean():.2f} "
            f"pit={g['pit'].mean():.2f}"
        )


if __name__ == "__main__":
    main()
