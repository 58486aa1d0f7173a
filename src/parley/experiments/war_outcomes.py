"""The war simulator as an experiment model, plus the outcome "territory under A after the war".

:func:`war_outcomes_model` is what the report's sweeps evaluate (model name
:data:`WAR_OUTCOMES_MODEL`, usable with ``--model`` on ``parley compare/sensitivity/discover``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from parley.experiments.models import war_model
from parley.scenario.schema import Scenario

FloatArray = NDArray[np.float64]

#: The model name of :func:`war_outcomes_model` for :func:`parley.experiments.models.resolve_model`.
WAR_OUTCOMES_MODEL = "parley.experiments.war_outcomes:war_outcomes_model"


def war_outcomes_model(
    scenario: Scenario,
    params: Mapping[str, FloatArray],
    n_runs: int,
    seed: np.random.SeedSequence,
    **options: Any,
) -> xr.Dataset:
    """The war simulator (:func:`parley.experiments.models.war_model`) plus one derived outcome.

    ``territory_after_km2`` is the area under side A's control after the war: the settled line on
    the territorial issue (``war.settlement.territory_issue``) when the run ends in a settlement,
    and the front line at the end of the run otherwise (collapse, catastrophe or a war still going
    at the horizon). It makes "how much territory does a policy leave?" one number per run.
    """
    ds = war_model(scenario, params, n_runs, seed, **options)
    area = ds["final_area_km2"].values.astype(float)
    issue = scenario.war.settlement.territory_issue if scenario.war is not None else None
    if issue is not None and "terms" in ds and issue in list(ds["issue"].values):
        line = ds["terms"].sel(issue=issue).values.astype(float)
        settled = ds["settled"].values.astype(bool)
        area = np.where(settled & np.isfinite(line), line, area)
    ds["territory_after_km2"] = (("run",), area, {"units": "km2"})
    return ds
