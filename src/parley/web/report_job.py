"""The dashboard's full analysis run: the report pipeline in a child process that can be stopped.

An ``analysis`` run calls :func:`parley.report.pipeline.analyse` (stakeholder models with Monte Carlo
bands and, when the scenario has a ``war`` section, the comparison of assumption sets x policies), then
renders the report's own figures (:func:`parley.report.figures.report_figures`) and HTML
(:func:`parley.report.html.render_html`). The dashboard therefore shows exactly the report's figures.

It runs in a separate process (``python -m parley.web.report_job``) because the pipeline is one long call: cancelling a run
terminates that process at once. Progress is reported by the stages the pipeline announces
(stakeholder models, war comparison, forecast skill and reference class), then rendering; within a
stage a heartbeat says how many seconds it has taken so far.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

from parley.analysis.stakeholder_bands import report_models
from parley.experiments.parameter_table import war_parameters
from parley.report.figures import report_figures
from parley.report.html import render_html
from parley.report.pipeline import analyse, stakeholder_parameters
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED
from parley.web.jobs import JobCancelled, JobContext, JobInterrupted
from parley.web.tables import positions_table, scenario_yaml

#: Default Monte Carlo size of an analysis run (the report's default).
DEFAULT_RUNS = 200


def _forecast_rows(scenario: Scenario, forecasts: pd.DataFrame) -> pd.DataFrame:
    """The report's forecast table in the dashboard's tidy layout (plus the Monte Carlo band)."""
    issues = {i.id: i for i in scenario.issues}
    rows = []
    for rec in forecasts.to_dict("records"):
        issue = issues[str(rec["issue"])]
        rows.append(
            {
                "variant": "baseline",
                "scenario": scenario.id,
                "model": rec["model"],
                "issue": issue.id,
                "issue_name": issue.name or issue.id,
                "unit": issue.unit,
                "scale_min": issue.scale_min,
                "scale_max": issue.scale_max,
                "forecast": rec["base"],
                "reference": issue.reference_point,
                "actual": issue.outcome,
                "q05": rec.get("q05"),
                "q50": rec.get("q50"),
                "q95": rec.get("q95"),
            }
        )
    return pd.DataFrame(rows)


class _Progress:
    """Appends ``[kind, fraction, text]`` JSON lines to ``progress.jsonl`` in the run folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def put(self, item: tuple[str, float, str]) -> None:
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(list(item)) + "\n")

    def heartbeat(self, fraction: float, text: str, every_s: float = 2.0) -> _Heartbeat:
        """Repeat ``text`` with the seconds elapsed until the returned heartbeat is stopped.

        The analysis is one long call; the heartbeat shows the user that it is alive and for how
        long it has run, without pretending to know how far it is.
        """
        return _Heartbeat(self, fraction, text, every_s)


class _Heartbeat:
    """A thread that puts a progress line every ``every_s`` seconds until :meth:`stop`."""

    def __init__(self, progress: _Progress, fraction: float, text: str, every_s: float) -> None:
        self._stop = threading.Event()
        t0 = time.monotonic()

        def beat() -> None:
            while not self._stop.wait(every_s):
                progress.put(
                    ("progress", fraction, f"{text}, {time.monotonic() - t0:.0f} s so far")
                )

        self._thread = threading.Thread(target=beat, daemon=True, name="parley-heartbeat")
        self._thread.start()

    def stop(self) -> None:
        """Stop beating; returns once the last line is written."""
        self._stop.set()
        self._thread.join()


def _expected_stages(scenario: Scenario) -> list[str]:
    """The stages :func:`parley.report.pipeline.analyse` will report for this scenario."""
    spec = scenario.experiment
    war = scenario.war is not None and spec is not None and len(spec.policies) >= 2
    return ["stakeholder models"] + (
        ["war comparison", "forecast skill and reference class"] if war else []
    )


class _Stages:
    """Progress of the analysis by the stages it reports: ``stage k of n: name`` with the bar at
    the share of stages done (of 0.1-0.8), and a heartbeat with the seconds spent in the stage."""

    def __init__(self, progress: _Progress, expected: list[str], n_runs: int) -> None:
        self._progress = progress
        self._expected = expected
        self._n_runs = n_runs
        self._beat: _Heartbeat | None = None

    def start(self, stage: str) -> None:
        """Called by the pipeline as each stage starts."""
        self.stop()
        if stage not in self._expected:
            self._expected.append(stage)
        k = self._expected.index(stage)
        n = len(self._expected)
        fraction = 0.1 + 0.7 * k / n
        text = f"stage {k + 1} of {n}: {stage} ({self._n_runs} Monte Carlo runs)"
        self._progress.put(("progress", fraction, text))
        self._beat = self._progress.heartbeat(fraction, text)

    def stop(self) -> None:
        """Stop the heartbeat of the current stage."""
        if self._beat is not None:
            self._beat.stop()
            self._beat = None


def analysis_child(out_dir: Path) -> None:
    """Body of the child process: analyse, render and write every output into ``out_dir``."""
    out = Path(out_dir)
    progress = _Progress(out / "progress.jsonl")
    try:
        request = json.loads((out / "request.json").read_text(encoding="utf-8"))
        scenario = Scenario.model_validate(request["variants"][0]["scenario"])
        n_runs = int(request.get("n_runs", DEFAULT_RUNS))
        models = report_models(tuple(request["models"]))
        stages = _Stages(progress, _expected_stages(scenario), n_runs)
        try:
            analysis = analyse(
                scenario,
                n_runs,
                int(request.get("seed", DEFAULT_SEED)),
                models=models,
                progress=stages.start,
            )
        finally:
            stages.stop()
        progress.put(("progress", 0.8, "rendering figures and report"))
        figures = report_figures(analysis)
        (out / "figures.json").write_text(
            json.dumps(
                [
                    {
                        "id": f.id,
                        "section": f.section,
                        "title": f.title,
                        "caption": f.caption,
                        "figure": json.loads(f.figure.to_json()),
                    }
                    for f in figures
                ]
            ),
            encoding="utf-8",
        )
        (out / "report.html").write_text(render_html(analysis, figures), encoding="utf-8")
        summary: dict[str, Any] = {"forecasts": {}, "failures": {}, "notes": list(analysis.notes)}
        if analysis.stakeholder is not None:
            stake = analysis.stakeholder
            table = _forecast_rows(scenario, stake.forecasts)
            table.to_parquet(out / "forecasts.parquet", index=False)
            stake.samples.to_parquet(out / "samples.parquet", index=False)
            if len(stake.paths):
                stake.paths.to_parquet(out / "history.parquet", index=False)
            summary["failures"] = dict(stake.failed)
            for r in table.to_dict("records"):
                summary["forecasts"].setdefault(f"baseline / {r['model']}", {})[r["issue"]] = float(
                    r["forecast"]
                )
        analysis.parameters.to_parquet(out / "parameters.parquet", index=False)
        positions_table(["baseline"], [scenario]).to_parquet(out / "positions.parquet", index=False)
        comparison = getattr(analysis.war, "comparison", None)
        if isinstance(comparison, pd.DataFrame):
            comparison.to_parquet(out / "comparison.parquet", index=False)
        (out / "scenario.yaml").write_text(scenario_yaml(scenario), encoding="utf-8")
        progress.put(("done", 1.0, json.dumps(summary, default=str)))
    except Exception as exc:  # reported to the parent, which marks the run failed
        progress.put(("error", 0.0, f"{type(exc).__name__}: {exc}"))


def _finite_or_none(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _form_path(parameter: str, scenario: Scenario) -> list[str]:
    """The form paths (``data-path`` in the page) that show a parameter of the report's tables.

    ``actors.UKR.positions.territory.salience`` -> ``actors[0].positions.territory.salience``;
    ``war.supporters.0.aid_high_bn_per_year`` -> ``war.supporters[0].aid_high_bn_per_year`` (and
    its entry in ``experiment.uncertainties`` when it is uncertain); ``<path> [<set>]`` -> the
    override of assumption set ``<set>``.
    """
    from parley.web.library import field_path

    parts = parameter.split(".")
    if parts[0] in ("actors", "issues") and len(parts) > 2:
        ids = [x.id for x in (scenario.actors if parts[0] == "actors" else scenario.issues)]
        if parts[1] not in ids:
            return []
        return [field_path((parts[0], ids.index(parts[1]), *parts[2:]))]
    if parts[0] != "war":
        return []
    if parameter.endswith("]") and " [" in parameter:
        path, name = parameter[:-1].split(" [", 1)
        return [field_path(("experiment", "assumptions", name, "overrides", path))]
    out = [field_path(tuple(int(p) if p.isdigit() else p for p in parts))]
    spec = scenario.experiment
    if spec is not None and parameter in spec.uncertainties:
        out.append(field_path(("experiment", "uncertainties", parameter)))
    return out


def _war_parameters(scenario: Scenario) -> pd.DataFrame | None:
    """The report's war parameter table (:func:`parley.experiments.parameter_table.war_parameters`)."""
    if scenario.war is None:
        return None
    frame: pd.DataFrame = war_parameters(scenario)
    return frame


def parameter_table(scenario: Scenario) -> list[dict[str, Any]]:
    """Every input with its stated range and source, keyed by the form paths that show it.

    Stakeholder inputs come from :func:`parley.report.pipeline.stakeholder_parameters` and war
    inputs from :func:`parley.experiments.parameter_table.war_parameters` (ranges from ``experiment``, sources from
    the scenario's ``metadata``); ``paths`` are the field paths of the dashboard's forms
    (``actors[2].positions.territory.salience``), ``path`` the first of them.
    """
    frames = [stakeholder_parameters(scenario)]
    war = _war_parameters(scenario)
    if war is not None:
        frames.append(war)
    rows = []
    for frame in frames:
        for rec in frame.to_dict("records"):
            paths = _form_path(str(rec["parameter"]), scenario)
            rows.append(
                {
                    "parameter": rec["parameter"],
                    "path": paths[0] if paths else None,
                    "paths": paths,
                    "value": _finite_or_none(rec["value"]),
                    "low": _finite_or_none(rec["low"]),
                    "high": _finite_or_none(rec["high"]),
                    "source": rec["source"],
                }
            )
    return rows


def run_analysis(request: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Run :func:`analysis_child` as ``python -m parley.web.report_job <run folder>``.

    The child reads the run's ``request.json`` and appends its progress to ``progress.jsonl``; the
    parent follows that file and terminates the child when the user cancels.
    """
    out = ctx.out_dir
    progress_file = out / "progress.jsonl"
    progress_file.unlink(missing_ok=True)
    ctx.progress(0.02, "starting the analysis process")
    with (out / "analysis.log").open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "parley.web.report_job", str(out)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    (out / "analysis.pid").write_text(str(proc.pid), encoding="utf-8")
    summary: dict[str, Any] | None = None
    error: str | None = None
    seen = 0
    try:
        while summary is None and error is None:
            ctx.check()
            exited = proc.poll() is not None
            content = progress_file.read_text(encoding="utf-8") if progress_file.exists() else ""
            lines = content.split("\n")[:-1]  # the last piece is empty or still being written
            for line in lines[seen:]:
                kind, fraction, text = json.loads(line)
                if kind == "progress":
                    ctx.progress(fraction, text)
                elif kind == "done":
                    summary = json.loads(text)
                else:
                    error = text
            seen = len(lines)
            if summary is None and error is None:
                if exited:
                    error = (
                        f"the analysis process stopped unexpectedly (exit code {proc.returncode})"
                    )
                else:
                    time.sleep(0.1)
    except (JobCancelled, JobInterrupted):
        proc.terminate()
        raise
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if error is not None:
        raise RuntimeError(error)
    assert summary is not None
    return summary


if __name__ == "__main__":
    analysis_child(Path(sys.argv[1]))
