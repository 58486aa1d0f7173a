"""Claimed losses against the photo-confirmed lower bound (Oryx), for ``calibrate losses --confirmed``.

The loss fit (:mod:`parley.analysis.losses_fit`) uses the Ukrainian General Staff's claims as an
intensity index. Oryx counts only equipment losses with photographic or video evidence
(github scarnecchia/oryx_data, CC BY 4.0), a **lower bound** on the true losses. Two checks follow:
the claims must never fall below the lower bound (a claim below what is photo-confirmed would not
be a usable index of anything), and the ratio claimed / confirmed over time says how far the
claims' growth tracks the confirmed losses' — a constant ratio means the claims' relative changes
(what the fit uses) are those of the confirmed series.

Categories compared: ``Aircraft`` (the claims' ``aircraft``; the same category on both sides) and
``All Types`` (the sum of the claims' equipment columns :data:`EQUIPMENT`; approximate, Oryx's
"all types" also counts trucks and drones the claims book elsewhere or not at all).
"""

from __future__ import annotations

import pandas as pd

from parley.scenario.errors import ScenarioError

#: Claimed equipment columns summed for Oryx's "All Types" (drones and missiles excluded), plus
#: the vehicles: ``military auto`` + ``fuel tank`` until the claims merged them (late April 2022)
#: into ``vehicles and fuel tanks``.
EQUIPMENT = (
    "aircraft", "helicopter", "tank", "APC", "field artillery", "MRL",
    "anti-aircraft warfare", "special equipment", "naval ship",
)  # fmt: skip
VEHICLES_SPLIT = ("military auto", "fuel tank")
VEHICLES_MERGED = "vehicles and fuel tanks"
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Aircraft": ("aircraft",),
    "All Types": (*EQUIPMENT, *VEHICLES_SPLIT, VEHICLES_MERGED),
}
ORYX_COLUMNS = ("country", "equipment_type", "type_total", "date_recorded")


def confirmed_totals(frame: pd.DataFrame, country: str = "Russia") -> pd.DataFrame:
    """Cumulative confirmed losses of ``country`` per date (rows) and equipment type (columns).

    ``frame`` has Oryx's columns :data:`ORYX_COLUMNS`; a bad column or value is a
    :class:`ScenarioError` naming it.
    """
    missing = [c for c in ORYX_COLUMNS if c not in frame.columns]
    if missing:
        raise ScenarioError(f"needs the columns {', '.join(missing)}", field=missing[0])
    rows = frame[frame["country"].astype(str) == country]
    if rows.empty:
        raise ScenarioError(f"no rows for country '{country}'", field="country")
    dates = pd.to_datetime(rows["date_recorded"], format="%Y-%m-%d", errors="coerce")
    totals = pd.to_numeric(rows["type_total"], errors="coerce")
    bad = dates.isna() | totals.isna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise ScenarioError(
            f"row {row + 1}: date_recorded must be YYYY-MM-DD and type_total a number",
            field="date_recorded",
            line=int(rows.index[row]) + 2,
        )
    table = pd.DataFrame(
        {"date": dates.to_numpy(), "type": rows["equipment_type"].astype(str), "n": totals}
    )
    return table.pivot_table(index="date", columns="type", values="n", aggfunc="last").sort_index()


def claims_against_confirmed(claims: pd.DataFrame, confirmed: pd.DataFrame) -> pd.DataFrame:
    """Per category of :data:`CATEGORIES` and common date: ``claimed``, ``confirmed`` and their
    ``ratio``. ``claims`` holds the cumulative claimed columns indexed by date."""
    out = []
    for category, columns in CATEGORIES.items():
        if category not in confirmed.columns:
            continue
        absent = [c for c in columns if c not in claims.columns]
        if absent:
            raise ScenarioError(f"the claims have no column '{absent[0]}'", field=absent[0])
        claimed = _claimed(claims, columns)
        conf = confirmed[category].dropna()
        both = pd.DataFrame({"claimed": claimed.reindex(conf.index), "confirmed": conf}).dropna()
        both = both[both["confirmed"] > 0]
        both["ratio"] = both["claimed"] / both["confirmed"]
        out.append(both.assign(category=category).reset_index(names="date"))
    if not out:
        raise ScenarioError("no category in common with the claims", field="equipment_type")
    return pd.concat(out, ignore_index=True)[["category", "date", "claimed", "confirmed", "ratio"]]


def _claimed(claims: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Sum of the claimed columns of a category (NaN where one is missing); the vehicles are the
    split columns where both are given, else the merged one."""
    frame = claims[list(columns)].astype(float)
    if VEHICLES_MERGED not in columns:
        return frame.sum(axis=1, min_count=len(columns))
    split = frame[list(VEHICLES_SPLIT)].sum(axis=1, min_count=2)
    vehicles = split.fillna(frame[VEHICLES_MERGED])
    return frame[list(EQUIPMENT)].sum(axis=1, min_count=len(EQUIPMENT)) + vehicles


def lower_bound_lines(table: pd.DataFrame, start: pd.Timestamp | None = None) -> list[str]:
    """Human-readable summary of :func:`claims_against_confirmed`: the ratio at the first and last
    common date, its range, the ratio of the increments from ``start`` (the fit window's first
    day) to the last date, and the dates where a claim fell below the confirmed lower bound."""
    lines = []
    for category, rows in table.groupby("category", sort=False):
        first, last = rows.iloc[0], rows.iloc[-1]
        if start is not None:
            window = rows[rows["date"] >= start]
            if len(window) >= 2 and window["confirmed"].iloc[-1] > window["confirmed"].iloc[0]:
                d_claim = window["claimed"].iloc[-1] - window["claimed"].iloc[0]
                d_conf = window["confirmed"].iloc[-1] - window["confirmed"].iloc[0]
                lines.append(
                    f"claimed / photo-confirmed increments, {category}, "
                    f"{window['date'].iloc[0].date()} .. {window['date'].iloc[-1].date()}: "
                    f"{d_claim / d_conf:.2f} ({d_claim:.0f} / {d_conf:.0f})"
                )
        below = rows[rows["claimed"] < rows["confirmed"]]
        lines.append(
            f"claimed / photo-confirmed, {category}: {first['ratio']:.2f} on "
            f"{first['date'].date()}, {last['ratio']:.2f} on {last['date'].date()} "
            f"(range {rows['ratio'].min():.2f}-{rows['ratio'].max():.2f}, {len(rows)} dates)"
        )
        if len(below):
            lines.append(
                f"warning: {category} claims below the confirmed lower bound on {len(below)} "
                f"date(s), first {below.iloc[0]['date'].date()}"
            )
    return lines
