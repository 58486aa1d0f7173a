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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import typer

from parley.analysis.window_stacking import SCORE_BLOCKS
from parley.cli import app, fail
from parley.cli.options import ScoreBlocksOpt, check_in_file, check_out_file, parse_windows
from parley.scenario.errors import ScenarioError
from parley.scenario.front_params import check_area_series
from parley.scenario.load import read_text
from parley.war.front import REGIMES

calibrate_app = typer.Typer(help="Fit simulator components to data.", no_args_is_help=True)
app.add_typer(calibrate_app, name="calibrate")

_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} must be a date YYYY-MM-DD, got '{value}'") from None


def read_series(path: Path, column: str) -> Any:
    """Read ``date`` and ``column`` of a CSV as a daily series (NaN where not observed).

    Dates are ``YYYY-MM-DD``, optionally followed by a midnight time (``00:00:00``). Rows stay in
    file order (a caller that needs sorted dates checks them).

    Raises :class:`ScenarioError` naming the file, the column or the row that is wrong.
    """
    import pandas as pd  # noqa: PLC0415 (keeps the CLI start fast)

    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(f"not a readable CSV file: {exc}", file=path) from None
    if "date" not in frame.columns:
        raise ScenarioError(
            f"needs a 'date' column (columns: {', '.join(map(str, frame.columns))})",
            file=path,
            field="date",
        )
    if column not in frame.columns:
        numeric = [str(c) for c in frame.columns if c != "date"]
        raise ScenarioError(
            f"no column '{column}' (columns: {', '.join(numeric)}); choose one with --column",
            file=path,
            field=column,
        )
    # a day, optionally with a midnight time (the liveuamap file writes "2022-02-20 00:00:00")
    day = (
        frame["date"]
        .str.strip()
        .str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$", r"\1", regex=True)
    )
    dates = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    _first_bad(
        dates.isna(), path, "date", lambda r: f"date '{frame['date'].iloc[r]}' is not YYYY-MM-DD"
    )
    raw = frame[column].str.strip()
    values = pd.to_numeric(raw, errors="coerce")
    bad_v = values.isna() & (raw != "") & (raw.str.lower() != "nan")
    _first_bad(bad_v, path, column, lambda r: f"'{raw.iloc[r]}' is not a number")
    infinite = values.abs() == float("inf")
    _first_bad(infinite, path, column, lambda r: f"'{raw.iloc[r]}' is not a finite number")
    if "observed" in frame.columns:
        flag = frame["observed"].str.strip().str.lower()
        _first_bad(
            ~flag.isin(_TRUE | _FALSE | {""}),
            path,
            "observed",
            lambda r: f"observed must be True or False, got '{frame['observed'].iloc[r]}'",
        )
        values = values.where(~flag.isin(_FALSE))
    series = pd.Series(values.to_numpy(dtype=float), index=pd.DatetimeIndex(dates), name=column)
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()][0]
        raise ScenarioError(f"date {dup.date()} appears twice", file=path, field="date")
    return series


def _first_bad(mask: Any, path: Path, field: str, what: Callable[[int], str]) -> None:
    """Raise a ScenarioError for the first data row flagged in ``mask`` (line = row + 2)."""
    hits = mask.to_numpy().nonzero()[0]
    if hits.size:
        row = int(hits[0])
        raise ScenarioError(f"row {row + 1}: {what(row)}", file=path, field=field, line=row + 2)


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
    windows: str | None = typer.Option(
        None,
        "--windows",
        help="Stacking mixture of fits on these windows (days; offensive, default "
        "60,90,120,180); 'none': the single --window fit.",
    ),
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

    until_d = _date(until, "--until")
    start_d = _date(start, "--from")
    if start_d >= until_d:
        raise fail(f"--from ({start_d}) must be before --until ({until_d})")
    if jumps not in ("manoeuvre", "both", "none"):
        raise fail(f"--jumps must be manoeuvre, both or none, got '{jumps}'")
    if not (math.isfinite(min_jump_sd) and min_jump_sd >= 0):
        raise fail("--min-jump-sd must be a number >= 0")
    if model not in ("offensive", "two-regime"):
        raise fail(f"--model must be offensive or two-regime, got '{model}'")
    if drift_prior_sd is not None and not (math.isfinite(drift_prior_sd) and drift_prior_sd > 0):
        raise fail(f"--drift-prior-sd must be a number > 0 (km²/day), got {drift_prior_sd}")
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
    meta = params.metadata
    typer.echo(
        f"front fit to {series.name}:{column}, {meta['fitted_from']} .. {meta['fitted_until']} "
        f"({diag.n_obs} intervals), log-likelihood {diag.log_likelihood:.1f}"
    )
    se_label = "posterior sd" if model == "offensive" else "std. error"
    typer.echo(f"{'parameter':<28} {'estimate':>12} {se_label:>12}")
    for name in meta["theta_names"]:
        value = float(getattr(params, name))
        se = params.stderr.get(name, math.nan)
        typer.echo(f"{name:<28} {_fmt(value):>12} {_fmt(se):>12}")
    if not diag.hessian_positive_definite:
        typer.echo("warning: the observed information is not positive definite; SEs unreliable")
    if model == "offensive":
        probs = ", ".join(
            f"{name} {p:.3f}" for name, p in zip(REGIMES, meta["regime_probs_last"], strict=True)
        )
        theta = float(params.drift_reversion)
        half = f"half-life {math.log(2) / theta:.0f} days" if theta > 0 else "held"
        typer.echo(
            f"positional-drift prior N(0, {meta['drift_prior_sd']:.1f}² km²/day²); the drift "
            f"moves with sd {float(params.drift_innovation_sd):.2f} km²/day per √day and "
            f"reverts towards 0 at {theta:.4f}/day ({half})"
        )
        typer.echo(f"regimes on {meta['last_date']}: {probs} -> {out}")
        for line in mixture_lines(mixture, until_d) if mixture is not None else ():
            typer.echo(line)
    else:
        typer.echo(f"P(manoeuvre) on {meta['last_date']}: {meta['p_manoeuvre_last']:.3f} -> {out}")


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
