"""Run manifests: everything needed to say what a sweep was and to reproduce it.

A manifest records the scenario hash (SHA-256 of its canonical JSON), the parley version, the git
revision of the source tree when available, the root seed and design, the model and executor,
timings (wall time, per-chunk compute and store time) and the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import socket
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from parley.scenario.schema import Scenario


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (keys sorted)."""
    blob = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def parley_version() -> str:
    """The installed parley version (``unknown`` if not installed)."""
    try:
        return metadata.version("parley")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def git_revision() -> str | None:
    """The git commit of the source tree parley is imported from, if it is a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    rev = out.stdout.strip()
    return rev if out.returncode == 0 and rev else None


def machine_info() -> dict[str, Any]:
    """Host name, platform, Python version and CPU count."""
    return {
        "hostname": socket.gethostname(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }


def now() -> str:
    """Current UTC time in ISO format."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def build_manifest(
    *,
    run_id: str,
    kind: str,
    scenario: Scenario,
    design: dict[str, Any],
    design_key: str,
    model: str,
    model_options: dict[str, Any],
    executor: dict[str, Any],
    n_chunks: int,
) -> dict[str, Any]:
    """A new manifest (timings are filled in as the sweep runs)."""
    return {
        "run_id": run_id,
        "kind": kind,
        "scenario_id": scenario.id,
        "scenario_hash": scenario_hash(scenario),
        "parley_version": parley_version(),
        "git_revision": git_revision(),
        "seed": design.get("seed"),
        "design": design,
        "design_key": design_key,
        "model": model,
        "model_options": model_options,
        "executor": executor,
        "n_chunks": n_chunks,
        "machine": machine_info(),
        "created": now(),
        "timings": {},
        "status": "running",
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write a manifest atomically (write a temporary file, then rename)."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))
    os.replace(tmp, path)


def read_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest."""
    data: dict[str, Any] = json.loads(path.read_text())
    return data
