"""Sweeps: evaluate a design chunk by chunk, store each chunk, resume, show progress, stop cleanly.

A sweep splits a :class:`~parley.experiments.design.Design` into chunks (a range of points of one
cell, each point with its Monte Carlo replicates, evaluated by one vectorised model call), hands
them to an evaluator (local, process pool or Dask), and writes each completed chunk to the run
store at once. Because every chunk carries its own seed, a sweep that was interrupted — by Ctrl-C
or by ``kill -9`` — and resumed with ``resume=True`` recomputes only the missing chunks and ends
with results identical to an uninterrupted sweep.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parley.experiments.design import Design
from parley.experiments.evaluators import Evaluator, ProcessEvaluator, make_evaluator
from parley.experiments.manifest import build_manifest, now, parley_version, scenario_hash
from parley.experiments.models import ExperimentModel, resolve_model, tidy_runs
from parley.experiments.store import RunStore
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario


class GuardedProcessEvaluator(ProcessEvaluator):
    """The process-pool evaluator whose workers exit when the sweep's process dies.

    A worker blocks on the pool's task queue, whose pipe it inherited with both ends open, so
    the death of the parent (``kill -9``) never reaches it; :func:`_lifeline` watches the parent
    instead.
    """

    def __init__(self, workers: int = 2) -> None:
        self.workers = max(1, workers)
        self._pool = cf.ProcessPoolExecutor(
            max_workers=self.workers, initializer=_lifeline, initargs=(os.getpid(),)
        )


#: How often a pool worker checks that the sweep's process is still alive (seconds).
LIFELINE_POLL_S = 0.2


def _lifeline(parent: int) -> None:
    """Worker initialiser: ignore Ctrl-C (the parent stops the sweep and keeps its chunks) and
    exit as soon as the parent process is gone (the worker is re-parented)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(LIFELINE_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parley-lifeline").start()


def check_resumable(manifest: dict[str, Any], scenario: Scenario) -> None:
    """Refuse to resume a run made from another scenario or another parley version: its stored
    chunks would be mixed with chunks of this one. ``--new-run`` starts a fresh run instead."""
    run_id = manifest.get("run_id")
    if manifest.get("scenario_hash") != scenario_hash(scenario):
        raise ScenarioError(
            f"run {run_id} was made from a different version of this scenario (it has been "
            "edited since); use --new-run to start a fresh run",
            field="--resume",
        )
    if manifest.get("parley_version") != parley_version():
        raise ScenarioError(
            f"run {run_id} was made by parley {manifest.get('parley_version')}, this is "
            f"{parley_version()}; use --new-run to start a fresh run",
            field="--resume",
        )


class SweepInterrupted(Exception):
    """Raised when Ctrl-C stops a sweep; completed chunks are kept in the store."""

    def __init__(self, run_id: str | None, done: int, total: int) -> None:
        self.run_id, self.done, self.total = run_id, done, total
        msg = f"interrupted after {done} of {total} chunks"
        if run_id:
            msg += f"; completed chunks are kept in run {run_id} (rerun with --resume)"
        super().__init__(msg)


@dataclass(frozen=True)
class ChunkTask:
    """Everything one worker needs to evaluate one chunk (picklable)."""

    index: int
    scenario: Scenario
    model: str | ExperimentModel
    model_options: tuple[tuple[str, Any], ...]
    params: dict[str, np.ndarray]
    n_runs: int
    seed: np.random.SeedSequence
    cell: str
    policy: str
    assumptions: str
    first_point: int
    runs_per_point: int


def run_chunk(task: ChunkTask) -> tuple[pd.DataFrame, float]:
    """Evaluate one chunk; return its tidy per-run rows and the compute seconds."""
    t0 = time.perf_counter()
    model = resolve_model(task.model) if isinstance(task.model, str) else task.model
    ds = model(task.scenario, task.params, task.n_runs, task.seed, **dict(task.model_options))
    df = tidy_runs(ds)
    if len(df) != task.n_runs:
        raise ValueError(f"model returned {len(df)} runs, expected {task.n_runs}")
    k = np.arange(task.n_runs)
    meta = pd.DataFrame(
        {
            "chunk": np.full(task.n_runs, task.index, dtype=np.int64),
            "cell": task.cell,
            "policy": task.policy,
            "assumptions": task.assumptions,
            "point": task.first_point + k // task.runs_per_point,
            "replicate": k % task.runs_per_point,
            "run": task.first_point * task.runs_per_point + k,
        }
    )
    return pd.concat([meta, df], axis=1), time.perf_counter() - t0


@dataclass(frozen=True)
class SweepResult:
    """The rows of a sweep (one per run), its design and, if stored, its run id and manifest."""

    frame: pd.DataFrame
    design: Design
    run_id: str | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    def points(self) -> pd.DataFrame:
        """Parameter values of every design point in every cell."""
        return design_points(self.design)


def design_points(design: Design) -> pd.DataFrame:
    """Tidy table of the design: one row per (cell, point) with every parameter's value."""
    frames = []
    for c, cell in enumerate(design.cells):
        vals = design.values(c)
        df = pd.DataFrame(vals, columns=list(design.names))
        df.insert(0, "point", np.arange(design.n_points))
        df.insert(0, "assumptions", "+".join(cell.assumptions))
        df.insert(0, "policy", cell.policy)
        df.insert(0, "cell", cell.label)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def _tasks(
    scenario: Scenario,
    design: Design,
    model: str | ExperimentModel,
    options: Mapping[str, Any],
    indices: list[int],
) -> list[ChunkTask]:
    out = []
    for i in indices:
        c, start, stop = design.chunk(i)
        cell = design.cells[c]
        out.append(
            ChunkTask(
                index=i,
                scenario=scenario,
                model=model,
                model_options=tuple(sorted(options.items())),
                params=design.chunk_params(i),
                n_runs=(stop - start) * design.runs_per_point,
                seed=design.chunk_seed(i),
                cell=cell.label,
                policy=cell.policy,
                assumptions="+".join(cell.assumptions),
                first_point=start,
                runs_per_point=design.runs_per_point,
            )
        )
    return out


def run_sweep(
    scenario: Scenario,
    design: Design,
    model: str | ExperimentModel,
    *,
    model_options: Mapping[str, Any] | None = None,
    executor: str | Evaluator = "local",
    workers: int = 2,
    scheduler: str | None = None,
    results: str | Path | None = None,
    resume: bool = False,
    progress: bool = False,
    kind: str = "sweep",
) -> SweepResult:
    """Evaluate every chunk of ``design`` with ``model`` and return the per-run rows.

    With ``results`` the run is stored (manifest, points, one Parquet file per chunk, a catalogue
    row); with ``resume=True`` the latest unfinished run of the same design is continued. Ctrl-C
    raises :class:`SweepInterrupted` after marking the run ``interrupted``.
    """
    options = dict(model_options or {})
    model_name = model if isinstance(model, str) else f"{model.__module__}:{model.__qualname__}"
    store = RunStore(results) if results is not None else None
    run_id: str | None = None
    manifest: dict[str, Any] = {}
    done: set[int] = set()
    frames: dict[int, pd.DataFrame] = {}
    own = isinstance(executor, str)
    if executor == "process":
        ev: Evaluator = GuardedProcessEvaluator(workers)
    elif isinstance(executor, str):
        ev = make_evaluator(executor, workers=workers, scheduler=scheduler)
    else:
        ev = executor
    key = design.key() + "-" + model_name
    if store is not None:
        run_id = store.find_resumable(key) if resume else None
        if run_id is not None:
            manifest = store.manifest(run_id)
            check_resumable(manifest, scenario)
            store.clean_stale(run_id)
            done = store.done_chunks(run_id)
            manifest["status"] = "running"
            manifest.setdefault("resumed", []).append(now())
        else:
            run_id = store.new_run_id(kind)
            manifest = build_manifest(
                run_id=run_id,
                kind=kind,
                scenario=scenario,
                design=design.describe(),
                design_key=key,
                model=model_name,
                model_options=options,
                executor=ev.describe(),
                n_chunks=design.n_chunks,
            )
            store.register(manifest)
            store.write_points(run_id, design_points(design))
    todo = [i for i in range(design.n_chunks) if i not in done]
    tasks = _tasks(scenario, design, model, options, todo)
    timings: dict[str, Any] = manifest.setdefault("timings", {})
    compute: list[float] = []
    store_s: list[float] = []
    t0 = time.perf_counter()
    bar = _progress(progress, design.n_chunks, len(done))
    try:
        for pos, (frame, secs) in ev.imap_unordered(run_chunk, tasks):
            idx = tasks[pos].index
            compute.append(secs)
            if store is not None and run_id is not None:
                store_s.append(store.write_chunk(run_id, idx, frame))
            else:
                frames[idx] = frame
            if bar is not None:
                bar[0].advance(bar[1])
    except KeyboardInterrupt:
        if store is not None and run_id is not None:
            manifest["status"] = "interrupted"
            n_done = len(store.done_chunks(run_id))
            store.update(run_id, manifest, status="interrupted", n_done=n_done)
        else:
            n_done = len(frames)
        raise SweepInterrupted(run_id, n_done, design.n_chunks) from None
    finally:
        if bar is not None:
            bar[0].stop()
        if own:
            ev.close()
    wall = time.perf_counter() - t0
    timings.update(
        {
            "wall_s": round(wall, 6),
            "chunks_computed": len(compute),
            "compute_s_per_chunk": float(np.mean(compute)) if compute else 0.0,
            "store_s_per_chunk": float(np.mean(store_s)) if store_s else 0.0,
        }
    )
    if store is not None and run_id is not None:
        manifest["status"] = "complete"
        manifest["finished"] = now()
        store.update(
            run_id,
            manifest,
            status="complete",
            n_done=design.n_chunks,
            finished=manifest["finished"],
            wall_s=wall,
        )
        frame = store.load(run_id)
    else:
        frame = pd.concat([frames[i] for i in sorted(frames)], ignore_index=True)
        frame = frame.sort_values(["chunk", "run"], ignore_index=True)
    return SweepResult(frame=frame, design=design, run_id=run_id, manifest=manifest)


def _progress(enabled: bool, total: int, completed: int) -> tuple[Any, Any] | None:
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("chunks"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        transient=False,
        console=Console(stderr=True),  # stdout stays clean for --format json
    )
    bar.start()
    task = bar.add_task("sweep", total=total, completed=completed)
    return bar, task
