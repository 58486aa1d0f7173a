"""``parley simulate``: run the bargaining-while-fighting simulator on a scenario's war section.

Writes ``simulation.nc`` (NetCDF4 via h5netcdf; ``--format zarr`` writes ``simulation.zarr`` if
zarr is installed), ``summary.json`` (:func:`parley.war.summary.summarise`, plus the policy, the
assumption set, the seed, the scenario's hash and parley's version), and, week by week from the
start date (:mod:`parley.war.summary`):

- ``front_quantiles.csv``: occupied km², ``date,q05,q10,q25,q50,q75,q90,q95``;
- ``status.csv``: share of runs in each state, ``date,ongoing,settled,collapse_A,collapse_B,
  catastrophe`` (A and B are the scenario's ``war.sides``);
- ``losses_quantiles.csv``: cumulative killed and wounded, ``date,side,q05,q25,q50,q75,q95``;
- ``aid_quantiles.csv``: cumulative aid delivered, EUR bn, ``date,supporter,q05,...,q95``.

``--policy NAME`` applies the levers of one of the scenario's ``experiment.policies``;
``--assumptions SET`` draws each run's parameters as the experiment does for that assumption set
(``baseline`` = the scenario's uncertainties alone). Without them the scenario's own values run.

``--losses-fit`` and ``--aid-fit`` read the fits written by ``parley calibrate losses --out`` and
``parley calibrate aid --out`` (fitted up to the start date) and draw, per run, the loss
intensity and over-dispersion of both sides, every supporter's aid switching (its own donor's,
or the donors' pooled prior) and levels (of the supporters the fit maps to a donor), the common
shock and substitution from them (:mod:`parley.analysis.fitted_processes`); they win over the policy's
and the assumption set's values of the same fields.

``--front-params`` reads a file written by ``parley calibrate front``; its values replace the
scenario's ``war.front`` numbers, and when its fitted series ends on the start date or less than one
step before it (``metadata.last_date``), the last observed area (``metadata.last_value``) becomes the
initial area and the starting regime is drawn from the filtered regime probabilities on that day
(``metadata.regime_probs_last``, or ``p_manoeuvre_last`` of a two-regime fit). A file with a
``mixture`` of window fits (``calibrate front --windows``) gives each window's fit its stacking
share of the runs, each run starting from its own window's filtered regime
(:mod:`parley.analysis.front_mixture`); ``summary.json`` lists the windows, weights and runs under
``front_mixture``. By default each run draws its own front parameters from the asymptotic normal law of
the maximum-likelihood fit (``metadata.theta``/``theta_cov``;
:func:`parley.analysis.front_draws.sample_front_params`), so the intervals in
``front_quantiles.csv`` include what the data cannot pin down (``--no-parameter-uncertainty`` uses the
point estimates).
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import typer

from parley.cli import app, fail
from parley.cli._json import json_safe
from parley.cli.options import check_in_file, check_simulate
from parley.experiments.design import policy_overrides
from parley.experiments.manifest import parley_version, scenario_hash
from parley.scenario.errors import ScenarioError
from parley.seeds import DEFAULT_SEED
from parley.war.engine import simulate as run_simulation
from parley.war.front import FrontParams
from parley.war.front_parameters import front_overrides as front_overrides
from parley.war.params import compile_war
from parley.war.summary import (
    aid_quantiles,
    front_quantiles,
    losses_quantiles,
    status_table,
    summarise,
)


def _uncertainty_rng(seed: int) -> np.random.Generator:
    """A stream for parameter draws, separate from the simulation's mechanism streams."""
    return np.random.default_rng(np.random.SeedSequence([seed, 0x46524F4E54]))  # "FRONT"


def _starts_from_fit(last_date: Any, start: str | None, step_days: float) -> bool:
    """The fit's last observed day is the start date, or less than one step before it."""
    if start is None:
        return True
    if last_date is None:
        return False
    try:
        gap = (date.fromisoformat(start) - date.fromisoformat(str(last_date))).days
    except ValueError:
        return False
    return 0 <= gap < step_days


def fitted_overrides(
    losses_fit: Path | None, aid_fit: Path | None, supporters: list[str], runs: int, seed: int
) -> dict[str, Any]:
    """Per-run overrides from ``--losses-fit``/``--aid-fit`` files
    (:mod:`parley.analysis.fitted_processes`; ``supporters``: the scenario's supporter actors in
    order), drawn from their own stream."""
    from parley.analysis.fitted_processes import (  # noqa: PLC0415
        aid_note,
        aid_overrides,
        losses_overrides,
    )

    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x4C4F535345]))  # "LOSSE"
    out: dict[str, Any] = {}
    for path, option in ((losses_fit, "--losses-fit"), (aid_fit, "--aid-fit")):
        if path is None:
            continue
        check_in_file(path, option)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise fail(f"{option} {path}: not a readable JSON file ({exc})") from None
        if not isinstance(raw, dict):
            raise ScenarioError("expected a JSON object", file=path)
        try:
            if path is losses_fit:
                out.update(losses_overrides(raw, runs, rng))
            else:
                out.update(aid_overrides(raw, supporters, runs, rng))
                typer.echo(aid_note(raw, supporters))
        except ScenarioError as exc:
            raise exc.located(file=path) from None
    return out


def drawn_front(
    raw: dict[str, Any], file: str, runs: int, seed: int, parameter_uncertainty: bool
) -> FrontParams:
    """The front parameters of every run from a ``--front-params`` payload: the window mixture
    when the file has one (:func:`parley.analysis.front_mixture.sample_mixture_params`), else its
    one fit, drawn per run from the posterior unless ``parameter_uncertainty`` is off."""
    from parley.analysis.front_draws import sample_front_params  # noqa: PLC0415
    from parley.analysis.front_mixture import (  # noqa: PLC0415
        mixture_components,
        sample_mixture_params,
    )

    rng = _uncertainty_rng(seed)
    try:
        components = mixture_components(raw, file=file)
        if components:
            return sample_mixture_params(components, runs, rng, parameter_uncertainty)
    except ScenarioError as exc:
        raise exc.located(file=file) from None
    fp = FrontParams.from_dict(raw, file=file)
    return sample_front_params(fp, runs, rng) if parameter_uncertainty else fp


def write_weekly(ds: Any, out: Path, start_date: str) -> None:
    """The weekly tables: front, status, losses and aid quantiles."""
    front_quantiles(ds, start_date).to_csv(out / "front_quantiles.csv", index=False)
    status_table(ds, start_date).to_csv(out / "status.csv", index=False)
    losses_quantiles(ds, start_date).to_csv(out / "losses_quantiles.csv", index=False)
    aid_quantiles(ds, start_date).to_csv(out / "aid_quantiles.csv", index=False)


def _fit_overrides(
    fp: FrontParams,
    path: Path,
    runs: int,
    start_date: str | None,
    step_days: float,
    overrides: dict[str, Any],
) -> str | None:
    """Add a calibrated front's overrides (its per-run parameters; its last area and filtered
    regime when the fit ends at the start) to ``overrides``; return the start date."""
    try:
        overrides.update(front_overrides(fp, runs))
    except ScenarioError as exc:
        raise exc.located(file=path) from None
    last_date, last_value = fp.metadata.get("last_date"), fp.metadata.get("last_value")
    if last_value is None or not _starts_from_fit(last_date, start_date, step_days):
        return start_date
    overrides["war.region.initial_area_km2"] = float(last_value)
    if any(fp.metadata.get(k) is not None for k in ("p_manoeuvre_last", "regime_probs_last")):
        # start in the regime the filter saw on the last fitted day
        overrides["war.front.initial_regime"] = "stationary"
    return start_date or (str(last_date) if last_date else None)


def _write_dataset(ds: Any, out: Path, fmt: str) -> None:
    """Write the simulated dataset as ``simulation.nc`` (netCDF) or ``simulation.zarr``."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "zarr":
        try:
            ds.to_zarr(out / "simulation.zarr", mode="w")
        except ImportError:
            raise fail("--format zarr needs the 'zarr' package; use --format netcdf") from None
    else:
        ds.to_netcdf(out / "simulation.nc", engine="h5netcdf")


def _mixture_summary(mixture_runs: list[Any]) -> list[dict[str, Any]]:
    """The window mixture's entry of ``summary.json`` (window, weight, runs), echoed on one line."""
    typer.echo(
        "front: window mixture of "
        + ", ".join(f"{w} days {v:.3f} ({n} runs)" for w, v, n in mixture_runs)
    )
    return [{"window_days": w, "weight": v, "runs": n} for w, v, n in mixture_runs]


@app.command()
def simulate(
    scenario: Path = typer.Argument(..., help="Scenario file with a 'war' section."),
    out: Path = typer.Option(..., "--out", help="Output directory."),
    runs: int = typer.Option(10000, "--runs", min=1, help="Monte Carlo runs."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed (same seed, same results)."),
    front_params: Path | None = typer.Option(None, "--front-params", help="Calibrated front JSON."),
    start: str | None = typer.Option(None, "--start", help="Start date YYYY-MM-DD."),
    horizon: float | None = typer.Option(None, "--horizon", help="Horizon in days."),
    fmt: str = typer.Option("netcdf", "--format", help="netcdf or zarr."),
    path_every: int = typer.Option(1, "--path-every", min=1, help="Record paths every k steps."),
    parameter_uncertainty: bool = typer.Option(
        True,
        "--parameter-uncertainty/--no-parameter-uncertainty",
        help="Draw each run's front parameters from the fit's asymptotic law (--front-params).",
    ),
    policy: str | None = typer.Option(None, "--policy", help="A policy of the scenario."),
    assumptions: str | None = typer.Option(
        None, "--assumptions", help="An assumption set of the scenario, or 'baseline'."
    ),
    losses_fit: Path | None = typer.Option(
        None, "--losses-fit", help="Loss fit JSON (parley calibrate losses --out)."
    ),
    aid_fit: Path | None = typer.Option(
        None, "--aid-fit", help="Aid fit JSON (parley calibrate aid --out)."
    ),
) -> None:
    """Simulate how the war ends: settlement, collapse or catastrophe, with terms and durability."""
    sc, front_raw = check_simulate(
        scenario,
        out=out,
        runs=runs,
        seed=seed,
        horizon=horizon,
        path_every=path_every,
        front_params=front_params,
    )
    if fmt not in ("netcdf", "zarr"):
        raise fail(f"--format must be netcdf or zarr, got '{fmt}'")
    if sc.war is None:
        raise ScenarioError("scenario has no 'war' section to simulate", file=scenario, field="war")
    if start is not None:
        try:
            date.fromisoformat(start)
        except ValueError:
            raise fail(f"--start must be a date YYYY-MM-DD, got '{start}'") from None
    start_date = start or sc.start_date
    overrides: dict[str, Any] = policy_overrides(sc, policy, assumptions, runs, seed)
    fp: FrontParams | None = None
    if front_params is not None and front_raw is not None:
        fp = drawn_front(front_raw, str(front_params), runs, seed, parameter_uncertainty)
        start_date = _fit_overrides(
            fp, front_params, runs, start_date, sc.war.time.step_days, overrides
        )
    overrides.update(
        fitted_overrides(losses_fit, aid_fit, [sp.actor for sp in sc.war.supporters], runs, seed)
    )
    if horizon is not None:  # check_simulate has refused a horizon <= 0
        overrides["war.time.horizon_steps"] = max(1, math.ceil(horizon / sc.war.time.step_days))
    params = compile_war(sc, overrides, runs)
    params = dataclasses.replace(params, start_date=start_date)
    if fp is not None:
        params = dataclasses.replace(
            params,
            front_params=dataclasses.replace(params.front_params, metadata=dict(fp.metadata)),
        )
    ds = run_simulation(params, runs, seed, path_every=path_every)
    _write_dataset(ds, out, fmt)
    summary = {
        "policy": policy or "scenario",
        "assumptions": assumptions or "scenario",
        "seed": seed,
        "scenario_hash": scenario_hash(sc),
        "parley_version": parley_version(),
        **summarise(ds),
    }
    if fp is not None and "mixture_runs" in fp.metadata:
        summary["front_mixture"] = _mixture_summary(fp.metadata["mixture_runs"])
    (out / "summary.json").write_text(json.dumps(json_safe(summary), indent=2) + "\n")
    if start_date:
        write_weekly(ds, out, start_date)
    else:
        typer.echo("note: no start date (scenario start_date or --start); weekly tables skipped")
    s = summary["outcome"]
    typer.echo(
        f"{runs} runs, {params.horizon_steps} steps: settlement {s['settlement']['p']:.3f}, "
        f"collapse A {s['collapse_A']['p']:.3f}, collapse B {s['collapse_B']['p']:.3f}, "
        f"catastrophe {s['catastrophe']['p']:.4f}, ongoing {s['ongoing']['p']:.3f} -> {out}"
    )
