"""``parley compare``, ``sensitivity`` and ``discover``: numbers by hand on the toy scenario, the
flagship end to end, progress, Ctrl-C and resume, executors, and one-line errors with exit 2.

The toy scenario (tests/experiments/data/toy.yaml) has three uncertain capabilities
``a ~ U(0, 2)``, ``b ~ U(1, 3)``, ``c ~ U(0, 1)`` (a and b joined by a Gaussian copula, which
the Saltelli, Morris and OAT designs leave out), and two policies that set b's territorial
position to 80 (``hold``) or 70 (``concede``). The ``linear`` test model returns
``y = a + b + c (+ lever)``, so every answer below is known in closed form.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from parley.experiments.store import RunStore

from ._cli import run, run_json

ROOT = Path(__file__).resolve().parents[2]
TOY = ROOT / "tests" / "experiments" / "data" / "toy.yaml"
FLAGSHIP = ROOT / "scenarios" / "ukraine-2022-11.yaml"


def test_compare_linear_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["compare", str(TOY), "-p", "hold", "-p", "concede", "-a", "baseline", "-a", "strong_a"]
    argv += ["--model", "linear", "--runs", "40", "--results", str(tmp_path)]
    data = run_json(argv, capsys)
    rows = {(r["assumptions"], r["measure"]): r for r in data["comparisons"]}
    for aset in ("baseline", "strong_a"):
        y = rows[(aset, "y")]
        # concede - hold = 70 - 80 in every pair: the paired interval collapses to -10.
        assert y["difference"] == pytest.approx(-10.0)
        assert y["ci_low"] == pytest.approx(-10.0) and y["ci_high"] == pytest.approx(-10.0)
        assert y["n_pairs"] == 40 and y["group"] == "other"
    # Under strong_a (a = 3): y(hold) = 3 + b + c + 80 with E[b + c] = 2.5, so the mean is near
    # 85.5; unpaired, the interval is wide (Var(b + c) = 1/3 + 1/12).
    assert rows[("strong_a", "y")]["mean_reference"] == pytest.approx(85.5, abs=0.3)
    assert rows[("strong_a", "y")]["unpaired_ci_low"] < -10.2
    assert data["run_id"] and RunStore(tmp_path).manifest(data["run_id"])["status"] == "complete"


def test_compare_flagship_table_has_every_outcome_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compare", str(FLAGSHIP), "-p", "negotiate_now_no_preconditions"]
    argv += ["-p", "arm_and_guarantee_then_negotiate", "--runs", "30", "--seed", "3"]
    argv += ["--results", str(tmp_path), "--no-progress"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    for group in (
        "P(settlement by t)",
        "terms",
        "durability",
        "casualties",
        "occupation",
        "escalation",
    ):
        assert group in out
    for measure in ("settled_by_365d", "terms.territory", "held_5y", "casualties.UKR"):
        assert measure in out
    assert "population_under_occupation" in out and "catastrophe" in out
    (run_id,) = RunStore(tmp_path).list_runs().run_id
    frame = RunStore(tmp_path).load(run_id)
    # The fourth policy opens talks after 26 weeks (182 days): no settlement within 90 days.
    arm = frame[frame.policy == "arm_and_guarantee_then_negotiate"]
    assert len(arm) == 30 and not arm.settled_by_90d.any()


def test_sensitivity_sobol_linear_closed_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # y = a + b + c with independent uniforms: Var = 4/12 + 4/12 + 1/12 = 3/4, so
    # S1 = ST = (4/9, 4/9, 1/9).
    argv = ["sensitivity", str(TOY), "--method", "sobol", "--model", "linear", "--n", "512"]
    argv += ["--runs-per-point", "1", "--results", str(tmp_path)]
    data = run_json(argv, capsys)
    assert data["outcome"] == "y" and data["points"] == 512 * 5
    idx = {r["parameter"]: r for r in data["indices"]}
    for name, s in (("a", 4 / 9), ("b", 4 / 9), ("c", 1 / 9)):
        assert idx[f"actors.{name}.capability"]["S1"] == pytest.approx(s, abs=0.05)
        assert idx[f"actors.{name}.capability"]["ST"] == pytest.approx(s, abs=0.05)


def test_sensitivity_morris_and_oat_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--model", "linear", "--runs-per-point", "1", "--results", str(tmp_path)]
    # Morris steps cover the [1 %, 99 %] quantile range: mu* = 0.98 x (range of the uniform).
    m = run_json(["sensitivity", str(TOY), "--method", "morris", "--n", "10", *base], capsys)
    mu = {r["parameter"]: r["mu_star"] for r in m["indices"]}
    assert mu["actors.a.capability"] == pytest.approx(1.96)
    assert mu["actors.b.capability"] == pytest.approx(1.96)
    assert mu["actors.c.capability"] == pytest.approx(0.98)
    assert all(r["sigma"] == pytest.approx(0.0, abs=1e-9) for r in m["indices"])
    # OAT between the 10 % and 90 % quantiles: swings 0.8 x range; base y = 1 + 2 + 0.5.
    o = run_json(
        ["sensitivity", str(TOY), "--method", "oat", "--low", "0.1", "--high", "0.9", *base],
        capsys,
    )
    sw = {r["parameter"]: r for r in o["indices"]}
    assert sw["actors.a.capability"]["swing"] == pytest.approx(1.6)
    assert sw["actors.c.capability"]["swing"] == pytest.approx(0.8)
    assert sw["actors.b.capability"]["low_value"] == pytest.approx(1.2)
    assert sw["actors.c.capability"]["y_base"] == pytest.approx(3.5)
    code, out, err = run(["sensitivity", str(TOY), "--method", "oat", *base], capsys)
    assert code == 0 and "swing" in out and "actors.a.capability" in out


def test_discover_finds_the_high_capability_corner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # y = a + b + c > 4.5 needs a and b both high (a + b > 3.5 at least); c matters least.
    argv = ["discover", str(TOY), "--outcome", "y > 4.5", "--model", "linear", "--n", "400"]
    argv += ["--runs-per-point", "1", "--threshold", "0.9", "--results", str(tmp_path)]
    data = run_json(argv, capsys)
    box = {r["parameter"]: r for r in data["chosen_box"]["limits"]}
    assert box["actors.a.capability"]["restricted"] and box["actors.b.capability"]["restricted"]
    assert box["actors.a.capability"]["low"] > 0.5 and box["actors.b.capability"]["low"] > 1.5
    assert data["chosen_box"]["density"] >= 0.9
    traj = pd.DataFrame(data["trajectory"])
    assert traj.coverage.iloc[0] == 1.0 and traj.density.iloc[0] == pytest.approx(data["base_rate"])
    code, out, err = run(argv, capsys)
    assert code == 0
    assert "peeling trajectory" in out and "chosen box" in out and "full_range" in out


def test_progress_bar_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["compare", str(TOY), "-p", "hold", "-p", "concede", "--model", "linear"]
    argv += ["--runs", "20", "--chunk-runs", "5", "--progress", "--results", str(tmp_path)]
    argv += ["--format", "json"]
    code, out, err = run(argv, capsys)
    assert code == 0
    json.loads(out)  # stdout holds only the JSON
    assert "chunks" in err and "ETA" in err and "8/8" in err


def test_executors_give_identical_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compare", str(TOY), "-p", "hold", "-p", "concede", "--model", "linear"]
    argv += ["--runs", "30", "--chunk-runs", "10", "--outcome", "y * hit"]
    outs = []
    for ex in ("local", "dask"):  # the process pool is checked in tests/experiments/test_sweep.py
        data = run_json(
            [*argv, "-e", ex, "--workers", "1", "--results", str(tmp_path / ex)], capsys
        )
        outs.append(data["comparisons"])
    assert outs[0] == outs[1]


SLOW_MODEL = textwrap.dedent(
    """
    import os, time
    from parley.experiments.testfunctions import linear_model

    def slow(scenario, params, n_runs, seed, **kw):
        time.sleep(float(os.environ.get("SLOW_MODEL_SLEEP", "0")))
        return linear_model(scenario, params, n_runs, seed, noise_sd=1.0)
    """
)


def test_ctrl_c_stops_cleanly_and_resume_completes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "slowmodel.py").write_text(SLOW_MODEL)
    res = tmp_path / "res"
    argv = ["compare", str(TOY), "-p", "hold", "-p", "concede", "--model", "slowmodel:slow"]
    argv += ["--runs", "40", "--chunk-runs", "4", "--results", str(res), "--no-progress"]
    path = f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    env = {**os.environ, "PYTHONPATH": path, "SLOW_MODEL_SLEEP": "0.3"}  # slow only out there
    proc = subprocess.Popen(
        [sys.executable, "-m", "parley", *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(list(res.glob("runs/*/chunks/c*.parquet"))) >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stopped: interrupted after")
    assert "--resume" in lines[0] and "Traceback" not in err
    store = RunStore(res)
    (run_id,) = store.list_runs().run_id
    kept = store.done_chunks(run_id)
    assert 3 <= len(kept) < 20 and store.list_runs().status.tolist() == ["interrupted"]

    sys.path.insert(0, str(tmp_path))
    try:
        resumed = run_json([*argv, "--resume"], capsys)
        clean = run_json([*argv[:-3], "--results", str(tmp_path / "clean")], capsys)
    finally:
        sys.path.remove(str(tmp_path))
    assert resumed["run_id"] == run_id
    assert resumed["comparisons"] == clean["comparisons"]
    m = RunStore(res).manifest(run_id)
    assert m["status"] == "complete" and m["timings"]["chunks_computed"] == 20 - len(kept)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "{toy}", "-p", "hold", "-p", "nope"], "unknown policy 'nope'"),
        (["compare", "{toy}", "-p", "hold"], "at least two policies"),
        (["compare", "{toy}", "-p", "hold", "-p", "hold"], "named once"),
        (["compare", "{toy}", "-p", "hold", "-p", "concede", "-a", "x"], "unknown assumption"),
        (["compare", "{toy}", "-p", "hold", "-p", "concede", "-e", "spark"], "unknown --executor"),
        (["compare", "{toy}", "-p", "hold", "-p", "concede", "--runs", "1"], "--runs must be"),
        (["compare", "{toy}", "-p", "hold", "-p", "concede", "-f", "xml"], "unknown --format"),
        (["compare", "{toy}", "-p", "hold", "-p", "concede", "--model", "zzz"], "unknown model"),
        (["compare", "{missing}", "-p", "hold", "-p", "concede"], "missing.yaml"),
        (["sensitivity", "{toy}", "--method", "fast"], "unknown --method 'fast'"),
        (["sensitivity", "{toy}", "--n", "100"], "power of 2"),
        (["sensitivity", "{toy}", "--method", "oat", "--low", "0.96"], "--low and --high"),
        (["sensitivity", "{toy}", "--model", "linear", "--outcome", "q > 1"], "unknown outcome"),
        (["discover", "{toy}", "--outcome", "y >"], "unexpected end in expression"),
        (["discover", "{toy}", "--outcome", "y > 1", "--alpha", "0.7"], "--alpha must lie"),
        (["discover", "{toy}", "--outcome", "y", "--model", "linear", "--n", "20"], "condition"),
        (["compare", "{bare}", "-p", "a", "-p", "b"], "no 'experiment' section"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "bare.yaml"
    bare.write_text(TOY.read_text().split("experiment:")[0])
    subs = {"{toy}": str(TOY), "{missing}": str(tmp_path / "missing.yaml"), "{bare}": str(bare)}
    argv = [subs.get(a, a) for a in args] + ["--results", str(tmp_path / "r")]
    code, out, err = run(argv, capsys)
    assert code == 2, (out, err)
    err = err.strip()
    assert err.startswith("error: ") and message in err, err
    assert len(err.splitlines()) <= 2 and "Traceback" not in err


def test_dask_scheduler_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from distributed import LocalCluster

    argv = ["compare", str(TOY), "-p", "hold", "-p", "concede", "--model", "linear"]
    argv += ["--runs", "12", "--chunk-runs", "4"]
    local = run_json([*argv, "--results", str(tmp_path / "local")], capsys)
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        remote = run_json(
            [*argv, "--scheduler", cluster.scheduler_address, "--results", str(tmp_path / "d")],
            capsys,
        )
    assert remote["comparisons"] == local["comparisons"]
    m = RunStore(tmp_path / "d").manifest(remote["run_id"])
    assert m["executor"] == {
        "executor": "dask",
        "scheduler": cluster.scheduler_address,
        "workers": 1,
    }
