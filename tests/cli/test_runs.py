"""``parley runs list|show|compare|export`` over a run store written by ``parley compare``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from parley.cli import main
from parley.experiments.manifest import scenario_hash
from parley.scenario import load_scenario

from ._cli import run, run_json

TOY = Path(__file__).resolve().parents[2] / "tests" / "experiments" / "data" / "toy.yaml"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Two compare runs of the linear model that differ only in their seed."""
    root = tmp_path_factory.mktemp("store")
    ids = []
    for seed in ("1", "2"):
        argv = ["compare", str(TOY), "-p", "hold", "-p", "concede", "--model", "linear"]
        argv += ["--runs", "25", "--seed", seed, "--results", str(root), "--format", "json"]
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code in (0, None)
        ids.append(json.loads(buf.getvalue())["run_id"])
    return root, ids[0], ids[1]


def test_list_and_show(
    store: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, a, b = store
    listed = run_json(["runs", "list", "--results", str(root)], capsys)
    assert {r["run_id"] for r in listed} == {a, b}
    assert all(r["status"] == "complete" and r["n_done"] == r["n_chunks"] for r in listed)
    code, out, _ = run(["runs", "list", "--results", str(root)], capsys)
    assert code == 0 and a in out and "complete" in out

    shown = run_json(["runs", "show", a, "--results", str(root)], capsys)
    m = shown["manifest"]
    assert m["scenario_hash"] == scenario_hash(load_scenario(TOY))
    assert m["seed"] == 1 and m["design"]["n_points"] == 25 and m["model"] == "linear"
    for key in ("parley_version", "git_revision", "machine", "timings", "executor"):
        assert key in m
    # The mean of y per cell, computed by DuckDB, equals the mean of the exported rows.
    means = pd.DataFrame(shown["means"]).set_index(["cell", "measure"])
    out_csv = tmp_path / "a.csv"
    code, out, _ = run(
        ["runs", "export", a[:-2], "--out", str(out_csv), "--results", str(root)], capsys
    )
    assert code == 0 and "wrote 50 runs" in out
    rows = pd.read_csv(out_csv)
    for cell in ("hold", "concede"):
        assert means.loc[(cell, "y"), "mean"] == pytest.approx(rows[rows.cell == cell].y.mean())
        assert means.loc[(cell, "y"), "n"] == 25
    code, out, _ = run(["runs", "show", a, "--results", str(root)], capsys)
    assert "sha256" in out and "design" in out and "mean per cell" in out


def test_compare_two_runs(store: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, a, b = store
    data = run_json(["runs", "compare", a, b, "--results", str(root)], capsys)
    fields = {f["field"]: f for f in data["manifest"]}
    assert fields["scenario_hash"]["same"] and fields["model"]["same"]
    assert not fields["seed"]["same"] and not fields["design_key"]["same"]
    means = {(r["cell"], r["measure"]): r for r in data["means"]}
    # concede's y is hold's minus 10 run by run, so the difference of means across the two runs
    # is the same for both cells.
    d_hold = means[("hold", "y")]["difference"]
    assert means[("concede", "y")]["difference"] == pytest.approx(d_hold)
    assert d_hold == pytest.approx(means[("hold", "y")]["mean_b"] - means[("hold", "y")]["mean_a"])
    code, out, _ = run(["runs", "compare", a, b, "--results", str(root)], capsys)
    assert code == 0 and "DIFFERS" in out and "B - A" in out


def test_export_points_parquet(
    store: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, a, _ = store
    out = tmp_path / "points.parquet"
    code, text, _ = run(
        ["runs", "export", a, "--points", "--out", str(out), "--results", str(root)], capsys
    )
    assert code == 0 and "wrote 50 design points" in text
    pts = pd.read_parquet(out)
    assert set(pts.cell) == {"hold", "concede"}
    assert pts["actors.a.capability"].between(0, 2).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["runs", "show", "nope"], "no run 'nope'"),
        (["runs", "show", "compare-"], "is ambiguous"),
        (["runs", "export", "compare-", "--out", "x.txt"], "must end in .csv or .parquet"),
        (["runs", "list", "--format", "yaml"], "unknown --format"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    args: list[str],
    message: str,
    store: tuple[Path, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, _, _ = store
    code, _, err = run([*args, "--results", str(root)], capsys)
    assert code == 2 and err.startswith("error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["runs", "list", "--results", str(tmp_path / "none")], capsys)
    assert code == 2 and "no run store" in err
    assert not (tmp_path / "none").exists()  # a query never creates a store
