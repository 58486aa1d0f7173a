"""Record the runs' paths and assemble the :class:`xarray.Dataset` described in
:mod:`parley.war.engine` from the final :class:`~parley.war.state.WarState`."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from parley.war.beliefs import belief_mean
from parley.war.params import WarParams
from parley.war.state import OUTCOMES, WarState

FloatArray = NDArray[np.float64]
#: Recorded per step: name -> (extra dims, units, how to read it from the state).
SIDE_PATHS: dict[str, str] = {
    "belief_A": "posterior mean of theta",
    "support": "share",
    "aid": "EUR bn/year",
    "force": "force index",
    "casualties": "people (killed or wounded), cumulative",
}


class PathRecorder:
    """Per-step paths (float32), recorded every ``path_every`` steps at the end of the step."""

    def __init__(self, p: WarParams, n: int, path_every: int) -> None:
        h = p.horizon_steps
        self.every = path_every
        self.n_rec = (h + path_every - 1) // path_every
        k = len(p.supporter_ids)
        self.paths: dict[str, np.ndarray] = {
            "area_km2": np.full((n, self.n_rec), np.nan, dtype=np.float32),
            "p_A": np.full((n, self.n_rec), np.nan, dtype=np.float32),
            "aid_cumulative": np.full((n, self.n_rec, k), np.nan, dtype=np.float32),
            "aid_high": np.zeros((n, self.n_rec, k), dtype=bool),
            "active": np.zeros((n, self.n_rec), dtype=bool),
        }
        for name in SIDE_PATHS:
            self.paths[name] = np.full((n, self.n_rec, 2), np.nan, dtype=np.float32)

    def record(self, s: WarState) -> None:
        """Store the state at the end of step ``s.t`` if it falls on the recording grid."""
        if s.t % self.every:
            return
        j = s.t // self.every
        values = {
            "area_km2": s.area,
            "p_A": s.theta,
            "belief_A": belief_mean(s.alpha, s.beta),
            "support": s.support,
            "aid": s.aid_level,
            "force": s.force,
            "casualties": s.casualties,
            "aid_cumulative": s.aid_cumulative,
            "aid_high": s.aid_high,
            "active": s.active,
        }
        for name, value in values.items():
            self.paths[name][:, j] = value

    def finish(self, last_step: int) -> None:
        """After an early stop (every run ended), later records repeat the final state."""
        last = last_step // self.every
        for arr in self.paths.values():
            if last + 1 < arr.shape[1]:
                arr[:, last + 1 :] = arr[:, last : last + 1]


def build_dataset(
    p: WarParams,
    seed: int | np.random.SeedSequence,
    s: WarState,
    recorder: PathRecorder | None,
    terms: FloatArray,
    held: FloatArray,
    triggered: NDArray[np.bool_],
) -> xr.Dataset:
    """Per-run outcomes, per-step paths and coordinates as one dataset."""
    run = ("run",)
    n = s.n
    density = np.broadcast_to(np.asarray(p.region.population_density_per_km2, dtype=float), (n,))
    settled = s.outcome == 1
    data: dict[str, Any] = {
        "outcome": (run, s.outcome, {"labels": ",".join(OUTCOMES)}),
        "end_step": (run, s.end_step),
        "settled": (run, settled),
        "settle_step": (run, s.settle_step),
        "share_A": (run, s.share, {"units": "share of the stakes"}),
        "terms": (("run", "issue"), terms, {"units": "each issue's own scale"}),
        "held_1y": (run, held[:, 0]),
        "held_5y": (run, held[:, 1]),
        "held_10y": (run, held[:, 2]),
        "renewal_triggered": (run, triggered),
        "casualties": (("run", "side"), s.casualties, {"units": "people (killed or wounded)"}),
        "aid_delivered": (("run", "supporter"), s.aid_cumulative, {"units": "EUR bn"}),
        "final_area_km2": (run, s.area, {"units": "km2"}),
        "population_under_occupation": (run, s.area * density, {"units": "people"}),
        "catastrophe": (run, s.catastrophe),
        "max_escalation_hazard": (run, s.max_hazard, {"units": "per month"}),
        "leader_replaced": (("run", "side"), s.punish_on == 0.0),
        "commitment_blocked": (run, s.commitment_blocked),
    }
    coords: dict[str, Any] = {
        "run": np.arange(n),
        "side": list(p.side_ids),
        "supporter": list(p.supporter_ids),
        "issue": list(p.stakeholders.issue_ids),
    }
    if recorder is not None:
        paths = recorder.paths
        steps = np.arange(recorder.n_rec) * recorder.every
        coords["step"] = steps
        coords["day"] = ("step", (steps + 1) * p.step_days)
        data["area_km2"] = (("run", "step"), paths["area_km2"], {"units": "km2"})
        data["p_A"] = (("run", "step"), paths["p_A"])
        data["active"] = (("run", "step"), paths["active"])
        data["aid_cumulative"] = (
            ("run", "step", "supporter"), paths["aid_cumulative"], {"units": "EUR bn"},
        )  # fmt: skip
        data["aid_high"] = (("run", "step", "supporter"), paths["aid_high"])
        for name, units in SIDE_PATHS.items():
            data[name] = (("run", "step", "side"), paths[name], {"units": units})
    seed_attr = seed if isinstance(seed, int) else str(getattr(seed, "entropy", seed))
    attrs = {
        "scenario_id": p.scenario_id,
        "start_date": p.start_date or "",
        "step_days": p.step_days,
        "horizon_steps": p.horizon_steps,
        "seed": seed_attr,
        "outcome_labels": ",".join(OUTCOMES),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)
