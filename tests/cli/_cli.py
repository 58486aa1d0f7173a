"""Ways the CLI tests call ``parley``: in a subprocess (exit code and streams exactly as a user sees
them) or in process through :func:`parley.cli.main` (fast; output captured by pytest)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from parley.cli import main


def parley(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m parley ARGS`` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "parley", *args], capture_output=True, text=True, timeout=300
    )


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in process; return ``(exit code, stdout, stderr)``."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr()
    code = exc.value.code
    return (0 if code is None else int(code)), out.out, out.err


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    """Run the CLI in process with ``--format json``; it must succeed; return the parsed output."""
    code, out, err = run([*argv, "--format", "json"], capsys)
    assert code == 0, err
    return json.loads(out)
