"""A hand-made frame of war runs for the analysis tests (expected values worked out by hand)."""

from __future__ import annotations

import math

import pandas as pd

NAN = math.nan
#: Days per step: with 30.4375 days a month (365.25 / 12), settle_step s settles after
#: (s + 1) * 30.4375 / 30.4375 = s + 1 months.
STEP_DAYS = 365.25 / 12


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson (1927) score interval, z = 1.959964, written out independently of
    :mod:`parley.war.summary`."""
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def hand_runs() -> pd.DataFrame:
    """Two policies x one assumption set x two points x two replicates (8 runs).

    Policy ``talk``: settles in months 3, 13, 25 and never (settle_step 2, 12, 24, NaN); the three
    settlements hold 5 years in two cases. Policy ``fight``: never settles.
    """
    rows = []
    talk = [(2, 1.0, 1.0, 1.0, 10.0), (12, 1.0, 1.0, 0.0, 30.0), (24, 1.0, 0.0, 0.0, 20.0),
            (NAN, 0.0, NAN, NAN, NAN)]  # fmt: skip
    for k, (step, settled, h1, h5, terms) in enumerate(talk):
        rows.append(_run("talk", k, step, settled, h1, h5, terms, area=100.0 + k, cas=(10, 20)))
    for k in range(4):
        rows.append(_run("fight", k, NAN, 0.0, NAN, NAN, NAN, area=103.0, cas=(40, 0)))
    return pd.DataFrame(rows)


def _run(
    policy: str, k: int, step: float, settled: float, h1: float, h5: float, terms: float,
    area: float, cas: tuple[int, int],
) -> dict[str, object]:  # fmt: skip
    return {
        "assumptions": "base", "policy": policy, "point": k // 2, "replicate": k % 2,
        "settle_step": step, "settled": settled, "held_1y": h1, "held_5y": h5, "held_10y": h5,
        "terms.land": terms, "territory_after_km2": area, "population_under_occupation": 1000.0,
        "catastrophe": 0.0, "max_escalation_hazard": 0.001, "outcome": 1 if settled else 0,
        "casualties.A": float(cas[0]), "casualties.B": float(cas[1]),
    }  # fmt: skip
