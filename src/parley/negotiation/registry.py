"""The stakeholder models parley knows, by short id, behind one calling convention.

Every model is a function ``(batch: StakeholderBatch, **options) -> ModelResult``: it forecasts every
scenario in the batch in one call. Models that iterate (EUM, SMP, exchange) also return their
position history so that reports and ``parley forecast --history`` can show the rounds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.scenario.arrays import StakeholderBatch
from parley.scenario.errors import ScenarioError


@dataclass(frozen=True)
class ModelResult:
    """What a stakeholder model returns.

    Attributes
    ----------
    outcome:
        ``(batch, issues)`` forecast per issue, on each issue's own scale.
    history:
        Optional ``(batch, states, actors, issues)`` positions per state (state 0 = the input), on
        each issue's own scale; NaN where an actor has no position or a run ended earlier.
    extra:
        Model-specific data (moves per round, probabilities, ...), documented by each model.
    """

    outcome: NDArray[np.float64]
    history: NDArray[np.float64] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


StakeholderModel = Callable[..., ModelResult]

#: Model id -> "module:function". Imported lazily so the CLI starts fast.
MODELS: dict[str, str] = {
    "compromise": "parley.negotiation.compromise:compromise_model",
    "compromise_salience": "parley.negotiation.compromise:salience_weighted_model",
    "compromise_capability": "parley.negotiation.compromise:capability_weighted_model",
    "mean": "parley.negotiation.compromise:unweighted_mean_model",
    "median": "parley.negotiation.median:weighted_median_model",
    "median_actor": "parley.negotiation.median:median_actor_model",
    "nbs": "parley.negotiation.nash:nash_bargaining_model",
    "eum": "parley.negotiation.eum:eum_model",
    "smp": "parley.negotiation.smp:smp_model",
    "exchange": "parley.negotiation.exchange:exchange_model",
}

#: Models whose results depend on a random stream; :func:`run_model` passes them its ``seed``.
SEEDED_MODELS = frozenset({"exchange", "smp"})

#: Models run by default by ``parley forecast`` and ``parley validate``.
DEFAULT_MODELS = ("compromise", "median", "nbs")


class UnknownModelError(ScenarioError, KeyError):
    """A model id that is not registered: a user mistake (one line, exit 2) and a ``KeyError``."""

    __str__ = ValueError.__str__


def check_model_id(model_id: str, known: Iterable[str] | None = None) -> str:
    """Return ``model_id`` if it names a model, else raise :class:`UnknownModelError`.

    The one check (and message) of an unknown model id for the CLI, the web API and the
    experiments.

    Parameters
    ----------
    model_id : str
        The id to check.
    known : iterable of str, optional
        The ids accepted; the stakeholder models of :data:`MODELS` by default.

    Returns
    -------
    str
        ``model_id``, unchanged.
    """
    names = sorted(MODELS if known is None else known)
    if model_id not in names:
        raise UnknownModelError(unknown_model_message(model_id, names))
    return model_id


def unknown_model_message(model_id: str, known: Iterable[str] | None = None) -> str:
    """The message of :func:`check_model_id` for an unknown ``model_id``."""
    names = sorted(MODELS if known is None else known)
    return f"unknown model '{model_id}', expected one of {', '.join(names)}"


def get_model(model_id: str) -> StakeholderModel:
    """Return the model function registered under ``model_id`` (:func:`check_model_id`)."""
    check_model_id(model_id)
    module, func = MODELS[model_id].split(":")
    fn: StakeholderModel = getattr(importlib.import_module(module), func)
    return fn


def run_model(
    model_id: str, batch: StakeholderBatch, *, seed: int | None = None, **options: Any
) -> ModelResult:
    """Forecast every scenario in ``batch`` with the model ``model_id``.

    Parameters
    ----------
    model_id : str
        A key of :data:`MODELS`.
    batch : StakeholderBatch
        One or many scenarios as arrays (:func:`parley.scenario.arrays.stakeholder_batch`).
    seed : int, optional
        Passed to the models in :data:`SEEDED_MODELS` (unless ``options`` has one) and ignored
        by the deterministic ones, so callers can give every model the same seed.
    **options
        Model-specific options, documented by each model.

    Returns
    -------
    ModelResult
        ``outcome`` of shape ``(batch, issues)`` on each issue's scale, and the model's
        ``history`` and ``extra`` when it has them.
    """
    if seed is not None and model_id in SEEDED_MODELS:
        options.setdefault("seed", seed)
    return get_model(model_id)(batch, **options)
