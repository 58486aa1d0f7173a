"""Share of COP21 runs whose final outcomes fall inside the Decide reference's ranges.

The exchange specification (§12.3) prints, for three COP21 issues, the range of the final
preference outcome over ten 10-round runs of the Decide reference implementation (random tie
breaks, ``random.seed(1..10)``). This script runs parley's equal-gain model (and, with ``--loop``,
the plain per-exchange implementation ``bench/exchange_loop.py``) for many seeds with Python's
``random.Random(seed)`` as the tie stream and prints, per issue, the share of runs inside the
reference's range (bounds widened by 0.05, the rounding of the printed figures).

    .venv/bin/python bench/exchange_fidelity.py [--seeds 100] [--loop]
"""

from __future__ import annotations

import argparse
import random
import sys
from importlib import resources
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import exchange_loop  # noqa: E402

from parley.negotiation.exchange import ExchangeOptions, run_round_batch  # noqa: E402
from parley.scenario.arrays import stakeholder_batch  # noqa: E402
from parley.scenario.importers.exchange import load_exchange  # noqa: E402

#: Decide reference, ten runs: min and max of the final preference outcome (spec §12.3).
REFERENCE = {"finance_vol": (77.2, 80.6), "eaa": (16.4, 23.1), "adapt_legal": (79.21, 79.40)}
ROUNDS = 10


def cop21() -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Positions (0-100), saliences, power, issue ids and weights of the COP21 case."""
    text = (resources.files("parley.data") / "exchange" / "cop21.csv").read_text(encoding="utf-8")
    batch = stakeholder_batch(load_exchange(text, "cop21.csv"))
    x = batch.position[0]
    c = np.broadcast_to(batch.capability[0][:, None], x.shape).copy()
    return x, batch.salience[0], c, list(batch.issue_ids[0]), np.nan_to_num(batch.salience[0]) * c


def parley_finals(seeds: list[int]) -> np.ndarray:
    """Final preference outcomes ``(runs, issues)``, all seeds in one lockstep batch."""
    x, s, c, _, w = cop21()
    n = len(seeds)
    cur = np.broadcast_to(x, (n, *x.shape)).copy()
    ss, cs = np.broadcast_to(s, cur.shape).copy(), np.broadcast_to(c, cur.shape).copy()
    rngs = [random.Random(k) for k in seeds]
    for _ in range(ROUNDS):
        cur = np.stack([r.end for r in run_round_batch(cur, ss, cs, ExchangeOptions(), rngs)])
    out: np.ndarray = (cur * w).sum(axis=1) / w.sum(axis=0)
    return out


def loop_finals(seeds: list[int]) -> np.ndarray:
    """The same with the plain per-exchange implementation, one run after the other."""
    x, s, c, _, w = cop21()
    rows = []
    for k in seeds:
        states, _ = exchange_loop.run(
            x.tolist(), s.tolist(), c.tolist(), ROUNDS, seed=k, duplicates=True
        )
        rows.append((np.array(states[-1]) * w).sum(axis=0) / w.sum(axis=0))
    return np.array(rows)


def report(label: str, finals: np.ndarray, issues: list[str]) -> None:
    """Print the share of runs inside each reference range."""
    total = 0
    for name, (lo, hi) in REFERENCE.items():
        v = finals[:, issues.index(name)]
        inside = int(((v >= lo - 0.05) & (v <= hi + 0.05)).sum())
        total += inside
        print(
            f"| {label} | {name} | {lo}–{hi} | {v.min():.2f}–{v.max():.2f} "
            f"| {np.median(v):.2f} | {inside}/{v.size} |"
        )
    print(f"| {label} | all three | | | | {total}/{finals.size // len(issues) * 3} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--loop", action="store_true")
    args = ap.parse_args()
    seeds = list(range(1, args.seeds + 1))
    issues = cop21()[3]
    print("| implementation | issue | reference range | runs min–max | median | runs inside |")
    print("|---|---|---|---|---|---|")
    ours = parley_finals(seeds)
    report("parley", ours, issues)
    if args.loop:
        theirs = loop_finals(seeds)
        report("plain loop", theirs, issues)
        diff = float(np.nanmax(np.abs(ours - theirs)))
        print(f"\nlargest difference of a run's final outcome, parley vs plain loop: {diff:.1e}")


if __name__ == "__main__":
    main()
