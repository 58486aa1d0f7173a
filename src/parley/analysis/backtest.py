"""Rolling-origin backtest of the front process against naive benchmarks (``parley backtest``).

For each forecast origin the series is cut at the origin **before anything else happens**: the
fit (:func:`parley.analysis.front_offensive.fit_front_offensive`), the benchmarks
(:mod:`parley.analysis.benchmarks`) and the starting point only ever see the rows dated on or
before the origin (Tashman 2000, "Out-of-sample tests of forecasting accuracy: an analysis and
review", IJF 16(4):437–450). The fitted process is simulated forward from the last observed area,
each run with its own parameters drawn from the posterior, and every weekly horizon whose target
day lies inside the file is scored against the carried-forward observation of that day
(:mod:`parley.analysis.scoring`). By default only the front process is simulated (the force ratio
is held at 0, so the force-ratio terms of the front do not act); with a policy or an assumption set
the fitted front runs inside the war engine (:mod:`parley.analysis.engine_forecast`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from parley.analysis import benchmarks as bm
from parley.analysis.engine_forecast import EngineSpec, engine_area_paths
from parley.analysis.front_backtest import forecast_front
from parley.analysis.front_offensive import fit_front_offensive
from parley.analysis.scoring import score_normal, score_samples
from parley.analysis.window_stacking import SCORE_BLOCKS, allocate_runs, fit_window_mixture
from parley.scenario.errors import ScenarioError
from parley.war.front import FrontParams

MODEL = "front"
MODELS = (MODEL, *bm.BENCHMARKS)
SCORES_COLUMNS = (
    "origin",
    "horizon_days",
    "model",
    "wis",
    "crps",
    "cover50",
    "cover80",
    "cover90",
    "bias",
)
FAN_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class OriginForecast:
    """What one origin produced: the fit, the scored rows, and daily fans for the figures."""

    origin: date
    params: FrontParams
    scores: pd.DataFrame  # SCORES_COLUMNS + pit
    fan: pd.DataFrame  # date, model, q05..q95 (front and rw)
    #: with ``windows``: (window days, stacking weight) of each candidate in the mixture
    weights: tuple[tuple[int, float], ...] = ()


def _clean(series: pd.Series) -> pd.Series:
    s = series.copy()
    s.index = pd.DatetimeIndex(pd.to_datetime(s.index)).normalize()
    if not s.index.is_monotonic_increasing:
        raise ScenarioError("dates must be in increasing order", field="date")
    if s.index.has_duplicates:
        raise ScenarioError("series has duplicate dates", field="date")
    return s.astype(float)


def horizons_for(origin: date, last: date, horizon_days: int, step_days: int = 7) -> list[int]:
    """Horizons (days after the origin) every ``step_days`` up to ``horizon_days`` inside the data."""
    room = (last - origin).days
    return [h for h in range(step_days, horizon_days + 1, step_days) if h <= room]


def forecast_origin(
    series: pd.Series,
    origin: date,
    horizon_days: int,
    *,
    runs: int = 2000,
    seed: int = 0,
    start: date | None = None,
    window_days: int = 180,
    area_min: float = 0.0,
    area_max: float = float("inf"),
    repeated_as_missing: bool = False,
    local_level: bool = True,
    engine: EngineSpec | None = None,
    windows: Sequence[int] = (),
    score_blocks: int = SCORE_BLOCKS,
) -> OriginForecast:
    """Fit on the data up to ``origin``, forecast, and score every weekly horizon inside the file.

    ``start`` (default: the first date of the series) and ``window_days`` bound the fitting
    window ``[max(start, origin − window_days), origin]``, shared by the model and the benchmarks.
    Randomness comes from ``SeedSequence([seed, origin ordinal])``, so an origin's forecast does
    not depend on which other origins are run. With ``repeated_as_missing`` a value equal to the
    previous one counts as "no new observation" for the fit and the benchmarks (for sources such
    as liveuamap that carry values forward without a flag); scoring uses the values as given.

    With ``windows`` (days) the forecast is the stacking mixture of fits on those windows
    (:mod:`parley.analysis.window_stacking`), the weights set on the data before the origin; when
    fewer than two windows can be scored there, the single ``window_days`` fit; the weights are
    fitted on ``score_blocks`` 28-day blocks before the origin. Through the
    ``engine`` each window's fit drives its share of the runs
    (:func:`parley.analysis.front_mixture.sample_mixture_params`).
    """
    full = _clean(series)
    first, last = full.index[0].date(), full.index[-1].date()
    if not first <= origin <= last:
        raise ScenarioError(
            f"origin {origin} is outside the data ({first} .. {last})", field="date"
        )
    step = 7 if engine is None else engine.step_days()
    hs = horizons_for(origin, last, horizon_days, step)
    if not hs:
        raise ScenarioError(f"origin {origin}: no observation {step} or more days later to score")
    past = full[full.index <= pd.Timestamp(origin)]  # the only data the forecast sees
    if repeated_as_missing:
        past = past.mask(past.ffill().diff() == 0)
    lo = max(start or first, origin - timedelta(days=window_days))
    window = past[past.index >= pd.Timestamp(lo)]
    if not repeated_as_missing:
        _check_not_carried_forward(window, origin)
    try:
        mixture = (
            fit_window_mixture(past, origin, start or first, windows, score_blocks=score_blocks)
            if windows
            else None
        )
        fits = mixture.fits if mixture else (fit_front_offensive(past, origin, start=lo)[0],)
    except ScenarioError as exc:
        raise ScenarioError(f"origin {origin}: {exc.message}", field=exc.field) from None
    fits = tuple(dataclasses.replace(f, area_min=area_min, area_max=area_max) for f in fits)
    shares = mixture.weights if mixture else (1.0,)
    mixed = mixture.weights if mixture else None  # a mixture's runs use spawned streams
    params = fits[int(np.argmax(shares))]
    y0 = float(params.metadata["last_value"])
    lag = (origin - date.fromisoformat(str(params.metadata["last_date"]))).days
    stream = np.random.SeedSequence([seed, origin.toordinal()])
    rng = np.random.default_rng(stream)
    if engine is None:
        days = list(range(lag + 1, lag + hs[-1] + 1))
        sims = _front_runs(fits, mixed, y0, days, runs, rng, stream, local_level)
    else:  # the front moves for `lag` days to the origin, then the engine runs whole steps
        at_origin = _front_runs(fits, mixed, y0, [lag], runs, rng, stream)[:, 0] if lag else y0
        n = hs[-1] // step
        comps = list(zip(shares, fits, strict=True))  # the engine's runs share them out alike
        paths = engine_area_paths(engine, comps, at_origin, n, runs, seed, stream)
        days = [lag + step * (k + 1) for k in range(n)]
        sims = np.full((runs, lag + hs[-1]), np.nan)
        sims[:, np.asarray(days) - lag - 1] = paths
    s_rw, s_rob = bm.rw_scale(window), bm.rw_robust_scale(window)
    observed = full.ffill()
    rows = []
    for h in hs:
        obs = float(observed.loc[pd.Timestamp(origin + timedelta(days=h))])
        g = h + lag
        changes, _ = bm.climatology_changes(window, g)
        for model, sc in (
            (MODEL, score_samples(obs, sims[:, g - lag - 1])),
            ("rw", score_normal(obs, y0, s_rw * np.sqrt(g))),
            ("rw_robust", score_normal(obs, y0, max(s_rob, 1e-9) * np.sqrt(g))),
            ("climatology", score_samples(obs, y0 + changes)),
        ):
            rows.append({"origin": origin, "horizon_days": h, "model": model, **sc})
    sims = sims[:, np.asarray(days) - lag - 1]
    qs = np.quantile(sims, FAN_LEVELS, axis=0)
    dates = [origin + timedelta(days=d - lag) for d in days]
    fan = pd.DataFrame({"date": dates, "model": MODEL})
    for lev, q in zip(FAN_LEVELS, qs, strict=True):
        fan[f"q{round(100 * lev):02d}"] = q
    steps = np.sqrt(np.asarray(days, dtype=float))
    rw = pd.DataFrame({"date": dates, "model": "rw", "q50": y0})
    for lev in FAN_LEVELS:
        z = float(np.sqrt(2) * _erfinv(2 * lev - 1))
        rw[f"q{round(100 * lev):02d}"] = y0 + z * s_rw * steps
    weights = tuple(zip(mixture.windows, mixture.weights, strict=True)) if mixture else ()
    return OriginForecast(origin, params, pd.DataFrame(rows), pd.concat([fan, rw]), weights)


def _front_runs(
    fits: Sequence[FrontParams],
    weights: Sequence[float] | None,
    y0: float,
    days: list[int],
    runs: int,
    rng: np.random.Generator,
    stream: np.random.SeedSequence,
    local_level: bool = False,
) -> np.ndarray:
    """Front-only runs from ``y0`` at ``days``: one fit's runs from ``rng`` (``weights`` None), or
    the runs of a window mixture, candidate ``k`` simulating its stacking share of ``runs`` (largest
    remainders, in the order of ``fits``) with its own random stream (spawned from the origin's)."""
    if weights is None:
        return forecast_front(fits[0], y0, days, runs, rng, local_level=local_level)
    counts = allocate_runs(weights, runs)
    streams = stream.spawn(len(fits))
    parts = [
        forecast_front(f, y0, days, n, np.random.default_rng(ss), local_level=local_level)
        for f, n, ss in zip(fits, counts, streams, strict=True)
        if n > 0
    ]
    return np.concatenate(parts, axis=0)


#: Share of exactly-zero daily changes above which a series looks carried forward.
MAX_ZERO_SHARE = 0.2


def _check_not_carried_forward(past: pd.Series, origin: date) -> None:
    """Refuse a fitting window whose observed values often repeat (more than
    :data:`MAX_ZERO_SHARE` of the daily changes exactly 0; DeepState: at most 3 %, liveuamap
    2022: 38–52 %): a source that carries values forward without an ``observed`` flag makes the
    fitted daily σ collapse towards 0."""
    changes = past.dropna().diff().dropna()
    if len(changes) and float((changes == 0).mean()) > MAX_ZERO_SHARE:
        share = round(100 * float((changes == 0).mean()))
        raise ScenarioError(
            f"origin {origin}: {share} % of the daily changes before it are exactly 0 (values "
            "carried forward?); use --repeated-as-missing"
        )


def _erfinv(x: float) -> float:
    from scipy.special import erfinv  # noqa: PLC0415

    return float(erfinv(x))


def run_backtest(
    series: pd.Series, origins: Sequence[date], horizon_days: int, **kwargs: object
) -> list[OriginForecast]:
    """:func:`forecast_origin` for every origin: a rolling-origin backtest of the front model.

    Parameters
    ----------
    series : pandas.Series
        Daily observed occupied area (km²), indexed by date.
    origins : sequence of date
        Forecast origins; each fits on the data up to itself.
    horizon_days : int
        Longest horizon scored.
    **kwargs
        Passed on to :func:`forecast_origin` (``runs``, ``seed``, ``window_days`` ...).

    Returns
    -------
    list of OriginForecast
        One per origin: the fitted parameters, the scored rows and the forecast fans.
    """
    return [
        forecast_origin(series, o, horizon_days, **kwargs)  # type: ignore[arg-type]
        for o in origins
    ]


def scores_table(results: Sequence[OriginForecast]) -> pd.DataFrame:
    """All scored rows, columns :data:`SCORES_COLUMNS` plus ``pit``."""
    return pd.concat([r.scores for r in results], ignore_index=True)


def weights_table(results: Sequence[OriginForecast]) -> pd.DataFrame:
    """``origin, window_days, weight`` of every window mixture (none for single-window origins)."""
    rows = [
        {"origin": r.origin, "window_days": w, "weight": v} for r in results for w, v in r.weights
    ]
    return pd.DataFrame(rows, columns=["origin", "window_days", "weight"])


def band_of(h: int) -> str:
    """Horizon band of a horizon in days: 1–4 weeks, 5–13 weeks, 14+ weeks."""
    return "1-4 wk" if h <= 28 else ("5-13 wk" if h <= 91 else "14+ wk")


def summary_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean scores per model, each model's WIS and CRPS as a ratio to the random walk's, and the
    median bias per horizon band."""
    agg = scores.groupby("model").agg(
        n=("wis", "size"),
        wis=("wis", "mean"),
        crps=("crps", "mean"),
        cover50=("cover50", "mean"),
        cover80=("cover80", "mean"),
        cover90=("cover90", "mean"),
    )
    rw = scores[scores["model"] == "rw"]
    agg["wis_ratio_rw"] = agg["wis"] / float(rw["wis"].mean())
    agg["crps_ratio_rw"] = agg["crps"] / float(rw["crps"].mean())
    bands = scores.assign(band=scores["horizon_days"].map(band_of))
    med = bands.groupby(["model", "band"])["bias"].median().unstack("band")
    med.columns = [f"median_bias_{c}" for c in med.columns]
    out = agg.join(med)
    order = [m for m in MODELS if m in out.index]
    return out.loc[order].reset_index()


def origin_ratios(scores: pd.DataFrame) -> pd.DataFrame:
    """Per origin: each model's mean WIS over the horizons as a ratio to the random walk's, and
    the front model's 90 % coverage."""
    mean = scores.groupby(["origin", "model"])["wis"].mean().unstack("model")
    out = mean.div(mean["rw"], axis=0)[[m for m in MODELS if m in mean.columns]]
    out.columns = [f"wis_ratio_{c}" for c in out.columns]
    front = scores[scores["model"] == MODEL].groupby("origin")
    out["front_cover90"] = front["cover90"].mean()
    out["horizons"] = front.size()
    return out.reset_index()


def markdown_table(frame: pd.DataFrame) -> str:
    """A plain Markdown table (numbers to three significant digits)."""

    def cell(v: object) -> str:
        return f"{v:.3g}" if isinstance(v, float) else str(v)

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"
