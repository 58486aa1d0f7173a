"""``parley backtest``: score front forecasts from rolling origins against naive benchmarks.

``parley backtest SERIES.csv [--scenario S] [--policy P] [--assumptions SET] --origin DATE
[--origin ...] [--origins START:END:STEP_DAYS] --horizon DAYS [--column occupied_total_km2]
[--runs N] --out DIR`` fits the offensive front process to the data up to each origin only
(:mod:`parley.analysis.backtest`), simulates it forward and scores every weekly horizon inside the
file with the weighted interval score and the CRPS, next to a zero-drift random walk, a random walk
with a robust (jump-free) scale and climatology. Writes ``scores.csv``
(``origin,horizon_days,model,wis,crps,cover50,cover80,cover90,bias``), ``pit.csv``,
``summary.csv``/``summary.md`` (each model's ratio to the random walk), ``origins.csv`` and the
figures ``fans.png`` and ``pit.png``. The front-only forecast is by default the stacking mixture
of fits on the windows of ``--windows`` (60, 90, 120 and 180 days;
:mod:`parley.analysis.window_stacking`), and ``weights.csv`` lists each origin's weights;
``--windows none`` fits the single ``--window``. Through the engine (``--policy``/
``--assumptions``) the same mixture runs, each run's front drawn from its window's fit
(:mod:`parley.analysis.front_mixture`).

``--scenario`` supplies the bounds of the contested area (``war.region``). Without ``--policy``
and ``--assumptions`` only the front process is simulated; with either, the fitted front runs
inside the war engine from each origin under that policy and assumption set (one set; ``baseline``
draws the scenario's own uncertainties), as ``parley simulate --front-params`` would
(:mod:`parley.analysis.engine_forecast`), and horizons are whole engine steps.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import typer

from parley.analysis.window_stacking import SCORE_BLOCKS
from parley.cli import app, fail
from parley.cli.options import ScoreBlocksOpt, WindowsOpt, parse_windows
from parley.cli.series import read_series
from parley.scenario.errors import ScenarioError
from parley.scenario.load import load_scenario
from parley.seeds import DEFAULT_SEED


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} must be a date YYYY-MM-DD, got '{value}'") from None


def parse_origins(single: list[str], ranges: list[str]) -> list[date]:
    """Origins from ``--origin DATE`` and ``--origins START:END:STEP_DAYS`` (sorted, unique)."""
    out = {_day(v, "--origin") for v in single}
    for spec in ranges:
        parts = spec.split(":")
        if len(parts) != 3 or not parts[2].strip().isdigit() or int(parts[2]) < 1:
            raise fail(f"--origins must be START:END:STEP_DAYS (step >= 1 day), got '{spec}'")
        lo, hi, step = _day(parts[0], "--origins"), _day(parts[1], "--origins"), int(parts[2])
        if hi < lo:
            raise fail(f"--origins: END {hi} is before START {lo}")
        out.update(lo + timedelta(days=k) for k in range(0, (hi - lo).days + 1, step))
    if not out:
        raise fail("give at least one --origin DATE or --origins START:END:STEP_DAYS")
    return sorted(out)


def _bounds(scenario: Path | None, policy: str | None, assumptions: list[str]) -> dict[str, Any]:
    """Area bounds from the scenario, and an engine spec when a policy or assumption set is given."""
    from parley.analysis.engine_forecast import EngineSpec  # noqa: PLC0415
    from parley.experiments.design import BASELINE  # noqa: PLC0415

    if scenario is None:
        if policy or assumptions:
            raise fail("--policy and --assumptions need --scenario")
        return {}
    if len(assumptions) > 1:
        raise fail("give at most one --assumptions set")
    sc = load_scenario(scenario)
    exp = sc.experiment
    if policy and (exp is None or policy not in exp.policies):
        raise ScenarioError(
            f"unknown policy '{policy}'", file=scenario, field="experiment.policies"
        )
    for a in assumptions:
        if a != BASELINE and (exp is None or a not in exp.assumptions):
            raise ScenarioError(
                f"unknown assumption set '{a}'", file=scenario, field="experiment.assumptions"
            )
    if sc.war is None:
        if policy or assumptions:
            raise ScenarioError(
                "--policy/--assumptions need a scenario with a 'war' section",
                file=scenario,
                field="war",
            )
        return {}
    out: dict[str, Any] = {
        "area_min": sc.war.region.area_min_km2,
        "area_max": sc.war.region.area_max_km2,
    }
    if policy or assumptions:
        out["engine"] = EngineSpec(sc, policy, assumptions[0] if assumptions else None)
        try:
            out["engine"].step_days()
        except ScenarioError as exc:
            raise exc.located(file=scenario) from None
    return out


@app.command()
def backtest(
    series: Path = typer.Argument(..., help="CSV with a 'date' column and the value column."),
    out: Path = typer.Option(..., "--out", help="Output directory."),
    horizon: int = typer.Option(..., "--horizon", min=7, help="Longest horizon, days."),
    origin: list[str] = typer.Option([], "--origin", help="Forecast origin YYYY-MM-DD; repeat."),
    origins: list[str] = typer.Option(
        [], "--origins", help="Origins FIRST:LAST:STEP_DAYS (dates, days); repeat."
    ),
    column: str = typer.Option("occupied_total_km2", "--column", help="Column with the values."),
    runs: int = typer.Option(2000, "--runs", min=100, help="Simulated runs per origin."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed (same seed, same results)."),
    start: str | None = typer.Option(None, "--from", help="First day any fit may use."),
    window: int = typer.Option(
        180, "--window", min=21, help="Single fitting window, days (--windows none; fallback)."
    ),
    repeated: bool = typer.Option(
        False, "--repeated-as-missing", help="A value equal to the previous one is not observed."
    ),
    local_level: bool = typer.Option(
        True,
        "--local-level/--no-local-level",
        help="The positional drift moves (reverting towards 0) in each run.",
    ),
    windows: WindowsOpt = None,
    score_blocks: ScoreBlocksOpt = SCORE_BLOCKS,
    scenario: Path | None = typer.Option(None, "--scenario", help="Scenario (area bounds)."),
    policy: str | None = typer.Option(
        None, "--policy", help="A policy of the scenario: forecast through the war engine."
    ),
    assumptions: list[str] = typer.Option(
        [], "--assumptions", help="An assumption set or 'baseline': forecast through the engine."
    ),
) -> None:
    """Backtest the front process from rolling origins against random-walk benchmarks."""
    days = parse_origins(origin, origins)
    window_list = parse_windows(windows)
    start_d = _day(start, "--from") if start else None
    bounds = _bounds(scenario, policy, assumptions)
    data = read_series(series, column)
    from parley.analysis import backtest as bt  # noqa: PLC0415
    from parley.analysis.backtest_figures import fan_figure, pit_figure  # noqa: PLC0415

    try:
        results = bt.run_backtest(
            data,
            days,
            horizon,
            runs=runs,
            seed=seed,
            start=start_d,
            window_days=window,
            repeated_as_missing=repeated,
            local_level=local_level,
            windows=window_list,
            score_blocks=score_blocks,
            **bounds,
        )
    except ScenarioError as exc:
        raise exc.located(file=series) from None
    scores = bt.scores_table(results)
    summary = bt.summary_table(scores)
    try:
        out.mkdir(parents=True, exist_ok=True)
        scores[list(bt.SCORES_COLUMNS)].to_csv(out / "scores.csv", index=False)
        scores[["origin", "horizon_days", "model", "pit"]].to_csv(out / "pit.csv", index=False)
        summary.to_csv(out / "summary.csv", index=False)
        bt.origin_ratios(scores).to_csv(out / "origins.csv", index=False)
        if window_list:
            bt.weights_table(results).to_csv(out / "weights.csv", index=False)
        (out / "summary.md").write_text(bt.markdown_table(summary))
        fan_figure(results, data, out / "fans.png")
        pit_figure(scores, out / "pit.png")
    except OSError as exc:
        raise fail(f"cannot write to {out}: {exc.strerror}") from None
    typer.echo(f"{len(days)} origins, {len(scores)} scored rows -> {out}")
    typer.echo(summary.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
