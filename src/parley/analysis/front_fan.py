"""The fan of the front if no talks open: weekly quantiles of the occupied area per assumption set.

The uncertain parameters are drawn as in the policy comparison (a Monte Carlo design of each set,
:func:`parley.experiments.design.make_design`) and the war simulator runs with talks that never
open, so the fan shows what each set of assumptions implies for the front itself
(:func:`parley.war.summary.front_quantiles`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from parley.experiments.design import make_design
from parley.scenario.report_settings import BASELINE_SET
from parley.scenario.schema import Scenario
from parley.war.engine import simulate
from parley.war.params import compile_war
from parley.war.summary import front_quantiles


def front_fan(
    scenario: Scenario,
    combos: Sequence[tuple[str, ...]],
    n_runs: int,
    seed: int,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Weekly quantiles of the occupied area if no talks open, per assumption set.

    The policy is "fight on": talks never open (``war.policy.negotiate_from_step`` = the
    horizon). ``names`` labels each combination (default: its sets joined by ``+``). Returns the
    frame of :func:`parley.war.summary.front_quantiles` with an ``assumptions`` column first.
    """
    assert scenario.war is not None
    horizon = scenario.war.time.horizon_steps
    frames = []
    labels = list(names) if names is not None else ["+".join(c) or BASELINE_SET for c in combos]
    for combo, label in zip(combos, labels, strict=True):
        design = make_design(
            scenario, combos=[combo], method="mc", n_points=n_runs, runs_per_point=1,
            chunk_points=n_runs, seed=seed,
        )  # fmt: skip
        params = design.chunk_params(0)
        params["war.policy.negotiate_from_step"] = np.full(n_runs, float(horizon))
        params.pop("war.policy.negotiate_when_area_below_km2", None)
        wp = compile_war(scenario, params, n_runs=n_runs)
        ds = simulate(wp, n_runs, design.chunk_seed(0), record_paths=True)
        q = front_quantiles(ds, scenario.start_date)
        q.insert(0, "assumptions", label)
        frames.append(q)
    return pd.concat(frames, ignore_index=True)
