"""Run KTAB's own SMP in-process through ``pySMP`` (optional; for parity checks and benchmarks).

KTAB's compiled library is on PyPI as ``pySMP==0.1.3`` (ctypes, MIT). It is NOT a parley
dependency. To set it up on Debian/Ubuntu::

    pip install pySMP==0.1.3
    apt-get install -y libqt5core5a libqt5sql5 libsqlite3-0

On Linux pySMP's ``SMP()`` does not load its library, so :func:`run_ktab` points ctypes at
``pySMP/lib/libsmpDyn.so`` itself. The library keeps global state between runs, so every run happens
in a fresh Python subprocess; the reported times are measured inside it around ``runSmpModel`` only
(wall clock and the process's CPU time over all its threads). KTAB's model parameters are passed in
the order of its C API ``runSmpModel`` (vpm, pcem, stm, vr, bigRAdj, bigRRng, tpc, ivb, bm), which
differs from pySMP's docstring.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parley.negotiation.smp_kernels import FloatArray
from parley.negotiation.smp_turn import SMPParams

#: Enumerations of KTAB's C API, in its parameter order.
PARAM_CODES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("victory_prob_model", ("Linear", "Square", "Quartic", "Octic", "Binary")),
    ("pce_model", ("Conditional", "MarkovIncentive", "MarkovUniform")),
    ("state_transitions", ("Deterministic", "Stochastic")),
    ("voting_rule", ("Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp")),
    ("big_r_adjust", ("None", "OneThird", "Half", "TwoThirds", "Full")),
    ("big_r_range", ("Min", "Mid", "Max")),
    ("third_party_commit", ("NoCommit", "SemiCommit", "FullCommit")),
    ("inter_vec_brgn", ("S1P1", "S2P2", "S2PMax")),
    ("bargn_model", ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp")),
)

_CHILD = r"""
import ctypes, json, os, resource, sys, time
import pySMP.model as pm
from pySMP.model import SMP
csv, db, params, log_conf = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
s = SMP.__new__(SMP)
s._smpLib = ctypes.cdll.LoadLibrary(os.path.join(pm.LIB_ROOT, "libsmpDyn.so"))
s._logged = s._dbased = s._runned = s._deleted = False
if log_conf:
    s.setLogger(log_conf)
s.setDatabase("Driver=QSQLITE;Database=" + db)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
c0, t0 = cpu(), time.perf_counter()
s.runModel([False] * 5, csv, 0, False, params)
wall, cpu_s = time.perf_counter() - t0, cpu() - c0
err = s.getLastError()
if not err:
    s.getNumActors()
    s.getNumDimensions()
hist = s.getPositionHistory() if not err else []
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stdout.flush()
print("@@PYSMP@@" + json.dumps({"states": s.getNumStates(), "hist": hist, "wall": wall,
                                 "cpu": cpu_s, "error": err, "peak_kib": peak}))
"""

_NO_LOG = "* GLOBAL:\n   ENABLED = false\n   TO_FILE = false\n   TO_STANDARD_OUTPUT = false\n"


@dataclass(frozen=True)
class KTABRun:
    """One KTAB run: ``position (states, actors, dims)`` on the 0-100 scale (float32 precision),
    ``prob (states, actors)`` and ``fractional_change`` parsed from KTAB's log (None when logging
    was off), times in seconds and the subprocess's peak resident memory in KiB."""

    n_states: int
    position: FloatArray
    prob: FloatArray | None
    fractional_change: list[float] | None
    wall_seconds: float
    cpu_seconds: float
    peak_kib: int


def pysmp_unavailable() -> str | None:
    """Why KTAB cannot be run here, or None if it can."""
    spec = importlib.util.find_spec("pySMP")
    if spec is None or spec.origin is None:
        return "pySMP is not installed (pip install pySMP==0.1.3)"
    lib = Path(spec.origin).parent / "lib" / "libsmpDyn.so"
    if not lib.exists():
        return f"pySMP has no Linux library at {lib}"
    probe = subprocess.run(
        [sys.executable, "-c", f"import ctypes; ctypes.cdll.LoadLibrary({str(lib)!r})"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return (
            "KTAB's library does not load (apt-get install -y libqt5core5a libqt5sql5 "
            f"libsqlite3-0): {probe.stderr.strip().splitlines()[-1:]}"
        )
    return None


def ktab_codes(params: SMPParams) -> list[int]:
    """KTAB's nine integer parameter codes for ``params``."""
    return [values.index(getattr(params, name)) for name, values in PARAM_CODES]


def _scratch_dir() -> str | None:
    """A RAM-backed directory for KTAB's SQLite database if there is one (``/dev/shm``)."""
    shm = Path("/dev/shm")
    try:
        if shm.is_dir():
            with tempfile.TemporaryDirectory(dir=shm):
                return str(shm)
    except OSError:
        pass
    return None


def run_ktab(
    csv_path: str | Path,
    params: SMPParams | None = None,
    log: bool = True,
    timeout: float = 3600,
    tmp_dir: str | Path | None = None,
) -> KTABRun:
    """Run KTAB's SMP on a KTAB CSV file in a fresh subprocess.

    With ``log=True`` KTAB prints its full log (slower), from which the "prob" and "Fractional
    change" lines are parsed; with ``log=False`` logging is disabled, for timing. KTAB always
    writes its SQLite database (it stores O(n^3) utility rows per state even with minimal
    logging); it goes to ``tmp_dir``, by default a RAM-backed ``/dev/shm`` where available, so
    that KTAB's time is its computation rather than disk synchronisation.
    """
    params = params or SMPParams()
    base = str(tmp_dir) if tmp_dir is not None else _scratch_dir()
    with tempfile.TemporaryDirectory(prefix="parley-pysmp-", dir=base) as tmp:
        conf = ""
        if not log:
            conf = str(Path(tmp) / "nolog.conf")
            Path(conf).write_text(_NO_LOG)
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(Path(csv_path).resolve()),
                str(Path(tmp) / "ktab"),
                json.dumps(ktab_codes(params)),
                conf,
            ],
            capture_output=True,
            text=True,
            cwd=tmp,
            timeout=timeout,
        )
    out = proc.stdout
    marker = out.rfind("@@PYSMP@@")
    if proc.returncode != 0 or marker < 0:
        raise RuntimeError(f"pySMP run failed: {proc.stderr.strip()[-500:]}")
    data = json.loads(out[marker + len("@@PYSMP@@") :].splitlines()[0])
    if data["error"]:
        raise RuntimeError(f"KTAB error: {data['error']}")
    hist = np.asarray(data["hist"], dtype=np.float64)  # (actors, dims, states)
    position = np.transpose(hist, (2, 0, 1))
    prob = frac = None
    if log:
        rows = re.findall(r"^.*?\] (.+?), prob :(.*)$", out[:marker], flags=re.M)
        if rows:
            prob = np.asarray([[float(v) for v in r[1].split()] for r in rows]).T
        frac = [
            float(v) for v in re.findall(r"Fractional change compared to first step: ([\d.]+)", out)
        ]
    return KTABRun(
        n_states=int(data["states"]),
        position=position,
        prob=prob,
        fractional_change=frac,
        wall_seconds=float(data["wall"]),
        cpu_seconds=float(data["cpu"]),
        peak_kib=int(data["peak_kib"]),
    )


def random_ktab_csv(
    rng: np.random.Generator, n_actors: int, n_dims: int, name: str = "random"
) -> str:
    """A random scenario in KTAB's CSV format, drawn like KTAB's ``randomSMP``.

    Capability U(10, 200); total salience U(0.75, 0.99) split over the dimensions by U(0.1, 1)
    weights; positions U(0, 100). Values are written with 3 (capability) and 2 decimals, so that
    KTAB and parley read exactly the same numbers.
    """
    lines = [f"{name},Random scenario,{n_actors},{n_dims},"]
    cols = "".join(f"Pstn{k + 1},Sal{k + 1}," for k in range(n_dims))
    lines.append(f"Actor,Description,Power,{cols}")
    for a in range(n_actors):
        cap = rng.uniform(10.0, 200.0)
        total = rng.uniform(0.75, 0.99)
        w = rng.uniform(0.1, 1.0, n_dims)
        sal = np.floor(100.0 * total * w / w.sum() * 100.0) / 100.0
        pos = rng.uniform(0.0, 100.0, n_dims)
        cells = "".join(f"{p:.2f},{s:.2f}," for p, s in zip(pos, sal, strict=True))
        lines.append(f"A{a:03d},Random actor,{cap:.3f},{cells}")
    return "\n".join(lines) + "\n"
