"""War runs of the dashboard on the flagship: choices, the shared check, same numbers as the CLI,
the comparison and robustness tables, per-run downloads and counted progress."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient

from parley.analysis.workflows import RunOptions, compare
from parley.cli import main
from parley.experiments.store import RunStore
from parley.experiments.war_outcomes import WAR_OUTCOMES_MODEL as MODEL
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED
from parley.web.app import create_app
from parley.web.jobs import JobCancelled
from parley.web.war_run import run_war

FLAGSHIP = Path(__file__).parents[2] / "scenarios" / "ukraine-2022-11.yaml"
POLICIES = ["push_now_border_on_table", "support_then_negotiate"]
ADVOCATES = ["advocates_battlefield", "advocates_reciprocity", "advocates_western"]
RUNS, SEED = 6, 11
LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def flagship() -> dict[str, Any]:
    return load_scenario(FLAGSHIP).model_dump(mode="json")


@pytest.fixture(scope="module")
def war_run(
    tmp_path_factory: pytest.TempPathFactory, flagship: dict[str, Any]
) -> tuple[TestClient, dict[str, Any]]:
    """One finished war run: two policies x the two camps, 6 runs per cell, seed 11."""
    app = create_app(tmp_path_factory.mktemp("results"), library_folders=[])
    client = TestClient(app, base_url=LOCAL)
    client.__enter__()
    body = {"kind": "war", "scenario": flagship, "policies": POLICIES,
            "assumptions": ["advocates", "critics"], "n_runs": RUNS, "seed": SEED}  # fmt: skip
    r = client.post("/api/runs", json=body)
    assert r.status_code == 202, r.text
    rec = app.state.parley.jobs.wait(r.json()["id"], timeout=120)
    assert rec is not None and rec["status"] == "done", rec
    yield client, rec
    client.__exit__(None, None, None)


def test_choices_name_policies_and_sets_in_words(flagship: dict[str, Any], tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path, library_folders=[]), base_url=LOCAL) as c:
        body = c.post("/api/war/choices", json={"scenario": flagship}).json()
    raw = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))  # the file, read on its own
    assert body["war"] is True and body["default_seed"] == DEFAULT_SEED
    assert [p["name"] for p in body["policies"]] == list(raw["experiment"]["policies"])
    sets = {s["name"]: s for s in body["assumptions"]}
    # the report's combinations (metadata.report.combos) first, then every group on its own
    combos = raw["metadata"]["report"]["combos"]
    names = [s["name"] for s in body["assumptions"]]
    assert names[: len(combos) + 1] == ["baseline", *combos]
    assert names[len(combos) + 1 :] == [
        g for g in raw["experiment"]["assumptions"] if [g] not in combos.values()
    ]
    assert sets["advocates"]["groups"] == combos["advocates"] == ADVOCATES
    assert sets["advocates_but_western_wrong"]["label"] == (
        "advocates' case but the critics' western assumption"
    )
    assert sets["baseline"]["label"] == "both camps' ranges"


def test_check_refuses_what_the_run_refuses(flagship: dict[str, Any], tmp_path: Path) -> None:
    """A probability drawn from 0.5 to 1.5: the scenario schema accepts it, the run does not."""
    data = copy.deepcopy(flagship)
    data["experiment"]["assumptions"]["my_reciprocity"] = {
        "description": "Russian commitments very fragile.",
        "overrides": {"war.renege.B.probability": {"dist": "uniform", "low": 0.5, "high": 1.5}},
    }
    with TestClient(create_app(tmp_path, library_folders=[]), base_url=LOCAL) as client:
        # the old check: the scenario alone is valid
        assert client.post("/api/scenarios/check", json={"scenario": data}).status_code == 200
        # what the run (parley compare's engine) says
        with pytest.raises(ScenarioError) as run_error:
            compare(Scenario.model_validate(data), POLICIES, RunOptions(model=MODEL),
                    combos=[("my_reciprocity",)], runs=20, seed=SEED)  # fmt: skip
        request = {"scenario": data, "policies": POLICIES, "assumptions": ["my_reciprocity"],
                   "n_runs": 20, "seed": SEED}  # fmt: skip
        checked = client.post("/api/war/check", json=request)
        started = client.post("/api/runs", json={"kind": "war", **request})
    assert checked.status_code == 422 and started.status_code == 422
    for response in (checked, started):
        (err,) = response.json()["errors"]
        assert (
            err["message"]
            == run_error.value.message
            == "Input should be less than or equal to 0.99"
        )
        assert err["parameter"] == run_error.value.field == "war.renege.B.probability"
        assert err["field"] == (
            'experiment.assumptions.my_reciprocity.overrides["war.renege.B.probability"]'
        )


def test_check_refuses_bad_choices(flagship: dict[str, Any], tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path, library_folders=[]), base_url=LOCAL) as client:
        r = client.post("/api/war/check", json={"scenario": flagship, "policies": POLICIES[:1],
                                                "assumptions": ["nobody"], "n_runs": 0})  # fmt: skip
        ok = client.post("/api/war/check", json={"scenario": flagship, "policies": POLICIES,
                                                 "assumptions": ["advocates"], "n_runs": 10})  # fmt: skip
    fields = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert fields == {
        "policies": "choose at least two policies to compare",
        "assumptions": "unknown assumption set 'nobody'",
        "n_runs": "runs per cell must be between 1 and 5000",
    }
    # 2 policies x 1 set = 2 cells of 10 runs
    assert ok.json() == {"ok": True, "cells": 2, "runs": 20, "chunks": 2}


def test_same_seed_same_numbers_as_the_cli(
    war_run: tuple[TestClient, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, rec = war_run
    web = pd.read_csv(io.StringIO(client.get(f"/api/runs/{rec['id']}/data.csv?table=runs").text))
    store = tmp_path / "store"
    argv = ["compare", str(FLAGSHIP), "-p", POLICIES[0], "-p", POLICIES[1], "-a", "+".join(ADVOCATES),
            "--runs", str(RUNS), "--seed", str(SEED), "--model", MODEL, "--results", str(store),
            "--format", "json", "--no-progress"]  # fmt: skip
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code in (0, None), capsys.readouterr().err
    cli = RunStore(store).load(RunStore(store).list_runs()["run_id"].iloc[0])
    mine = web[web["assumptions"] == "advocates"].sort_values(["policy", "point"])
    theirs = cli.sort_values(["policy", "point"])
    assert len(mine) == len(theirs) == 2 * RUNS
    for column in ("territory_after_km2", "casualties.RUS", "casualties.UKR", "settled"):
        np.testing.assert_array_equal(mine[column].to_numpy(float), theirs[column].to_numpy(float))


def test_tables_and_downloads(war_run: tuple[TestClient, dict[str, Any]]) -> None:
    client, rec = war_run
    summary = rec["summary"]
    runs = pd.read_csv(io.StringIO(client.get(f"/api/runs/{rec['id']}/data.csv?table=runs").text))
    # 2 policies x 2 sets x 6 runs, one row per run with its inputs and outcomes
    assert len(runs) == 24
    assert {"assumptions", "policy", "point", "territory_after_km2", "casualties_total",
            "settled", "war.renege.B.probability"} <= set(runs.columns)  # fmt: skip
    pq = client.get(f"/api/runs/{rec['id']}/data.parquet?table=runs")
    pd.testing.assert_frame_equal(
        pd.read_parquet(io.BytesIO(pq.content))[["policy", "territory_after_km2"]],
        runs[["policy", "territory_after_km2"]],
    )
    # the comparison table: policies (in words) x the two camps
    assert [r["policy"] for r in summary["key_table"]] == [
        "push talks now, the border on the table",
        "support Ukraine, talk once the front has moved",
    ]
    assert (
        "territory under Russia after the war" in summary["key_table"][0]["advocates' assumptions"]
    )
    assert len(summary["comparison"]) == 4
    # regret by hand from the downloaded runs: mean territory minus the best policy's mean
    for row in summary["holds_up"]:
        aset = {"advocates": "advocates", "critics": "critics"}[row["assumptions"]]
        means = runs[runs.assumptions == aset].groupby("policy")["territory_after_km2"].mean()
        best = means.idxmin()
        for pol, name in zip(POLICIES, summary["policies"], strict=True):
            assert row[name]["regret"] == pytest.approx(means[pol] - means[best])
    assert summary["answer"].startswith("Under the advocates' assumptions")
    report = client.get(f"/api/runs/{rec['id']}/report.html").text
    assert "Which policy holds up if which assumption is wrong" in report
    figures = client.get(f"/api/runs/{rec['id']}/figures").json()["figures"]
    assert {"front-fan", "settlement-curves", "outcomes"} <= {f["id"] for f in figures}


class _Recorder:
    """Stands in for a job context: records progress, never cancels."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.seen: list[tuple[float, str]] = []

    def progress(self, fraction: float, message: str = "") -> None:
        self.seen.append((fraction, message))

    def check(self) -> None:
        return None


def test_progress_counts_cells_and_runs(flagship: dict[str, Any], tmp_path: Path) -> None:
    request = {"variants": [{"name": "baseline", "scenario": flagship}], "policies": POLICIES,
               "assumptions": ["advocates"], "n_runs": 4, "seed": SEED}  # fmt: skip
    ctx = _Recorder(tmp_path)
    run_war(request, ctx)  # type: ignore[arg-type]
    messages = [m for _, m in ctx.seen]
    # 2 policies x 1 set = 2 cells of 4 runs
    assert "simulated 4 of 8 runs (1 of 2 cells)" in messages
    assert "simulated 8 of 8 runs (2 of 2 cells)" in messages
    assert "front fan: set 1 of 1" in messages
    fractions = [f for f, _ in ctx.seen]
    assert fractions == sorted(fractions) and len(set(fractions)) >= 4


class _CancelAfter(_Recorder):
    """Cancels the run at its first progress report after the first cell."""

    def progress(self, fraction: float, message: str = "") -> None:
        super().progress(fraction, message)
        if fraction > 0:
            raise JobCancelled()


def test_cancel_stops_between_cells(flagship: dict[str, Any], tmp_path: Path) -> None:
    request = {"variants": [{"name": "baseline", "scenario": flagship}], "policies": POLICIES,
               "assumptions": ["advocates"], "n_runs": 4, "seed": SEED}  # fmt: skip
    ctx = _CancelAfter(tmp_path)
    with pytest.raises(JobCancelled):
        run_war(request, ctx)  # type: ignore[arg-type]
    assert [m for _, m in ctx.seen][-1] == "simulated 4 of 8 runs (1 of 2 cells)"
    assert list(tmp_path.iterdir()) == []  # nothing written
