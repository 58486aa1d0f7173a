"""A procedural compromise model fitted to DEU with cross-validation grouped by proposal.

The compromise model (Achen 2006; Thomson 2011) weights each actor by capability x salience. Its
better-founded extension here lets the data decide, within a small parametric family, how much each
ingredient matters (Schneider, Finke & Bailer 2010, "Bargaining power in the European Union";
Thomson 2011, ch. 8; Leinaweaver & Thomson 2014):

    w_i = capability_i^a * salience_i^b * m_com[i is the Commission]
          * m_ep(procedure)[i is the Parliament]
    x   = (1 - lambda_rule) * sum_i w_i p_i / sum_i w_i + lambda_rule * reference_point

with ``a, b`` exponents, ``m_com`` the Commission's weight multiplier, ``m_ep`` the Parliament's
multiplier under co-decision (COD) and consultation (CNS), and ``lambda`` the attraction toward the
reference point (status quo) under QMV and under unanimity (where it is known). Parameters are fitted
by minimising the mean absolute error on the training folds only (Nelder–Mead from the neutral
start a = b = 1, multipliers 1, lambda 0), in 10 folds that keep every proposal's issues together;
the score reported is out-of-fold. Nothing is selected on the test folds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from parley.scenario.arrays import StakeholderBatch
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED

PARAMETER_NAMES = (
    "a",
    "b",
    "log_m_com",
    "log_m_ep_cod",
    "log_m_ep_cns",
    "lambda_qmv",
    "lambda_unan",
)
NEUTRAL = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])


@dataclass(frozen=True)
class DeuDesign:
    """Arrays of the single-issue DEU batch needed by the procedural compromise model."""

    position: NDArray[np.float64]  # (n, actors), NaN where absent
    salience: NDArray[np.float64]
    capability: NDArray[np.float64]
    is_com: NDArray[np.bool_]
    is_ep: NDArray[np.bool_]
    cod: NDArray[np.bool_]  # (n,)
    unanimity: NDArray[np.bool_]
    reference: NDArray[np.float64]
    outcome: NDArray[np.float64]

    @classmethod
    def build(cls, scenarios: Sequence[Scenario], batch: StakeholderBatch) -> DeuDesign:
        """Collect the design arrays from single-issue scenarios and their batch."""
        n, n_a, _ = batch.shape
        is_com = np.zeros((n, n_a), dtype=bool)
        is_ep = np.zeros((n, n_a), dtype=bool)
        for i, ids in enumerate(batch.actor_ids):
            for j, a in enumerate(ids):
                is_com[i, j] = a == "com"
                is_ep[i, j] = a == "ep"
        cod = np.array([s.metadata.get("procedure") == "COD" for s in scenarios])
        unan = np.array(
            [str(s.metadata.get("voting_rule", "")).startswith("Unan") for s in scenarios]
        )
        return cls(
            position=batch.position[:, :, 0],
            salience=batch.salience[:, :, 0],
            capability=batch.capability,
            is_com=is_com,
            is_ep=is_ep,
            cod=cod,
            unanimity=unan,
            reference=batch.reference[:, 0],
            outcome=batch.outcome[:, 0],
        )


def procedural_compromise(theta: NDArray[np.float64], d: DeuDesign) -> NDArray[np.float64]:
    """Forecast ``(n,)`` of the procedural compromise model with parameters ``theta``."""
    a, b, lc, le_cod, le_cns, lam_q, lam_u = theta
    present = ~np.isnan(d.position) & ~np.isnan(d.salience)
    cap = np.maximum(d.capability, 1e-12)
    sal = np.maximum(np.where(present, d.salience, 0.0), 1e-12)
    w = cap**a * sal**b
    w = w * np.where(d.is_com, np.exp(lc), 1.0)
    w = w * np.where(d.is_ep, np.where(d.cod[:, None], np.exp(le_cod), np.exp(le_cns)), 1.0)
    w = np.where(present & (d.salience > 0), w, 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w * np.where(present, d.position, 0.0)).sum(axis=1) / total
    lam = np.clip(np.where(d.unanimity, lam_u, lam_q), 0.0, 1.0)
    out = np.where(np.isnan(d.reference), mean, (1 - lam) * mean + lam * d.reference)
    return np.where(total > 0, out, np.nan)


def fit_procedural_compromise(d: DeuDesign, rows: NDArray[np.int64]) -> NDArray[np.float64]:
    """Fit the parameters on ``rows`` by minimising the MAE (Nelder–Mead, neutral start)."""

    def loss(theta: NDArray[np.float64]) -> float:
        f = procedural_compromise(theta, d)[rows]
        return float(np.nanmean(np.abs(f - d.outcome[rows])))

    res = minimize(
        loss, NEUTRAL, method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-4, "fatol": 1e-7}
    )
    return np.asarray(res.x, dtype=np.float64)


def grouped_folds(
    groups: NDArray[np.int64], k: int = 10, seed: int = DEFAULT_SEED
) -> list[NDArray[np.bool_]]:
    """Test masks of ``k`` folds that keep every group (proposal) together."""
    labels = np.unique(groups)
    perm = np.random.default_rng(seed).permutation(labels)
    return [np.isin(groups, part) for part in np.array_split(perm, k)]


def out_of_fold(
    scenarios: Sequence[Scenario], batch: StakeholderBatch, groups: NDArray[np.int64], k: int = 10
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Out-of-fold forecasts ``(n,)`` and the fitted parameters per fold ``(k, 7)``."""
    d = DeuDesign.build(scenarios, batch)
    oof = np.full(len(d.outcome), np.nan)
    thetas = []
    for test in grouped_folds(groups, k):
        theta = fit_procedural_compromise(d, np.flatnonzero(~test))
        oof[test] = procedural_compromise(theta, d)[test]
        thetas.append(theta)
    return oof, np.array(thetas)


def _procedural_forecaster(
    scenarios: Sequence[Scenario], batch: StakeholderBatch, groups: NDArray[np.int64]
) -> NDArray[np.float64]:
    return out_of_fold(scenarios, batch, groups)[0]


Forecaster = Callable[
    [Sequence[Scenario], StakeholderBatch, NDArray[np.int64]], NDArray[np.float64]
]

#: Models fitted to DEU, scored out-of-fold by ``parley validate deu``.
FITTED_MODELS: dict[str, Forecaster] = {"compromise_procedural": _procedural_forecaster}
