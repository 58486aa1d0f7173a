"""The run store under faults: ``kill -9`` of a process-pool sweep, then resume.

Checks, through the real ``parley compare`` command in subprocesses: the pool workers do not
outlive the killed sweep; resuming after the scenario was edited is refused with one line and exit
2 (``--new-run`` starts afresh); the resume removes temporary files left by dead writers and
completes the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from parley.cli import main
from parley.experiments.store import RunStore

TOY = Path(__file__).parent / "data" / "toy.yaml"


def _env() -> dict[str, str]:
    here = str(Path(__file__).parent)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([here, os.environ.get("PYTHONPATH", "")])}


def _compare(scenario: Path, results: Path, *extra: str) -> list[str]:
    return [
        "compare", str(scenario), "-p", "hold", "-p", "concede",
        "--model", "slow_model:slow_linear", "--runs", "120", "--chunk-runs", "10",
        "--results", str(results), "--no-progress", *extra,
    ]  # fmt: skip


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The CLI in this process (the executor is local here; the resume key ignores it)."""
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = 0 if exc.code is None else int(exc.code)
    out = capsys.readouterr()
    return code, out.out, out.err


def _children(pid: int) -> set[int]:
    """Ids of the live (not zombie) processes whose parent is ``pid``."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def test_kill_resume_refuse_edited_no_orphans_no_stale_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = tmp_path / "store"
    scenario = tmp_path / "toy.yaml"
    scenario.write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    argv = [sys.executable, "-m", "parley", *_compare(scenario, results)]
    argv += ["--executor", "process", "--workers", "2"]
    proc = subprocess.Popen(argv, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline:
        workers |= _children(proc.pid) - {proc.pid}
        done = list(results.glob("runs/*/chunks/c*.parquet")) if results.exists() else []
        if len(done) >= 2 and len(workers) >= 2:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(workers) >= 2  # the pool was running
    deadline = time.monotonic() + 5
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _alive(workers) == set(), "pool workers outlived the killed sweep"

    store = RunStore(results)
    (run_id,) = store.list_runs().run_id.tolist()
    done = store.done_chunks(run_id)
    assert 2 <= len(done) < 24  # 2 policies x 12 chunks of 10 runs: it stopped part-way
    chunks = results / "runs" / run_id / "chunks"
    stale = chunks / "c000023.parquet.tmp999999999"  # a writer that died mid-write (no such pid)
    stale.write_bytes(b"half a parquet file")

    # the scenario is edited (an actor's position, which the design does not see): refused
    doc = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    doc["actors"][0]["positions"]["security"]["position"] = 3
    scenario.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    monkeypatch.setenv("PARLEY_TEST_DELAY", "0")
    code, _, err = _run(_compare(scenario, results, "--resume"), capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and run_id in lines[0] and "--new-run" in lines[0], err
    assert store.done_chunks(run_id) == done and stale.exists()  # nothing touched

    # the original scenario resumes the run: only the missing chunks, stale file removed
    scenario.write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = _run(_compare(scenario, results, "--resume", "--format", "json"), capsys)
    assert code == 0, err
    assert f'"run_id": "{run_id}"' in out
    assert not list(results.rglob("*.tmp*")), "stale temporary files were left"
    assert RunStore(results).list_runs().status.tolist() == ["complete"]
    assert len(RunStore(results).done_chunks(run_id)) == 24

    # with the edit and --new-run, a fresh run starts beside the old one
    scenario.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    code, _, err = _run(_compare(scenario, results, "--resume", "--new-run"), capsys)
    assert code == 0, err
    assert len(RunStore(results).list_runs()) == 2


def test_clean_stale_keeps_files_of_live_writers(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    chunks = store.run_dir("r1") / "chunks"
    chunks.mkdir(parents=True)
    live = chunks / f"c000001.parquet.tmp{os.getppid()}"  # our parent process is alive
    dead = chunks / "c000002.parquet.tmp999999999"
    manifest = store.run_dir("r1") / "manifest.json.tmp"
    done = chunks / "c000003.parquet"
    for p in (live, dead, manifest, done):
        p.write_bytes(b"x")
    assert sorted(store.clean_stale("r1")) == sorted([dead, manifest])
    assert live.exists() and done.exists() and not dead.exists()


def test_resume_refuses_another_parley_version() -> None:
    from parley.experiments.manifest import parley_version, scenario_hash
    from parley.experiments.sweep import check_resumable
    from parley.scenario import ScenarioError, load_scenario

    sc = load_scenario(TOY)
    manifest = {"run_id": "r1", "scenario_hash": scenario_hash(sc), "parley_version": "0.0.1"}
    with pytest.raises(ScenarioError, match="made by parley 0.0.1") as err:
        check_resumable(manifest, sc)
    assert err.value.field == "--resume" and "--new-run" in err.value.message
    check_resumable({**manifest, "parley_version": parley_version()}, sc)  # same: accepted
