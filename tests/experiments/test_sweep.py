"""Sweeps: stored results, resume after SIGKILL, Ctrl-C, and identical results on every executor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parley.experiments.design import make_design
from parley.experiments.evaluators import Evaluator
from parley.experiments.store import RunStore
from parley.experiments.sweep import SweepInterrupted, run_sweep
from parley.experiments.testfunctions import linear_model
from parley.scenario import Scenario, load_scenario

TOY = Path(__file__).parent / "data" / "toy.yaml"


def _design(toy: Scenario):  # type: ignore[no-untyped-def]
    return make_design(
        toy,
        policies=["hold", "concede"],
        method="lhs",
        n_points=12,
        runs_per_point=5,
        chunk_points=4,
        seed=42,
    )


def test_linear_sweep_by_hand(toy: Scenario) -> None:
    d = _design(toy)
    res = run_sweep(toy, d, "linear")
    f = res.frame
    assert len(f) == 2 * 12 * 5
    pts = res.points().set_index(["cell", "point"])
    row = f.iloc[7]  # hold, point 1, replicate 2
    assert (row["cell"], row["point"], row["replicate"]) == ("hold", 1, 2)
    p = pts.loc[("hold", 1)]
    # y = a + b + c + lever (b's territory position 80), written out by hand.
    expected = p["actors.a.capability"] + p["actors.b.capability"] + p["actors.c.capability"] + 80
    assert row["y"] == pytest.approx(expected)
    concede = f[f.cell == "concede"].y.to_numpy()
    hold = f[f.cell == "hold"].y.to_numpy()
    assert np.allclose(hold - concede, 10.0)  # same points, lever 80 vs 70


def test_store_catalogue_and_manifest(toy: Scenario, tmp_path: Path) -> None:
    d = _design(toy)
    mem = run_sweep(toy, d, "linear", model_options={"noise_sd": 1.0})
    res = run_sweep(
        toy, d, "linear", model_options={"noise_sd": 1.0}, results=tmp_path, kind="compare"
    )
    pd.testing.assert_frame_equal(mem.frame, res.frame, check_dtype=False)
    store = RunStore(tmp_path)
    runs = store.list_runs()
    assert runs.run_id.tolist() == [res.run_id]
    assert runs.status.tolist() == ["complete"] and runs.n_done.tolist() == [d.n_chunks]
    m = store.manifest(res.run_id)
    for key in (
        "scenario_hash",
        "parley_version",
        "git_revision",
        "seed",
        "design",
        "timings",
        "machine",
    ):
        assert key in m
    assert m["seed"] == 42 and len(m["scenario_hash"]) == 64
    assert m["timings"]["chunks_computed"] == d.n_chunks
    assert store.points(res.run_id).shape[0] == 2 * 12
    out = store.export(res.run_id, tmp_path / "x.csv")
    assert len(pd.read_csv(out)) == len(res.frame)


SCRIPT = textwrap.dedent(
    """
    import sys, time
    from parley.scenario import load_scenario
    from parley.experiments.design import make_design
    from parley.experiments.sweep import run_sweep
    from parley.experiments.testfunctions import linear_model

    def slow_linear(scenario, params, n_runs, seed, **kw):
        time.sleep(float(sys.argv[3]))
        return linear_model(scenario, params, n_runs, seed, noise_sd=2.0)

    slow_linear.__module__ = "kill_test"
    sc = load_scenario(sys.argv[1])
    d = make_design(sc, policies=["hold", "concede"], method="mc", n_points=30,
                    runs_per_point=7, chunk_points=2, seed=9)
    r = run_sweep(sc, d, slow_linear, results=sys.argv[2], resume=True)
    print(r.run_id)
    """
)


def test_resume_after_sigkill_gives_identical_results(tmp_path: Path) -> None:
    script = tmp_path / "sweep.py"
    script.write_text(SCRIPT)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(TOY), str(killed), "0.15"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    chunks = killed / "runs"
    while time.monotonic() < deadline:
        n = len(list(chunks.glob("*/chunks/c*.parquet"))) if chunks.exists() else 0
        if n >= 4:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    store = RunStore(killed)
    (run_id,) = store.list_runs().run_id.tolist()
    done_before = store.done_chunks(run_id)
    assert 4 <= len(done_before) < 30  # 30 chunks in all: it really stopped part-way
    assert store.list_runs().status.tolist() == ["running"]
    mtimes = {p: p.stat().st_mtime_ns for p in (killed / "runs" / run_id / "chunks").glob("*")}

    # Resume in this process with the same model (same module:name, so the same design key).
    sc = load_scenario(TOY)
    d = make_design(
        sc,
        policies=["hold", "concede"],
        method="mc",
        n_points=30,
        runs_per_point=7,
        chunk_points=2,
        seed=9,
    )
    res = run_sweep(sc, d, slow_linear, results=killed, resume=True)
    assert res.run_id == run_id  # the same run was continued
    assert res.manifest["timings"]["chunks_computed"] == 30 - len(done_before)
    for p, t in mtimes.items():  # chunks that existed were not recomputed
        if p.suffix == ".parquet":
            assert p.stat().st_mtime_ns == t
    clean_run = run_sweep(sc, d, slow_linear, results=clean)
    resumed = RunStore(killed).load(run_id)
    pd.testing.assert_frame_equal(resumed, RunStore(clean).load(str(clean_run.run_id)))
    assert len(resumed) == 2 * 30 * 7
    assert RunStore(killed).list_runs().status.tolist() == ["complete"]


def slow_linear(scenario, params, n_runs, seed, **kw):  # type: ignore[no-untyped-def]
    """The script's model, under the same module:name (no delay when resuming here)."""
    return linear_model(scenario, params, n_runs, seed, noise_sd=2.0)


slow_linear.__module__ = "kill_test"


class _InterruptAfter(Evaluator):
    """Runs tasks locally and simulates Ctrl-C after ``n`` chunks."""

    def __init__(self, n: int) -> None:
        self.n = n

    def imap_unordered(self, fn, tasks):  # type: ignore[no-untyped-def]
        for k, t in enumerate(tasks):
            if k == self.n:
                raise KeyboardInterrupt
            yield k, fn(t)


def test_ctrl_c_keeps_completed_chunks_and_resume_finishes(toy: Scenario, tmp_path: Path) -> None:
    d = _design(toy)
    with pytest.raises(SweepInterrupted) as err:
        run_sweep(toy, d, "linear", executor=_InterruptAfter(3), results=tmp_path)
    assert err.value.done == 3 and "--resume" in str(err.value)
    store = RunStore(tmp_path)
    assert store.list_runs().status.tolist() == ["interrupted"]
    res = run_sweep(toy, d, "linear", results=tmp_path, resume=True)
    assert res.run_id == err.value.run_id
    assert res.manifest["timings"]["chunks_computed"] == d.n_chunks - 3
    pd.testing.assert_frame_equal(res.frame, run_sweep(toy, d, "linear").frame, check_dtype=False)


def test_executors_give_identical_results(toy: Scenario) -> None:
    from parley.experiments.evaluators import DaskEvaluator

    d = _design(toy)
    opts = {"noise_sd": 3.0}
    local = run_sweep(toy, d, "linear", model_options=opts).frame
    proc = run_sweep(toy, d, "linear", model_options=opts, executor="process", workers=2).frame
    with DaskEvaluator(workers=2, processes=False) as ev:
        dask = run_sweep(toy, d, "linear", model_options=opts, executor=ev).frame
    pd.testing.assert_frame_equal(local, proc)
    pd.testing.assert_frame_equal(local, dask)
    assert local.y.std() > 0
