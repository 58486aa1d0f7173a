"""Run every benchmark in ``bench/`` one after the other and print their tables (``make bench``).

Each ``bench_*.py`` script times parley and its peer in the same run and prints the ratio; this
runner only calls them in turn with the same Python, so their output can be pasted into
``docs/performance.md``. Pass script names to run a subset, e.g. ``bench/run_all.py bench_eum``.
Extra options for every script follow ``--``, e.g. ``bench/run_all.py -- --quick``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the selected benchmarks; return the number of scripts that failed."""
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        wanted = {a.removesuffix(".py") for a in argv}
        unknown = wanted - {s.stem for s in scripts}
        if unknown:
            print(f"error: no benchmark named {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        scripts = [s for s in scripts if s.stem in wanted]
    failed = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *extra])
        print(f"=== {script.name}: exit {rc}, {time.perf_counter() - start:.1f} s ===", flush=True)
        failed += rc != 0
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
