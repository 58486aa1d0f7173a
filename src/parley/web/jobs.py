"""Background jobs of the dashboard: a small thread pool with progress, cancel, limits and persistence.

Every job is a *run*: its request, its record (status, progress, timings) and its outputs live in one
folder ``<results>/dashboard/<run id>/``, so finished runs survive a server restart and a run that was
queued or running when the server stopped is queued again when it starts (at most
:data:`MAX_RESTARTS` times, then it is marked failed).

Cancelling is cooperative: the runner calls :meth:`JobContext.check` between steps (between models,
variants or simulation chunks) and stops there; a queued job is cancelled at once.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: A run interrupted by more server restarts than this is marked failed instead of re-queued.
MAX_RESTARTS = 2

#: Statuses of a run; the last three are final.
ACTIVE = ("queued", "running")
FINAL = ("done", "failed", "cancelled")


@dataclass(frozen=True)
class WebLimits:
    """Limits that keep one dashboard usable by many analysts on a small machine.

    Attributes
    ----------
    max_upload_bytes:
        Largest scenario file accepted by an upload.
    max_runs:
        Most runs kept in the results folder; delete old runs to start new ones.
    max_concurrent_jobs:
        Runs computed at the same time (worker threads).
    max_queued_jobs:
        Runs waiting for a worker; beyond that a new run is refused with a message.
    max_variants:
        Most scenario variants (policies, assumption sets) in one comparison.
    max_mc_runs:
        Most Monte Carlo runs in one analysis run.
    """

    max_upload_bytes: int = 2 * 1024 * 1024
    max_runs: int = 1000
    max_concurrent_jobs: int = 2
    max_queued_jobs: int = 16
    max_variants: int = 16
    max_mc_runs: int = 5000


class LimitError(Exception):
    """A request exceeds one of the :class:`WebLimits`; the message says which and what to do."""


class JobCancelled(Exception):
    """Raised inside a runner by :meth:`JobContext.check` once the user cancelled the run."""


class JobInterrupted(Exception):
    """Raised inside a runner when the server shuts down; the run is queued again at next start."""


class JobContext:
    """What a runner sees of its job: where to write, how to report progress and to notice cancel."""

    def __init__(self, manager: JobManager, run_id: str, out_dir: Path) -> None:
        self._manager = manager
        self.run_id = run_id
        self.out_dir = out_dir
        self._cancel = threading.Event()

    def progress(self, fraction: float, message: str = "") -> None:
        """Record progress in [0, 1] with a short message; also checks for cancel."""
        self._manager._update(
            self.run_id, progress=round(min(max(fraction, 0.0), 1.0), 4), message=message
        )
        self.check()

    def cancelled(self) -> bool:
        """Whether the user asked to cancel this run."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`JobCancelled` if the user asked to cancel this run."""
        if self._cancel.is_set():
            raise JobCancelled()
        if self._manager._interrupt.is_set():
            raise JobInterrupted()


#: A runner computes one run: ``(request, context) -> summary`` (a JSON-serialisable mapping).
Runner = Callable[[dict[str, Any], JobContext], dict[str, Any]]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(f".tmp{threading.get_ident()}")
    tmp.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)


def new_run_id() -> str:
    """A sortable, unguessable run id: ``YYYYmmdd-HHMMSS-xxxxxx``."""
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


class JobManager:
    """Queue, run, cancel and remember dashboard runs.

    Parameters
    ----------
    root:
        Folder that holds one sub-folder per run (created if missing).
    limits:
        The :class:`WebLimits` to enforce.
    runner:
        The function that computes a run (see :data:`Runner`).
    """

    def __init__(self, root: Path, limits: WebLimits, runner: Runner) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.limits = limits
        self._runner = runner
        self._lock = threading.RLock()
        self._records: dict[str, dict[str, Any]] = {}
        self._contexts: dict[str, JobContext] = {}
        self._futures: dict[str, Future[None]] = {}
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, limits.max_concurrent_jobs), thread_name_prefix="parley-run"
        )
        self._closed = False
        self._interrupt = threading.Event()
        self._recover()

    # --- persistence ---------------------------------------------------------------------------

    def _recover(self) -> None:
        """Load every stored run; re-queue the ones a previous server left unfinished."""
        requeue: list[str] = []
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            rec_path, req_path = folder / "record.json", folder / "request.json"
            if not rec_path.is_file() or not req_path.is_file():
                continue
            try:
                record = json.loads(rec_path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                continue
            if not isinstance(record, dict) or record.get("id") != folder.name:
                continue
            self._records[folder.name] = record
            if record.get("status") in ACTIVE:
                if int(record.get("restarts", 0)) >= MAX_RESTARTS:
                    self._update(
                        folder.name,
                        status="failed",
                        error="interrupted by server restarts too often; start it again",
                        finished=_now(),
                    )
                else:
                    self._update(
                        folder.name,
                        status="queued",
                        progress=0.0,
                        message="re-queued after a server restart",
                        restarts=int(record.get("restarts", 0)) + 1,
                    )
                    requeue.append(folder.name)
        for run_id in requeue:
            self._start(run_id)

    def _update(self, run_id: str, **changes: Any) -> dict[str, Any]:
        with self._lock:
            record = dict(self._records[run_id])
            record.update(changes)
            self._records[run_id] = record
            _write_json(self.root / run_id / "record.json", record)
            return dict(record)

    def request(self, run_id: str) -> dict[str, Any]:
        """The stored request of a run (scenario variants, models, options)."""
        data: dict[str, Any] = json.loads(
            (self.root / run_id / "request.json").read_text(encoding="utf-8")
        )
        return data

    # --- queries -------------------------------------------------------------------------------

    def get(self, run_id: str) -> dict[str, Any] | None:
        """The record of a run, or None."""
        with self._lock:
            rec = self._records.get(run_id)
            return dict(rec) if rec is not None else None

    def list(self) -> list[dict[str, Any]]:
        """All run records, newest first."""
        with self._lock:
            return sorted(
                (dict(r) for r in self._records.values()), key=lambda r: r["id"], reverse=True
            )

    def active_count(self) -> tuple[int, int]:
        """``(running, queued)`` counts."""
        with self._lock:
            statuses = [r["status"] for r in self._records.values()]
        return statuses.count("running"), statuses.count("queued")

    def folder(self, run_id: str) -> Path:
        """The folder with the outputs of a run."""
        return self.root / run_id

    # --- commands ------------------------------------------------------------------------------

    def submit(self, request: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
        """Store a new run and queue it; raise :class:`LimitError` when a limit is reached.

        ``info`` holds display fields (kind, label, scenario id and name, models) for the record.
        """
        lim = self.limits
        with self._lock:
            if self._closed:
                raise LimitError("the server is shutting down; try again in a moment")
            if len(self._records) >= lim.max_runs:
                raise LimitError(
                    f"the results folder already holds {len(self._records)} runs, the limit is "
                    f"{lim.max_runs}; delete old runs to start new ones"
                )
            running, queued = self.active_count()
            if running + queued >= lim.max_concurrent_jobs + lim.max_queued_jobs:
                raise LimitError(
                    f"{running} runs are running and {queued} are waiting (limit "
                    f"{lim.max_concurrent_jobs} running + {lim.max_queued_jobs} waiting); wait "
                    "for one to finish or cancel one"
                )
            run_id = new_run_id()
            while (self.root / run_id).exists():
                run_id = new_run_id()
            folder = self.root / run_id
            folder.mkdir(parents=True)
            _write_json(folder / "request.json", request)
            record = {
                **info,
                "id": run_id,
                "status": "queued",
                "progress": 0.0,
                "message": "waiting for a worker",
                "created": _now(),
                "started": None,
                "finished": None,
                "error": None,
                "summary": None,
                "restarts": 0,
            }
            self._records[run_id] = record
            _write_json(folder / "record.json", record)
            self._start(run_id)
            return dict(record)

    def _start(self, run_id: str) -> None:
        ctx = JobContext(self, run_id, self.root / run_id)
        self._contexts[run_id] = ctx
        self._futures[run_id] = self._pool.submit(self._execute, run_id, ctx)

    def _execute(self, run_id: str, ctx: JobContext) -> None:
        with self._lock:
            if self._records[run_id]["status"] != "queued" or ctx.cancelled():
                return
            if self._interrupt.is_set():
                return
            self._update(run_id, status="running", started=_now(), message="started")
        try:
            summary = self._runner(self.request(run_id), ctx)
        except JobCancelled:
            self._update(run_id, status="cancelled", finished=_now(), message="cancelled")
        except JobInterrupted:
            self._update(
                run_id, status="queued", progress=0.0, message="interrupted by a server shutdown"
            )
        except Exception as exc:  # a failing run is reported, never crashes the server
            self._update(
                run_id,
                status="failed",
                finished=_now(),
                error=str(exc) or type(exc).__name__,
                message="failed",
            )
        else:
            self._update(
                run_id,
                status="done",
                progress=1.0,
                finished=_now(),
                message="finished",
                summary=summary,
            )
        finally:
            with self._lock:
                self._contexts.pop(run_id, None)
                self._futures.pop(run_id, None)

    def cancel(self, run_id: str) -> dict[str, Any] | None:
        """Ask a queued or running run to stop; return its record (None if unknown)."""
        with self._lock:
            record = self._records.get(run_id)
            if record is None:
                return None
            if record["status"] not in ACTIVE:
                return dict(record)
            ctx = self._contexts.get(run_id)
            if ctx is not None:
                ctx._cancel.set()
            if record["status"] == "queued":
                return self._update(
                    run_id, status="cancelled", finished=_now(), message="cancelled before start"
                )
            return self._update(run_id, message="cancelling")

    def delete(self, run_id: str) -> bool:
        """Remove a finished run and its outputs; active runs must be cancelled first."""
        with self._lock:
            record = self._records.get(run_id)
            if record is None:
                return False
            if record["status"] in ACTIVE:
                raise LimitError("this run is still active; cancel it before deleting it")
            del self._records[run_id]
        shutil.rmtree(self.root / run_id, ignore_errors=True)
        return True

    def wait(self, run_id: str, timeout: float | None = None) -> dict[str, Any] | None:
        """Block until a run has finished (for tests and scripts); return its record."""
        fut = self._futures.get(run_id)
        if fut is not None:
            fut.result(timeout=timeout)
        return self.get(run_id)

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting runs.

        With ``wait`` the queue is worked off first; without, running runs stop at their next
        check and, like the queued ones, stay queued on disk so that the next server resumes them.
        """
        with self._lock:
            self._closed = True
            if not wait:
                self._interrupt.set()
        self._pool.shutdown(wait=True, cancel_futures=not wait)
