"""Range and path checks of command-line options, run before a command starts any work.

Every numeric option has a documented range (``docs/security.md``); a value outside it, a ``--runs``
that would not fit in memory, an output path that is a file where a folder is needed (or the other
way round) or that cannot be written, all end in one line and exit status 2 through
:func:`parley.cli.fail`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from parley.cli import fail
from parley.experiments.store import DEFAULT_RESULTS

if TYPE_CHECKING:
    from parley.scenario.schema import Scenario

#: Largest seed: seeds are stored as signed 64-bit integers in the run catalogue.
MAX_SEED = 2**63 - 1
#: Memory of one simulated run per recorded step (bytes): about 42 measured on the flagship
#: (xarray ``nbytes`` 6.5 kB per run over 156 steps), doubled for the working copies.
SIM_BYTES_PER_STEP = 96
#: Memory of one stored per-run row of a sweep (bytes; about 60 measures of 8 bytes, doubled).
SWEEP_BYTES_PER_ROW = 1024
#: Share of the available memory a command may plan to use.
MEMORY_SHARE = 0.8


def check_int(value: int, option: str, low: int | None = None, high: int | None = None) -> int:
    """``low <= value <= high`` (either bound optional)."""
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            raise fail(f"{option} must be at least {low}, got {value}")
        if low is None:
            raise fail(f"{option} must be at most {high}, got {value}")
        raise fail(f"{option} must lie in [{low}, {high}], got {value}")
    return value


def check_float(
    value: float,
    option: str,
    low: float | None = None,
    high: float | None = None,
    *,
    open_low: bool = False,
) -> float:
    """A finite number with ``low <= value <= high`` (``low < value`` with ``open_low``)."""
    if not math.isfinite(value):
        raise fail(f"{option} must be a finite number, got {value}")
    too_low = low is not None and (value <= low if open_low else value < low)
    if too_low or (high is not None and value > high):
        lo = "(" if open_low else "["
        lo += "-inf" if low is None else f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}]"
        raise fail(f"{option} must lie in {lo}, {hi}, got {value:g}")
    return value


def check_seed(seed: int, option: str = "--seed") -> int:
    """A seed in ``[0, 2**63 - 1]``."""
    return check_int(seed, option, 0, MAX_SEED)


def available_memory() -> int:
    """Bytes of memory available to a new allocation (``MemAvailable`` on Linux)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 1 << 62


def _size(n: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1e} EB"


def check_memory(
    count: int, bytes_each: float, option: str, what: str = "run", value: int | None = None
) -> None:
    """Refuse a request whose estimated memory (``count * bytes_each``) exceeds what is free;
    ``value`` is the option's value when it is not ``count`` itself."""
    need = count * bytes_each
    have = available_memory() * MEMORY_SHARE
    if need > have:
        shown = count if value is None else value
        raise fail(
            f"{option} {shown} would need about {_size(need)} of memory "
            f"({count:.3g} x {_size(bytes_each)} per {what}); about {_size(have)} is available"
        )


def check_sim_runs(runs: int, steps: int, path_every: int = 1, option: str = "--runs") -> None:
    """``--runs`` of a simulation of ``steps`` steps recorded every ``path_every``, within memory."""
    check_int(runs, option, 1)
    recorded = steps // max(1, path_every) + 2
    check_memory(runs, SIM_BYTES_PER_STEP * recorded, option)


def _nearest_existing(path: Path) -> Path:
    probe = path.absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


def check_out_dir(path: Path, option: str) -> Path:
    """A folder to write into: not an existing file, and creatable/writable."""
    if path.exists() and not path.is_dir():
        raise fail(f"{option} {path} is a file; expected a folder")
    base = _nearest_existing(path)
    if not base.is_dir():
        raise fail(f"{option} {path}: {base} is a file, so the folder cannot be created")
    if not os.access(base, os.W_OK | os.X_OK):
        raise fail(f"{option} {path}: no permission to write in {base}")
    return path


def check_out_file(path: Path, option: str) -> Path:
    """A file to write: not an existing folder, in a folder that exists or can be created."""
    if path.is_dir():
        raise fail(f"{option} {path} is a folder; expected a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise fail(f"{option} {path}: no permission to overwrite it")
    check_out_dir(path.absolute().parent, option)
    return path


def check_in_file(path: Path, option: str) -> Path:
    """A file to read: it exists and is a file."""
    if not path.exists():
        raise fail(f"{option} {path}: no such file")
    if path.is_dir():
        raise fail(f"{option} {path} is a folder; expected a file")
    if not os.access(path, os.R_OK):
        raise fail(f"{option} {path}: no permission to read it")
    return path


def parse_windows(spec: str | None) -> tuple[int, ...]:
    """Calibration windows of ``--windows 60,90,120,180`` (days, each at least 21) for
    ``parley backtest`` and ``parley calibrate front``.

    Not given: :data:`parley.analysis.window_stacking.DEFAULT_WINDOWS` (the default chosen by the
    rule in ``docs/calibration.md``); ``none``: the single ``--window`` fit.
    """
    from parley.analysis.window_stacking import DEFAULT_WINDOWS  # noqa: PLC0415

    if spec is None:
        return DEFAULT_WINDOWS
    if spec.strip().lower() == "none":
        return ()
    parts = [p.strip() for p in spec.split(",")]
    if not all(p.isdigit() and int(p) >= 21 for p in parts):
        raise fail(f"--windows must be whole days >= 21 separated by commas, got '{spec}'")
    return tuple(sorted({int(p) for p in parts}))


#: Longest simulated horizon (days): a century.
MAX_HORIZON_DAYS = 36525.0


def check_simulate(
    scenario: Path,
    *,
    out: Path,
    runs: int,
    seed: int,
    horizon: float | None,
    path_every: int,
    front_params: Path | None,
) -> tuple[Scenario, dict[str, Any] | None]:
    """Every option of ``parley simulate`` before any work: ranges, paths, the front-params file
    (:func:`parley.scenario.front_params.load_front_params`) and the memory ``--runs`` needs over
    the scenario's horizon. Returns the loaded scenario and the validated front parameters (or
    ``None``), so the command reads neither file twice."""
    from parley.scenario.front_params import load_front_params  # noqa: PLC0415
    from parley.scenario.load import load_scenario  # noqa: PLC0415

    check_seed(seed)
    check_int(runs, "--runs", 1)
    check_int(path_every, "--path-every", 1)
    if horizon is not None and not 0 < horizon <= MAX_HORIZON_DAYS:  # NaN fails too
        raise fail(
            f"--horizon must be a positive number of days, at most {MAX_HORIZON_DAYS:g}, "
            f"got {horizon:g}"
        )
    check_out_dir(out, "--out")
    front_raw = None
    if front_params is not None:
        check_in_file(front_params, "--front-params")
        front_raw = load_front_params(front_params)
    sc = load_scenario(scenario)
    if sc.war is not None:
        step = sc.war.time.step_days
        steps = sc.war.time.horizon_steps if horizon is None else math.ceil(horizon / step)
        check_sim_runs(runs, steps, path_every)
    return sc, front_raw


def check_sweep(
    *,
    rows: int,
    seed: int,
    results: Path | None,
    workers: int,
    chunk_runs: int,
    option: str = "--runs",
    value: int | None = None,
) -> None:
    """Options shared by ``compare``, ``sensitivity`` and ``discover``: the seed, the results
    folder, workers, chunk size, and the memory of ``rows`` stored per-run rows."""
    check_seed(seed)
    check_int(workers, "--workers", 1, 1024)
    check_int(chunk_runs, "--chunk-runs", 1, 10_000_000)
    if results is not None:
        check_out_dir(results, "--results")
    check_memory(max(rows, 0), SWEEP_BYTES_PER_ROW, option, "stored row", value)


# --- options shared by the sweep commands (compare, sensitivity, discover) ---------------------
# Each is an ``Annotated`` type; a command gives the default: ``workers: WorkersOpt = 2``.

RESULTS_HELP = f"Run store directory (default: $PARLEY_RESULTS or ./{DEFAULT_RESULTS})."
SeedOpt = Annotated[int, typer.Option("--seed", help="Root seed (same seed, same results).")]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="war (default), a stakeholder model.")
]
ExecutorOpt = Annotated[str, typer.Option("--executor", "-e", help="local, process or dask.")]
WorkersOpt = Annotated[
    int, typer.Option("--workers", help="Workers of the process or Dask executor.")
]
SchedulerOpt = Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address.")]
ResultsOpt = Annotated[Path | None, typer.Option("--results", help=RESULTS_HELP)]
ResumeOpt = Annotated[bool, typer.Option("--resume", help="Continue an interrupted identical run.")]
NewRunOpt = Annotated[
    bool,
    typer.Option(
        "--new-run", help="Start a fresh run even with --resume (e.g. after editing the scenario)."
    ),
]
ChunkRunsOpt = Annotated[int, typer.Option("--chunk-runs", help="Runs per stored chunk.")]
ProgressOpt = Annotated[bool | None, typer.Option("--progress/--no-progress", help="Progress bar.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table or json.")]
ScoreBlocksOpt = Annotated[
    int,
    typer.Option(
        "--score-blocks",
        min=1,
        help="28-day blocks before the origin that the window weights are fitted on.",
    ),
]
WindowsOpt = Annotated[
    str | None,
    typer.Option(
        "--windows",
        help="Stacking mixture of fits on these windows (days; default 60,90,120,180); "
        "'none': the single --window fit.",
    ),
]
