"""``parley calibrate``: fit simulator components to data.

``parley calibrate front SERIES.csv --until DATE [--column occupied_total_km2] --out params.json``
fits the front process and prints every parameter with its standard error. ``--model offensive``
(the default) fits the regimes positional / offensive by A / offensive by B / culminated with
break-through jumps of either sign, as a Bayesian posterior (mode and Laplace sd;
:func:`parley.analysis.front_offensive.fit_front_offensive`, priors in ``docs/calibration.md``;
the positional-drift prior from the drift rule of :mod:`parley.analysis.drift_prior` unless
``--drift-prior-sd`` fixes it) on ``[max(--from, --until − --window), --until]``; by default
the stacking mixture of fits on the windows of ``--windows`` (60, 90, 120 and 180 days, as
``parley backtest`` forecasts; :mod:`parley.analysis.front_mixture`): the file's top level is the
highest-weight window's fit and ``mixture`` lists every window's weight and fit
(``--windows none``: the single ``--window`` fit);
``--model two-regime`` the first positional / manoeuvre jump diffusion by maximum likelihood with
the Hamilton filter (:func:`parley.analysis.calibrate.fit_front`; war-model §5). The CSV needs a ``date`` column (YYYY-MM-DD) and the value
column; an optional boolean ``observed`` column marks carried-forward rows, which are treated as
missing days. The JSON written is read by ``parley simulate --front-params``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import typer

from parley.analysis.window_stacking import SCORE_BLOCKS
from parley.cli import app, fail
from parley.cli.options import (
    ScoreBlocksOpt,
    WindowsOpt,
    check_in_file,
    check_out_file,
    parse_windows,
)
from parley.cli.series import read_series as read_series
from parley.scenario.errors import ScenarioError
from parley.scenario.front_params import check_area_series
from parley.scenario.load import read_text
from parley.war.front import REGIMES

calibrate_app = typer.Typer(help="Fit simulator components to data.", no_args_is_help=True)
app.add_typer(calibrate_app, name="calibrate")


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} must be a date YYYY-MM-DD, got '{value}'") from None


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return "nan"
    return f"{value:.6g}"


@calibrate_app.command("front")
def calibrate_front(
    series: Path = typer.Argument(..., help="CSV with a 'date' column and the area column."),
    until: str = typer.Option(..., "--until", help="Last day used for the fit, YYYY-MM-DD."),
    out: Path = typer.Option(..., "--out", help="Where to write the fitted parameters (JSON)."),
    column: str = typer.Option("occupied_total_km2", "--column", help="Column with km² values."),
    start: str = typer.Option(
        "2022-05-15", "--from", help="First day used (default: after DeepState caught up)."
    ),
    jumps: str = typer.Option(
        "manoeuvre", "--jumps", help="Where jumps live: manoeuvre, both or none."
    ),
    min_jump_sd: float = typer.Option(500.0, "--min-jump-sd", help="Floor on jump-size sd, km²."),
    model: str = typer.Option(
        "offensive", "--model", help="offensive (default) or two-regime (the first fit)."
    ),
    repeated: bool = typer.Option(
        False, "--repeated-as-missing", help="A value equal to the previous one is not observed."
    ),
    drift_prior_sd: float | None = typer.Option(
        None,
        "--drift-prior-sd",
        help="Sd (km²/day) of the positional-drift prior; default: the drift rule (offensive).",
    ),
    window: int | None = typer.Option(
        None,
        "--window",
        min=21,
        help="Single fitting window, days back from --until (offensive; default 180; "
        "--windows none, or when too little data for two windows).",
    ),
    windows: WindowsOpt = None,
    score_blocks: ScoreBlocksOpt = SCORE_BLOCKS,
) -> None:
    """Fit the front process (offensive regimes with culmination, or positional/manoeuvre)."""
    check_in_file(series, "SERIES")
    check_out_file(out, "--out")
    check_area_series(read_series(series, column), series, column)
    from parley.analysis.calibrate import fit_front  # noqa: PLC0415
    from parley.analysis.front_mixture import (  # noqa: PLC0415
        diagnostics_payload,
        fit_offensive_windows,
        mixture_lines,
        mixture_payload,
    )

    until_d, start_d = _date(until, "--until"), _date(start, "--from")
    _check_front_options(until_d, start_d, jumps, min_jump_sd, model, drift_prior_sd)
    if model == "two-regime" and (
        window is not None or (windows is not None and windows.strip().lower() != "none")
    ):
        raise fail("--window and --windows apply to --model offensive only, not two-regime")
    window_list = parse_windows(windows) if model == "offensive" else ()
    data = read_series(series, column)
    mixture = None
    try:
        if model == "offensive":
            fit_options = {
                "repeated_as_missing": repeated,
                "series_name": series.name,
                "column": column,
                "drift_prior_sd": drift_prior_sd,
            }
            params, diag, mixture = fit_offensive_windows(
                data, until_d, start_d, window or 180, window_list, fit_options, score_blocks
            )
        else:
            params, diag = fit_front(
                data,
                until_d,
                start=start_d,
                jump_regimes=jumps,  # type: ignore[arg-type]
                min_jump_sd=min_jump_sd,
                repeated_as_missing=repeated,
                series_name=series.name,
                column=column,
            )
    except ScenarioError as exc:
        raise exc.located(file=series) from None
    payload = params.to_dict()
    payload["diagnostics"] = diagnostics_payload(diag)
    if mixture is not None:
        payload["mixture"] = mixture_payload(mixture)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(_finite(payload), indent=2) + "\n")
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}") from None
    lines = _front_fit_lines(params, diag, f"{series.name}:{column}", model, out)
    for line in [*lines, *(mixture_lines(mixture, until_d) if mixture is not None else ())]:
        typer.echo(line)


def _check_front_options(
    until: date,
    start: date,
    jumps: str,
    min_jump_sd: float,
    model: str,
    drift_prior_sd: float | None,
) -> None:
    """Refuse, in one line, the options of ``calibrate front`` that cannot be fitted."""
    if start >= until:
        raise fail(f"--from ({start}) must be before --until ({until})")
    if jumps not in ("manoeuvre", "both", "none"):
        raise fail(f"--jumps must be manoeuvre, both or none, got '{jumps}'")
    if not (math.isfinite(min_jump_sd) and min_jump_sd >= 0):
        raise fail("--min-jump-sd must be a number >= 0")
    if model not in ("offensive", "two-regime"):
        raise fail(f"--model must be offensive or two-regime, got '{model}'")
    if drift_prior_sd is not None and not (math.isfinite(drift_prior_sd) and drift_prior_sd > 0):
        raise fail(f"--drift-prior-sd must be a number > 0 (km²/day), got {drift_prior_sd}")


def _front_fit_lines(params: Any, diag: Any, source: str, model: str, out: Path) -> list[str]:
    """What ``parley calibrate front`` prints about a fit: the window, every estimate with its
    posterior sd (offensive) or standard error (two-regime), the drift rule's numbers and the
    filtered regime on the last day."""
    meta = params.metadata
    lines = [
        f"front fit to {source}, {meta['fitted_from']} .. {meta['fitted_until']} "
        f"({diag.n_obs} intervals), log-likelihood {diag.log_likelihood:.1f}"
    ]
    se_label = "posterior sd" if model == "offensive" else "std. error"
    lines.append(f"{'parameter':<28} {'estimate':>12} {se_label:>12}")
    for name in meta["theta_names"]:
        value = float(getattr(params, name))
        se = params.stderr.get(name, math.nan)
        lines.append(f"{name:<28} {_fmt(value):>12} {_fmt(se):>12}")
    if not diag.hessian_positive_definite:
        lines.append("warning: the observed information is not positive definite; SEs unreliable")
    if model != "offensive":
        return [
            *lines,
            f"P(manoeuvre) on {meta['last_date']}: {meta['p_manoeuvre_last']:.3f} -> {out}",
        ]
    probs = ", ".join(
        f"{name} {p:.3f}" for name, p in zip(REGIMES, meta["regime_probs_last"], strict=True)
    )
    theta = float(params.drift_reversion)
    half = f"half-life {math.log(2) / theta:.0f} days" if theta > 0 else "held"
    lines.append(
        f"positional-drift prior N(0, {meta['drift_prior_sd']:.1f}² km²/day²); the drift "
        f"moves with sd {float(params.drift_innovation_sd):.2f} km²/day per √day and "
        f"reverts towards 0 at {theta:.4f}/day ({half})"
    )
    lines.append(f"regimes on {meta['last_date']}: {probs} -> {out}")
    return lines


def _finite(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_finite(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


@calibrate_app.command("losses")
def calibrate_losses(
    losses: Path = typer.Argument(..., help="CSV with 'date' and cumulative losses."),
    front: Path = typer.Option(..., "--front", help="CSV with 'date' and the occupied area."),
    until: str = typer.Option(..., "--until", help="Last day used for the fit, YYYY-MM-DD."),
    column: str = typer.Option("personnel", "--column", help="Cumulative losses column."),
    front_column: str = typer.Option("occupied_total_km2", "--front-column", help="Area column."),
    start: str = typer.Option("2022-05-15", "--from", help="First day used."),
    out: Path | None = typer.Option(
        None, "--out", help="Write the fit as JSON (simulate reads it)."
    ),
    confirmed: Path | None = typer.Option(
        None, "--confirmed", help="Photo-confirmed losses CSV (Oryx): check the lower bound."
    ),
) -> None:
    """Fit weekly losses (negative binomial, tied to front movement) and print the parameters.

    ``--confirmed`` compares the claims with the photo-confirmed lower bound up to ``--until``
    (:mod:`parley.analysis.confirmed_losses`).

    The losses series is used as an intensity index (:mod:`parley.analysis.losses_fit`);
    ``--out`` writes the fit for ``parley simulate --losses-fit``.
    """
    if out is not None:
        check_out_file(out, "--out")
    from parley.analysis.losses_fit import fit_weekly_losses, weekly_table  # noqa: PLC0415

    until_d, start_d = _date(until, "--until"), _date(start, "--from")
    cumulative, area = read_series(losses, column), read_series(front, front_column)
    try:
        fit = fit_weekly_losses(weekly_table(cumulative, area, until_d, start=start_d))
    except ScenarioError as exc:
        raise exc.located(file=losses) from None
    for line in fit.lines():
        typer.echo(line)
    if confirmed is not None:
        for line in _lower_bound(losses, confirmed, until_d, start_d):
            typer.echo(line)
    _write_fit(fit, out, {"until": str(until_d), "series": losses.name, "column": column})


def _lower_bound(losses: Path, confirmed: Path, until: date, start: date) -> list[str]:
    """Lines comparing the claimed equipment losses with the photo-confirmed ones up to ``until``."""
    import pandas as pd  # noqa: PLC0415

    from parley.analysis import confirmed_losses as cl  # noqa: PLC0415

    check_in_file(confirmed, "--confirmed")
    try:
        frame = pd.read_csv(io.StringIO(read_text(confirmed)))
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(f"not a readable CSV file: {exc}", file=confirmed) from None
    try:
        table = cl.confirmed_totals(frame)
    except ScenarioError as exc:
        raise exc.located(file=confirmed) from None
    table = table[table.index <= pd.Timestamp(until)]
    columns = sorted({c for cols in cl.CATEGORIES.values() for c in cols})
    claims = pd.DataFrame({c: read_series(losses, c) for c in columns})
    try:
        return cl.lower_bound_lines(cl.claims_against_confirmed(claims, table), pd.Timestamp(start))
    except ScenarioError as exc:
        raise exc.located(file=losses) from None


@calibrate_app.command("aid")
def calibrate_aid(
    kiel: Path = typer.Argument(..., help="Kiel tracker CSV (iso, year, month, total)."),
    until: str = typer.Option(..., "--until", help="Last month used, YYYY-MM."),
    donors: str = typer.Option(",".join(("USA", "EU", "GBR", "DEU")), "--donors", help="ISO ids."),
    threshold: float = typer.Option(0.5, "--threshold", help="High regime: >= this x mean."),
    out: Path | None = typer.Option(
        None, "--out", help="Write the fit as JSON (simulate reads it)."
    ),
    mapping: str | None = typer.Option(
        None,
        "--map",
        help="Scenario supporter=donor pairs, e.g. 'US=USA,EU=EU' (default: same ids).",
    ),
) -> None:
    """Fit donors' aid regimes (per donor, shrunk towards the pool), levels, common factor and
    substitution; print the parameters (``--out`` writes the fit for ``parley simulate
    --aid-fit``; ``--map`` says which scenario supporter each donor is)."""
    if out is not None:
        check_out_file(out, "--out")
    import pandas as pd  # noqa: PLC0415

    from parley.analysis.aid_fit import fit_aid, monthly_matrix, supporter_map  # noqa: PLC0415

    if len(until) != 7 or until[4] != "-" or not (until[:4] + until[5:]).isdigit():
        raise fail(f"--until must be a month YYYY-MM, got '{until}'")
    if not 0 < threshold < 1:
        raise fail("--threshold must lie strictly between 0 and 1")
    try:
        frame = pd.read_csv(io.StringIO(read_text(kiel)))
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(f"not a readable CSV file: {exc}", file=kiel) from None
    try:
        mat = monthly_matrix(frame, [d.strip() for d in donors.split(",") if d.strip()], until)
        fit = fit_aid(mat, threshold=threshold)
    except ScenarioError as exc:
        raise exc.located(file=kiel) from None
    if mapping is not None:
        fit = dataclasses.replace(fit, supporters=supporter_map(mapping, fit.donors))
    for line in fit.lines():
        typer.echo(line)
    _write_fit(fit, out, {"until": until, "series": kiel.name, "threshold": threshold})


def _write_fit(fit: Any, out: Path | None, about: dict[str, Any]) -> None:
    """Write a fit dataclass as JSON (with what it was fitted to) for ``parley simulate``."""
    if out is None:
        return
    payload = {**dataclasses.asdict(fit), "fitted": about}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(_finite(payload), indent=2) + "\n")
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(f"-> {out}")
