"""The run store: results as Parquet files under a results directory, catalogued in DuckDB.

Layout of a results directory::

    DIR/catalog.duckdb                  one row per run (id, kind, scenario, design key, status, ...)
    DIR/runs/<run_id>/manifest.json     what the run was (see parley.experiments.manifest)
    DIR/runs/<run_id>/points.parquet    parameter values of every design point in every cell
    DIR/runs/<run_id>/chunks/c000017.parquet   one file per completed chunk (per-run rows)

A chunk file is written to a temporary name and renamed, so a file that exists is complete even
if the process was killed (SIGKILL) mid-write; ``--resume`` recomputes exactly the chunks whose
file is missing. The DuckDB catalogue is opened only briefly for each update, so ``parley runs``
can query it while a sweep runs.
"""

from __future__ import annotations

import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from parley.experiments.manifest import read_manifest, write_manifest

_COLUMNS = (
    "run_id VARCHAR PRIMARY KEY, kind VARCHAR, scenario_id VARCHAR, scenario_hash VARCHAR, "
    "design_key VARCHAR, model VARCHAR, executor VARCHAR, seed BIGINT, n_chunks INTEGER, "
    "n_done INTEGER, status VARCHAR, created VARCHAR, finished VARCHAR, wall_s DOUBLE, "
    "path VARCHAR"
)
_FIELDS = [c.split()[0] for c in _COLUMNS.split(", ")]

#: Default results directory, relative to the working directory (``PARLEY_RESULTS`` overrides it).
DEFAULT_RESULTS = "parley-results"
#: The catalogue's file name inside a results directory.
CATALOG_FILE = "catalog.duckdb"


def results_dir(path: str | Path | None = None) -> Path:
    """The results directory: ``path``, else ``$PARLEY_RESULTS``, else ``./parley-results``.

    Parameters
    ----------
    path : str or Path, optional
        A directory chosen by the user.

    Returns
    -------
    Path
        The directory (not created).
    """
    if path is not None:
        return Path(path)
    return Path(os.environ.get("PARLEY_RESULTS", DEFAULT_RESULTS))


def has_store(root: str | Path) -> bool:
    """Whether ``root`` holds a run store (its catalogue file exists)."""
    return (Path(root) / CATALOG_FILE).is_file()


class RunStore:
    """A results directory with its DuckDB catalogue."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "runs").mkdir(exist_ok=True)
        self.catalog = self.root / CATALOG_FILE
        with self._connect() as con:
            con.execute(f"CREATE TABLE IF NOT EXISTS runs ({_COLUMNS})")

    def _connect(self) -> duckdb.DuckDBPyConnection:
        last: Exception | None = None
        for _ in range(50):  # another process may hold the file for a moment
            try:
                return duckdb.connect(str(self.catalog))
            except duckdb.IOException as exc:
                last = exc
                time.sleep(0.1)
        raise RuntimeError(f"cannot open the run catalogue {self.catalog}: {last}")

    # --- runs ------------------------------------------------------------------------------
    @staticmethod
    def new_run_id(kind: str) -> str:
        """A fresh, sortable run id: ``<kind>-<UTC time>-<random>``."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        return f"{kind}-{stamp}-{secrets.token_hex(3)}"

    def run_dir(self, run_id: str) -> Path:
        """Directory of one run."""
        return self.root / "runs" / run_id

    def register(self, manifest: dict[str, Any]) -> Path:
        """Create the run's directory, write its manifest and add it to the catalogue."""
        d = self.run_dir(manifest["run_id"])
        (d / "chunks").mkdir(parents=True, exist_ok=True)
        write_manifest(d / "manifest.json", manifest)
        row = {
            "run_id": manifest["run_id"],
            "kind": manifest["kind"],
            "scenario_id": manifest["scenario_id"],
            "scenario_hash": manifest["scenario_hash"],
            "design_key": manifest["design_key"],
            "model": manifest["model"],
            "executor": manifest["executor"].get("executor"),
            "seed": manifest["seed"],
            "n_chunks": manifest["n_chunks"],
            "n_done": 0,
            "status": manifest["status"],
            "created": manifest["created"],
            "finished": None,
            "wall_s": None,
            "path": str(d),
        }
        with self._connect() as con:
            con.execute(
                f"INSERT OR REPLACE INTO runs VALUES ({', '.join('?' * len(_FIELDS))})",
                [row[f] for f in _FIELDS],
            )
        return d

    def update(self, run_id: str, manifest: dict[str, Any] | None = None, **fields: Any) -> None:
        """Update catalogue fields (and rewrite the manifest if given)."""
        if manifest is not None:
            write_manifest(self.run_dir(run_id) / "manifest.json", manifest)
        if fields:
            sets = ", ".join(f"{k} = ?" for k in fields)
            with self._connect() as con:
                con.execute(f"UPDATE runs SET {sets} WHERE run_id = ?", [*fields.values(), run_id])

    def find_resumable(self, design_key: str) -> str | None:
        """The latest unfinished run with this design key, if any."""
        with self._connect() as con:
            row = con.execute(
                "SELECT run_id FROM runs WHERE design_key = ? AND status != 'complete' "
                "ORDER BY created DESC, run_id DESC LIMIT 1",
                [design_key],
            ).fetchone()
        return None if row is None else str(row[0])

    def clean_stale(self, run_id: str) -> list[Path]:
        """Remove temporary files left by writers that died (``*.tmp<pid>`` of a dead process and
        the manifest's ``.json.tmp``); return what was removed. Files of a live writer are kept."""
        d = self.run_dir(run_id)
        removed = []
        for tmp in [*d.glob("*.tmp*"), *(d / "chunks").glob("*.tmp*")]:
            pid = tmp.name.rsplit(".tmp", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue
            try:
                tmp.unlink()
            except FileNotFoundError:  # removed by another resumer meanwhile
                continue
            removed.append(tmp)
        return removed

    def list_runs(self) -> pd.DataFrame:
        """The catalogue, newest first."""
        with self._connect() as con:
            df: pd.DataFrame = con.execute(
                "SELECT run_id, kind, scenario_id, model, executor, status, n_done, n_chunks, "
                "wall_s, created FROM runs ORDER BY created DESC, run_id DESC"
            ).df()
        return df

    def manifest(self, run_id: str) -> dict[str, Any]:
        """The manifest of a run (``KeyError`` if there is no such run)."""
        path = self.run_dir(run_id) / "manifest.json"
        if not path.exists():
            raise KeyError(run_id)
        return read_manifest(path)

    # --- chunks ----------------------------------------------------------------------------
    def write_points(self, run_id: str, points: pd.DataFrame) -> None:
        """Write the design points of a run."""
        _atomic_parquet(points, self.run_dir(run_id) / "points.parquet")

    def points(self, run_id: str) -> pd.DataFrame:
        """The design points of a run."""
        return pd.read_parquet(self.run_dir(run_id) / "points.parquet")

    def write_chunk(self, run_id: str, index: int, frame: pd.DataFrame) -> float:
        """Write one chunk atomically; return the seconds it took (the store's overhead)."""
        t0 = time.perf_counter()
        _atomic_parquet(frame, self.run_dir(run_id) / "chunks" / f"c{index:06d}.parquet")
        return time.perf_counter() - t0

    def done_chunks(self, run_id: str) -> set[int]:
        """Indices of the chunks whose files exist."""
        d = self.run_dir(run_id) / "chunks"
        if not d.exists():
            return set()
        return {int(p.stem[1:]) for p in d.glob("c*.parquet")}

    def load(self, run_id: str) -> pd.DataFrame:
        """All per-run rows of a run, in chunk order, read through DuckDB."""
        d = self.run_dir(run_id)
        if not d.exists():
            raise KeyError(run_id)
        pattern = str(d / "chunks" / "c*.parquet")
        if not any((d / "chunks").glob("c*.parquet")):
            return pd.DataFrame()
        with duckdb.connect() as con:
            df: pd.DataFrame = con.execute(
                "SELECT * FROM read_parquet(?, union_by_name = true) ORDER BY chunk, run",
                [pattern],
            ).df()
        return df

    def means(self, run_id: str) -> pd.DataFrame:
        """Mean of every numeric measure per cell, computed by DuckDB over the chunk files.

        One row per ``(cell, measure)`` with ``runs`` (rows of the cell), ``n`` (rows where the
        measure is defined), ``mean`` and ``sd``. Booleans count as 0/1, so their mean is a share.
        """
        d = self.run_dir(run_id)
        if not d.exists():
            raise KeyError(run_id)
        cols = ["cell", "measure", "runs", "n", "mean", "sd"]
        if not any((d / "chunks").glob("c*.parquet")):
            return pd.DataFrame(columns=cols)
        pattern = str(d / "chunks" / "c*.parquet")
        meta = {"chunk", "cell", "policy", "assumptions", "point", "replicate", "run"}
        numeric = ("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE")
        with duckdb.connect() as con:
            schema = con.execute(
                "DESCRIBE SELECT * FROM read_parquet(?, union_by_name = true)", [pattern]
            ).fetchall()
            names = [r[0] for r in schema if r[0] not in meta and str(r[1]).upper() in numeric]
            if not names:
                return pd.DataFrame(columns=cols)
            parts = []
            for k, name in enumerate(names):
                q = '"' + name.replace('"', '""') + '"'
                v = f"CAST({q} AS DOUBLE)"
                v = f"CASE WHEN isnan({v}) THEN NULL ELSE {v} END"
                parts.append(f"COUNT({v}) AS n{k}, AVG({v}) AS m{k}, STDDEV_SAMP({v}) AS s{k}")
            wide = con.execute(
                f"SELECT cell, MIN(chunk) AS first, COUNT(*) AS runs, {', '.join(parts)} "
                f"FROM read_parquet(?, union_by_name = true) GROUP BY cell ORDER BY first",
                [pattern],
            ).df()
        rows = [
            (r["cell"], name, int(r["runs"]), int(r[f"n{k}"]), r[f"m{k}"], r[f"s{k}"])
            for _, r in wide.iterrows()
            for k, name in enumerate(names)
        ]
        return pd.DataFrame(rows, columns=cols)

    def export(self, run_id: str, path: str | Path) -> Path:
        """Export a run's rows as one Parquet or CSV file (chosen by the extension)."""
        out = Path(path)
        df = self.load(run_id)
        if out.suffix.lower() == ".csv":
            df.to_csv(out, index=False)
        else:
            df.to_parquet(out, index=False)
        return out


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
