"""Evaluators: run independent chunk tasks in-process, in a local process pool, or on Dask.

All three share one interface (a context manager with :meth:`Evaluator.imap_unordered`, in the
spirit of EMA Workbench's evaluators): they take a picklable top-level function and a list of
tasks, and yield ``(position, result)`` pairs as tasks complete. Results depend only on the task
(every chunk carries its own seed), so whichever evaluator runs a sweep, its results are identical.

- ``local``: a plain loop in this process (each task is itself vectorised over runs).
- ``process``: :class:`concurrent.futures.ProcessPoolExecutor` with ``workers`` processes.
- ``dask``: a ``distributed.Client`` connected to ``scheduler`` (an address such as
  ``tcp://10.0.0.5:8786``), or to a fresh ``LocalCluster`` of ``workers`` single-threaded workers
  when no address is given (``processes=False`` runs the workers as threads, which starts fastest).
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any

EXECUTORS = ("local", "process", "dask")


class Evaluator:
    """Base class: a context manager that maps a function over tasks."""

    name = "base"

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release workers (nothing to do for the local evaluator)."""

    def imap_unordered(
        self, fn: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        """Yield ``(position in tasks, fn(task))`` as each task completes."""
        for k, task in enumerate(tasks):
            yield k, fn(task)

    def describe(self) -> dict[str, Any]:
        """What ran the sweep (for the manifest)."""
        return {"executor": self.name}


def _ignore_sigint() -> None:
    """Worker initialiser: Ctrl-C reaches the whole process group, but only the parent should
    react (it stops the sweep and keeps the stored chunks); workers finish their chunk quietly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalEvaluator(Evaluator):
    """Evaluate tasks one after another in this process."""

    name = "local"


class ProcessEvaluator(Evaluator):
    """Evaluate tasks in a pool of ``workers`` local processes."""

    name = "process"

    def __init__(self, workers: int = 2) -> None:
        self.workers = max(1, workers)
        self._pool = cf.ProcessPoolExecutor(max_workers=self.workers, initializer=_ignore_sigint)

    def imap_unordered(
        self, fn: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        futures = {self._pool.submit(fn, t): k for k, t in enumerate(tasks)}
        try:
            for fut in cf.as_completed(futures):
                yield futures[fut], fut.result()
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "workers": self.workers}


class DaskEvaluator(Evaluator):
    """Evaluate tasks on a Dask distributed cluster (a ``LocalCluster`` if no address is given)."""

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int = 2,
        processes: bool = True,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - optional dependency
            from parley.scenario.errors import ScenarioError

            raise ScenarioError(
                "the dask executor needs dask[distributed]; pip install 'parley[dask]'"
            ) from None
        self.scheduler = scheduler
        self.workers = workers
        self._cluster: Any = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)

    def imap_unordered(
        self, fn: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        futures = [self._client.submit(fn, t, pure=False) for t in tasks]
        pos = {f.key: k for k, f in enumerate(futures)}
        try:
            for fut in as_completed(futures):
                yield pos[fut.key], fut.result()
        finally:
            self._client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def describe(self) -> dict[str, Any]:
        workers = self.workers
        if self.scheduler:  # a remote cluster: count the workers it has now
            try:
                workers = len(self._client.scheduler_info().get("workers", {}))
            except Exception:  # pragma: no cover - a scheduler that went away
                workers = -1
        return {
            "executor": self.name,
            "scheduler": self.scheduler or "LocalCluster",
            "workers": workers,
        }


def make_evaluator(
    kind: str, *, workers: int = 2, scheduler: str | None = None, processes: bool = True
) -> Evaluator:
    """Build the evaluator named ``kind`` (``local``, ``process`` or ``dask``)."""
    if kind == "local":
        return LocalEvaluator()
    if kind == "process":
        return ProcessEvaluator(workers)
    if kind == "dask":
        return DaskEvaluator(scheduler, workers, processes)
    raise ValueError(f"unknown executor '{kind}', expected one of {', '.join(EXECUTORS)}")
