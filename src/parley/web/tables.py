"""Tables and files shared by the dashboard's runs: the scenario as YAML and the input stances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from parley.scenario.schema import Scenario


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as a parley YAML file (defaults left out)."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def nan_to_none(x: float) -> float | None:
    """``x`` as a float, or None when it is NaN or infinite (JSON has no NaN)."""
    return None if not np.isfinite(x) else float(x)


def positions_table(names: list[str], scenarios: list[Scenario]) -> pd.DataFrame:
    """Input stances of every variant as a tidy table."""
    rows = []
    for name, sc in zip(names, scenarios, strict=True):
        for actor in sc.actors:
            for issue_id, stance in actor.positions.items():
                rows.append(
                    {
                        "variant": name,
                        "actor": actor.id,
                        "actor_name": actor.name or actor.id,
                        "issue": issue_id,
                        "position": stance.position,
                        "salience": stance.salience,
                        "capability": actor.capability,
                    }
                )
    return pd.DataFrame(rows)
