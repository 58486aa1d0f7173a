"""parley: model how wars and multi-party disputes end at the negotiating table.

The public API, importable from ``parley`` itself (each name is loaded on first use, so
``import parley`` stays fast):

- scenarios: :func:`load_scenario`, :class:`Scenario`, :class:`ScenarioError`;
- stakeholder models: :func:`forecast` (a tidy frame), :func:`run_model` (one model on a batch);
- the war model: :func:`simulate`;
- experiments: :func:`compare`, :func:`sensitivity`, :func:`discover` (each an
  :class:`ExperimentResult`), :class:`RunOptions`, :class:`RunStore`;
- validation: :func:`backtest` (rolling-origin forecasts of the front);
- :data:`DEFAULT_SEED`, the default seed of every command and model.

See ``docs/api.md`` for the reference and ``docs/howto.md`` for worked examples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parley._lazy import lazy_exports

__version__ = "0.1.0"

#: Public name -> module that defines it (``backtest`` is ``run_backtest``).
_EXPORTS: dict[str, tuple[str, str]] = {
    "load_scenario": ("parley.scenario.load", "load_scenario"),
    "Scenario": ("parley.scenario.schema", "Scenario"),
    "ScenarioError": ("parley.scenario.errors", "ScenarioError"),
    "forecast": ("parley.api", "forecast"),
    "run_model": ("parley.negotiation.registry", "run_model"),
    "simulate": ("parley.api", "simulate"),
    "compare": ("parley.analysis.workflows", "compare"),
    "sensitivity": ("parley.analysis.workflows", "sensitivity"),
    "discover": ("parley.analysis.workflows", "discover"),
    "ExperimentResult": ("parley.analysis.experiment_result", "ExperimentResult"),
    "RunOptions": ("parley.analysis.workflows", "RunOptions"),
    "RunStore": ("parley.experiments.store", "RunStore"),
    "backtest": ("parley.analysis.backtest", "run_backtest"),
    "DEFAULT_SEED": ("parley.seeds", "DEFAULT_SEED"),
}

__all__ = [
    "DEFAULT_SEED",
    "ExperimentResult",
    "RunOptions",
    "RunStore",
    "Scenario",
    "ScenarioError",
    "__version__",
    "backtest",
    "compare",
    "discover",
    "forecast",
    "load_scenario",
    "run_model",
    "sensitivity",
    "simulate",
]

if TYPE_CHECKING:
    from parley.analysis.backtest import run_backtest as backtest
    from parley.analysis.experiment_result import ExperimentResult
    from parley.analysis.workflows import RunOptions, compare, discover, sensitivity
    from parley.api import forecast, simulate
    from parley.experiments.store import RunStore
    from parley.negotiation.registry import run_model
    from parley.scenario.errors import ScenarioError
    from parley.scenario.load import load_scenario
    from parley.scenario.schema import Scenario
    from parley.seeds import DEFAULT_SEED


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
