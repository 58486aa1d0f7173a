"""Run the dashboard on a loopback port inside this process (tests, the screenshot script).

:func:`serve_in_thread` starts uvicorn in a daemon thread on ``127.0.0.1`` and a free port, yields
the base URL once the server accepts connections, and stops it when the ``with`` block ends.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

#: Address the in-process server binds: loopback only.
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve_in_thread(app: FastAPI, timeout: float = 15.0) -> Iterator[str]:
    """Serve ``app`` on ``127.0.0.1`` until the block ends; yield its base URL.

    Raises ``RuntimeError`` if the server has not started within ``timeout`` seconds. On exit the
    server shuts down (running the app's lifespan end, which stops the job manager).
    """
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host=LOOPBACK, port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True, name="parley-web-test-server")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
