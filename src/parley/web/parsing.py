"""Parse uploaded scenario text away from the event loop, within a time and a memory budget.

An upload is parsed in a child process (started with ``spawn``, so it shares nothing with the
server's threads) whose address space is capped at :attr:`ParsePool.memory_bytes`; the server waits
for it at most :attr:`ParsePool.timeout` seconds without blocking its event loop. A file that takes
longer or needs more memory is refused with a :class:`ScenarioError` and the child is replaced, so a
hostile file can cost one child process, never the server. The guarded readers of
:mod:`parley.scenario.limits` refuse the known attacks (alias bombs, deep nesting) long before either
budget is reached; the budgets cover what they do not foresee.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from parley.scenario.errors import ScenarioError


def _child_init(memory_bytes: int) -> None:
    """Cap the child's address space and keep numerical libraries to one thread."""
    import resource  # noqa: PLC0415 (POSIX only)

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ[var] = "1"
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _parse(text: str, filename: str) -> list[Any]:
    from parley.web.library import parse_text  # noqa: PLC0415 (imported in the child)

    try:
        return parse_text(text, filename)
    except MemoryError:
        raise ScenarioError(
            "reading this file needs more memory than allowed", file=filename
        ) from None


class ParsePool:
    """A small pool of child processes that parse uploads (see the module docstring).

    Parameters
    ----------
    timeout:
        Seconds one parse may take.
    memory_bytes:
        Address space of a child process (its imports need about 400 MB of it).
    workers:
        Child processes (parses run at the same time).
    """

    def __init__(
        self, timeout: float = 10.0, memory_bytes: int = 2 << 30, workers: int = 1
    ) -> None:
        self.timeout = timeout
        self.memory_bytes = memory_bytes
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_child_init,
                    initargs=(self.memory_bytes,),
                )
            return self._pool

    def _reset(self) -> None:
        """Kill the children (a parse that overran) and start afresh at the next parse."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    async def parse(self, text: str, filename: str) -> list[Any]:
        """The scenarios in ``text`` (a :class:`ScenarioError` for a bad or too costly file)."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._get(), _parse, text, filename)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._reset()
            raise ScenarioError(
                f"reading this file took longer than {self.timeout:g} s; refused", file=filename
            ) from None
        except BrokenProcessPool:
            self._reset()
            raise ScenarioError(
                f"reading this file needs more than {self.memory_bytes >> 20} MB; refused",
                file=filename,
            ) from None

    def close(self) -> None:
        """Stop the children."""
        self._reset()
