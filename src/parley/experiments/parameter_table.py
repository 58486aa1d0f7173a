"""Every input of a scenario's war experiment with its value, stated range and source.

:func:`war_parameters` lists each numeric war parameter (its range from
``experiment.uncertainties``, its source from ``metadata.war_sources``) and each assumption set's
override; :func:`assumption_table` shows each uncertain parameter's range under the scenario's own
uncertainties and under each set. The report and the dashboard print these tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from parley.experiments.distributions import Distribution, from_spec
from parley.scenario.report_settings import BASELINE_SET, named_combos, set_sources
from parley.scenario.schema import Scenario


def _flatten(x: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(x, dict):
        out: list[tuple[str, Any]] = []
        for k, v in x.items():
            out.extend(_flatten(v, f"{prefix}.{k}"))
        return out
    if isinstance(x, list):
        out = []
        for i, v in enumerate(x):
            out.extend(_flatten(v, f"{prefix}.{i}"))
        return out
    return [(prefix, x)]


def dist_range(d: Distribution) -> tuple[float, float, str]:
    """The stated range of a distribution: its bounds when bounded, else its central 95 %."""
    if d.kind in ("uniform", "triangular", "beta"):
        return float(d.param("low")), float(d.param("high")), f"{d.kind} range"
    if d.kind == "choice":
        vals = [float(v) for v in d.param("values")]
        return min(vals), max(vals), "choice among values"
    if d.kind in ("normal", "lognormal") or (
        d.kind == "truncnormal" and (d.param("low") is None or d.param("high") is None)
    ):
        lo, hi = d.ppf(np.array([0.025, 0.975]))
        args = ", ".join(f"{k}={v:g}" for k, v in d.params if isinstance(v, int | float))
        return float(lo), float(hi), f"central 95 % of {d.kind}({args})"
    lo, hi = d.ppf(np.array([0.0, 1.0]))
    return float(lo), float(hi), f"{d.kind} range"


def war_sources(scenario: Scenario) -> dict[str, str]:
    """``metadata.war_sources`` of the scenario: dotted path (``*`` matches one segment) -> source."""
    raw = scenario.metadata.get("war_sources", {}) if scenario.metadata else {}
    return {str(k): str(v) for k, v in dict(raw).items()}


def source_for(path: str, sources: Mapping[str, str]) -> str:
    """The source of ``path``: an exact key, else the first key whose ``*`` segments match."""
    if path in sources:
        return sources[path]
    seg = path.split(".")
    for key, src in sources.items():
        pat = key.split(".")
        if len(pat) == len(seg) and all(p in ("*", s) for p, s in zip(pat, seg, strict=True)):
            return src
    return ""


def _set_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per override of each assumption set a compared combination uses."""
    spec = scenario.experiment
    if spec is None:
        return []
    per_value = set_sources(scenario)
    used = {s for combo in named_combos(scenario).values() for s in combo}
    rows: list[dict[str, Any]] = []
    for name, aset in spec.assumptions.items():
        if name not in used:  # a set no compared combination uses is not in the table
            continue
        for path, val in aset.overrides.items():
            if isinstance(val, int | float):
                lo = hi = float(val)
                how = "fixed"
            else:
                lo, hi, how = dist_range(from_spec(val))
            why = per_value.get((name, path)) or (
                f"Illustrative assumption of the set '{name}'; reason in "
                f"experiment.assumptions.{name}."
            )
            rows.append(
                {"parameter": f"{path} [{name}]", "value": math.nan, "low": lo, "high": hi,
                 "source": f"{why} ({how})"}
            )  # fmt: skip
    return rows


def war_parameters(scenario: Scenario) -> pd.DataFrame:
    """Every numeric war parameter with its value, stated range and source.

    The range is that of ``experiment.uncertainties`` when the parameter is uncertain (else the
    value itself); the source comes from ``metadata.war_sources``. Each assumption set's override
    is listed as its own row ``<path> [<set>]``.
    """
    assert scenario.war is not None
    sources = war_sources(scenario)
    spec = scenario.experiment
    unc = {p: from_spec(d) for p, d in (spec.uncertainties.items() if spec else [])}
    rows: list[dict[str, Any]] = []
    for path, value in _flatten(scenario.war.model_dump(), "war"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        lo = hi = float(value)
        src = source_for(path, sources)
        if path in unc:
            lo, hi, how = dist_range(unc[path])
            src = f"{src} Uncertain: {how}." if src else f"Uncertain: {how}."
        rows.append(
            {"parameter": path, "value": float(value), "low": lo, "high": hi, "source": src}
        )
    dur = (scenario.metadata or {}).get("durability_source")
    if dur:
        d = scenario.war.durability
        what = ", ".join(f"{k}={v}" for k, v in d.model_dump().items() if isinstance(v, bool | str))
        rows.append(
            {"parameter": f"war.durability ({what})", "value": math.nan, "low": math.nan,
             "high": math.nan, "source": str(dur)}
        )  # fmt: skip
    rows.extend(_set_rows(scenario))
    return pd.DataFrame(rows, columns=["parameter", "value", "low", "high", "source"])


def assumption_table(scenario: Scenario) -> pd.DataFrame:
    """Each uncertain parameter's range under the scenario's own uncertainties and each set."""
    spec = scenario.experiment
    if spec is None:
        return pd.DataFrame(columns=["parameter", BASELINE_SET])
    paths = list(spec.uncertainties)
    for aset in spec.assumptions.values():
        paths.extend(p for p in aset.overrides if p not in paths)
    rows = []
    for path in paths:
        row = {"parameter": path}
        base = spec.uncertainties.get(path)
        row[BASELINE_SET] = _range_text(from_spec(base)) if base is not None else "as written"
        for name, aset in spec.assumptions.items():
            v = aset.overrides.get(path)
            row[name] = (
                "" if v is None else f"{v:g}" if isinstance(v, int | float)
                else _range_text(from_spec(v))
            )  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def _range_text(d: Distribution) -> str:
    lo, hi, _ = dist_range(d)
    return f"{lo:.4g} to {hi:.4g}"
