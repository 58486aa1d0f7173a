"""Assemble the simulator's arrays into the :class:`xarray.Dataset` described in
:mod:`parley.war.engine`."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from parley.war.params import WarParams

FloatArray = NDArray[np.float64]
OUTCOME_LABELS = ("ongoing", "settlement", "collapse_A", "collapse_B", "catastrophe")


def build_dataset(
    p: WarParams,
    seed: int | np.random.SeedSequence,
    n: int,
    paths: dict[str, np.ndarray],
    path_every: int,
    outcome: NDArray[np.int8],
    end_step: NDArray[np.int64],
    settled: NDArray[np.bool_],
    settle_step: FloatArray,
    share: FloatArray,
    terms: FloatArray,
    held: FloatArray,
    triggered: NDArray[np.bool_],
    casualties: FloatArray,
    area: FloatArray,
    catastrophe: NDArray[np.bool_],
    max_hazard: FloatArray,
    punish_on: FloatArray,
) -> xr.Dataset:
    """Per-run outcomes, per-step paths and coordinates as one dataset."""
    run = ("run",)
    density = np.broadcast_to(np.asarray(p.density, dtype=float), (n,))
    data: dict[str, Any] = {
        "outcome": (run, outcome, {"labels": ",".join(OUTCOME_LABELS)}),
        "end_step": (run, end_step),
        "settled": (run, settled),
        "settle_step": (run, settle_step),
        "share_A": (run, share, {"units": "share of the stakes"}),
        "terms": (("run", "issue"), terms, {"units": "each issue's own scale"}),
        "held_1y": (run, held[:, 0]),
        "held_5y": (run, held[:, 1]),
        "held_10y": (run, held[:, 2]),
        "renewal_triggered": (run, triggered),
        "casualties": (("run", "side"), casualties, {"units": "people (killed or wounded)"}),
        "final_area_km2": (run, area, {"units": "km2"}),
        "population_under_occupation": (run, area * density, {"units": "people"}),
        "catastrophe": (run, catastrophe),
        "max_escalation_hazard": (run, max_hazard, {"units": "per month"}),
        "leader_replaced": (("run", "side"), punish_on == 0.0),
    }
    coords: dict[str, Any] = {
        "run": np.arange(n),
        "side": list(p.side_ids),
        "issue": list(p.stakeholders.issue_ids),
    }
    if paths:
        n_rec = paths["area_km2"].shape[1]
        steps = np.arange(n_rec) * path_every
        coords["step"] = steps
        coords["day"] = ("step", (steps + 1) * p.step_days)
        data["area_km2"] = (("run", "step"), paths["area_km2"], {"units": "km2"})
        data["p_A"] = (("run", "step"), paths["p_A"])
        data["active"] = (("run", "step"), paths["active"])
        for name, units in (
            ("belief_A", "posterior mean of theta"),
            ("support", "share"),
            ("aid", "EUR bn/year"),
            ("force", "force index"),
        ):
            data[name] = (("run", "step", "side"), paths[name], {"units": units})
    seed_attr = seed if isinstance(seed, int) else str(getattr(seed, "entropy", seed))
    attrs = {
        "scenario_id": p.scenario_id,
        "start_date": p.start_date or "",
        "step_days": p.step_days,
        "horizon_steps": p.horizon_steps,
        "seed": seed_attr,
        "outcome_labels": ",".join(OUTCOME_LABELS),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)
