"""A scenario's experiment model as an EMA Workbench ``Model`` (Kwakkel 2017).

:func:`ema_model` wraps a parley experiment model (the war simulator by default,
:mod:`parley.experiments.models`) for ``ema_workbench.perform_experiments``:

- **uncertainties**: one ``RealParameter`` per entry of ``experiment.uncertainties``, bounded by
  the distribution's support (uniform, triangular, beta) or its 0.1 % and 99.9 % quantiles
  (unbounded laws) — EMA's samplers draw uniformly within those bounds; to sample the scenario's
  own marginals and correlations, pass :func:`ema_scenarios` (points of parley's own design);
- an integer uncertainty ``stream``: the random stream of the point. The point's runs use
  ``SeedSequence(seed, spawn_key=(stream,))``, exactly the seed of point ``stream`` in a parley
  sweep with one point per chunk, so the same stream under two policies gives common random
  numbers and the same numbers as ``parley compare``;
- **levers**: one ``RealParameter`` per lever path of ``experiment.policies`` (bounded by the
  policies' values); :func:`ema_policies` gives the named policies as EMA ``Policy`` objects
  (a lever a policy does not set is NaN: the scenario's own value);
- **outcomes**: one ``ScalarOutcome`` per per-run measure of the model's output
  (:func:`parley.experiments.models.tidy_runs`), the mean over ``runs_per_point`` runs.

EMA names must be Python identifiers, so a path ``war.policy.concession`` is the parameter
``war__policy__concession`` (:func:`ema_name`); the model receives the dotted path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from parley.experiments.design import BASELINE, make_design
from parley.experiments.distributions import from_spec
from parley.experiments.models import resolve_model, tidy_runs
from parley.scenario.errors import ScenarioError
from parley.scenario.schema import Scenario
from parley.seeds import DEFAULT_SEED

__all__ = ["ema_model", "ema_name", "ema_policies", "ema_scenarios"]

#: Largest random-stream index (EMA's integer parameters are inclusive).
MAX_STREAM = 2**31 - 1
#: Quantiles bounding an unbounded uncertainty for EMA's uniform samplers.
TAIL = 0.001


def _ema() -> Any:
    try:
        import ema_workbench
    except ImportError:  # a third-party optional dependency
        raise ScenarioError(
            "the EMA Workbench adapter needs 'ema-workbench' (pip install 'parley[ema]')"
        ) from None
    return ema_workbench


def ema_name(path: str) -> str:
    """The EMA name (a Python identifier) of a dotted scenario path."""
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in path.replace(".", "__"))
    return name if name.isidentifier() else f"p_{name}"


def _levers(scenario: Scenario) -> dict[str, list[float]]:
    spec = scenario.experiment
    out: dict[str, list[float]] = {}
    for pol in (spec.policies if spec else {}).values():
        for path, value in pol.levers.items():
            out.setdefault(path, []).append(float(value))
    return out


def _outcome_names(scenario: Scenario, model: str) -> list[str]:
    """Per-run measures of ``model``'s output (a one-run probe at the scenario's values)."""
    ds = resolve_model(model)(scenario, {}, 1, np.random.SeedSequence(0))
    return [str(c) for c in tidy_runs(ds).columns]


def ema_model(
    scenario: Scenario,
    *,
    model: str = "war",
    runs_per_point: int = 10,
    seed: int = DEFAULT_SEED,
    outcomes: Sequence[str] | None = None,
    name: str | None = None,
) -> Any:
    """The scenario's experiment model as an ``ema_workbench.Model``.

    Parameters
    ----------
    scenario : Scenario
        A scenario with an ``experiment`` section.
    model : str
        The parley experiment model (:func:`parley.experiments.models.resolve_model`).
    runs_per_point : int
        Simulations per EMA experiment; each outcome is their mean.
    seed : int
        Root seed; point ``stream`` runs on ``SeedSequence(seed, spawn_key=(stream,))``.
    outcomes : sequence of str, optional
        Measures to report (default: every per-run measure of the model's output).
    name : str, optional
        The EMA model's name, letters and digits only (default: the scenario id's).

    Returns
    -------
    ema_workbench.Model
        With uncertainties, levers and outcomes as described in the module docstring.
    """
    ema = _ema()
    spec = scenario.experiment
    if spec is None:
        raise ScenarioError("the EMA model needs the scenario's 'experiment' section")
    known = _outcome_names(scenario, model)
    measures = list(outcomes) if outcomes is not None else known
    for m in measures:
        if m not in known:
            raise ScenarioError(f"unknown outcome '{m}', expected one of {', '.join(known)}")
    fn = resolve_model(model)

    def run(stream: int = 0, **params: float) -> dict[str, float]:
        given = {p: np.full(runs_per_point, v) for p, v in params.items() if not np.isnan(v)}
        ss = np.random.SeedSequence(seed, spawn_key=(int(stream),))
        frame = tidy_runs(fn(scenario, given, runs_per_point, ss))
        return {ema_name(m): float(frame[m].astype(float).mean()) for m in measures}

    em = ema.Model(name or "".join(c for c in scenario.id if c.isalnum()) or "parley", function=run)
    unc = [ema.IntegerParameter("stream", 0, MAX_STREAM)]
    for path, dspec in spec.uncertainties.items():
        d = from_spec(dspec)
        lo, hi = (float(x) for x in d.ppf(np.array([TAIL, 1.0 - TAIL])))
        if d.kind in ("uniform", "triangular", "beta"):
            lo, hi = float(d.param("low")), float(d.param("high"))
        unc.append(ema.RealParameter(ema_name(path), lo, hi, variable_name=path))
    em.uncertainties = unc
    em.levers = [
        ema.RealParameter(ema_name(path), min(vals), max(vals) + (min(vals) == max(vals)),
                          variable_name=path)
        for path, vals in _levers(scenario).items()
    ]  # fmt: skip
    em.outcomes = [ema.ScalarOutcome(ema_name(m)) for m in measures]
    return em


def ema_policies(scenario: Scenario, names: Sequence[str] | None = None) -> list[Any]:
    """The scenario's named policies (all, or ``names``) as ``ema_workbench.Policy`` objects."""
    ema = _ema()
    spec = scenario.experiment
    policies = spec.policies if spec else {}
    levers = _levers(scenario)
    out = []
    for pname in names if names is not None else list(policies):
        if pname not in policies:
            raise ScenarioError(f"unknown policy '{pname}'", field="experiment.policies")
        set_ = policies[pname].levers
        values = {ema_name(p): float(set_.get(p, float("nan"))) for p in levers}
        out.append(ema.Policy(pname, **values))
    return out


def ema_scenarios(
    scenario: Scenario, n: int, *, method: str = "lhs", seed: int = DEFAULT_SEED
) -> list[Any]:
    """``n`` points of parley's own design as ``ema_workbench.Scenario`` objects.

    The points follow the scenario's marginals and correlations
    (:func:`parley.experiments.design.make_design` with ``method`` and ``seed``); point ``k``
    gets ``stream = k``, so ``perform_experiments`` on them reproduces a parley sweep of the same
    design with one point per chunk.
    """
    ema = _ema()
    d = make_design(scenario, policies=[BASELINE], method=method, n_points=n, seed=seed)
    vals = d.values(0)
    return [
        ema.Scenario(
            f"point_{k}",
            stream=k,
            **{ema_name(p): float(vals[k, j]) for j, p in enumerate(d.names)},
        )
        for k in range(d.n_points)
    ]
