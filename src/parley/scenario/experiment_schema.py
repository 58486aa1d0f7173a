"""The ``experiment`` section of a scenario: uncertain inputs, assumption sets and policies.

Any numeric scenario parameter, named by its dotted path as written in the scenario file
(``war.front.drift_km2_per_day``, ``actors.russia.capability``,
``actors.ukraine.positions.territory.salience``; list items are addressed by their ``id`` or by a
0-based index), may be given a distribution instead of its number::

    experiment:
      uncertainties:
        actors.russia.capability: {dist: uniform, low: 0.8, high: 1.2}
        actors.ukraine.capability: {dist: normal, mean: 1.0, sd: 0.1}
      correlations:
        - params: [actors.russia.capability, actors.ukraine.capability]
          matrix: [[1.0, -0.5], [-0.5, 1.0]]
      assumptions:
        optimistic_front:
          description: Ukraine holds the line
          source: DeepState drift 2023-24
          overrides: {war.front.drift_km2_per_day: -2.0}
      policies:
        negotiate_now:
          description: Talks open at once
          levers: {war.policy.negotiation_start_step: 0}

The parameters of every distribution are checked here, and :func:`check_experiment_paths` (called
by :class:`~parley.scenario.schema.Scenario`) checks that every path exists in the scenario and
points to a number. Sampling lives in :mod:`parley.experiments`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from parley.scenario._common import StrictModel, finite


class Uniform(StrictModel):
    """Uniform on ``[low, high]``."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> Uniform:
        finite(self.low, "low")
        finite(self.high, "high")
        if not self.high > self.low:
            raise ValueError(f"uniform needs high > low, got low={self.low}, high={self.high}")
        return self


class Normal(StrictModel):
    """Normal with mean ``mean`` and standard deviation ``sd``."""

    dist: Literal["normal"]
    mean: float
    sd: float

    @model_validator(mode="after")
    def _check(self) -> Normal:
        finite(self.mean, "mean")
        if not (math.isfinite(self.sd) and self.sd > 0):
            raise ValueError(f"normal needs a finite sd > 0, got sd={self.sd}")
        return self


class TruncNormal(StrictModel):
    """Normal(``mean``, ``sd``) truncated to ``[low, high]`` (either bound may be omitted)."""

    dist: Literal["truncnormal"]
    mean: float
    sd: float
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _check(self) -> TruncNormal:
        finite(self.mean, "mean")
        if not (math.isfinite(self.sd) and self.sd > 0):
            raise ValueError(f"truncnormal needs a finite sd > 0, got sd={self.sd}")
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        if not hi > lo:
            raise ValueError(f"truncnormal needs high > low, got low={self.low}, high={self.high}")
        if self.low is None and self.high is None:
            raise ValueError("truncnormal needs at least one of low, high (else use normal)")
        # Mass inside the bounds must not vanish, or sampling degenerates.
        from scipy.stats import norm

        mass = float(norm.cdf((hi - self.mean) / self.sd) - norm.cdf((lo - self.mean) / self.sd))
        if mass < 1e-12:
            raise ValueError(
                f"truncnormal bounds [{self.low}, {self.high}] hold no probability mass of "
                f"normal(mean={self.mean}, sd={self.sd})"
            )
        return self


class LogNormal(StrictModel):
    """Log-normal: ``log(X) ~ Normal(mu, sigma)`` (so the median is ``exp(mu)``)."""

    dist: Literal["lognormal"]
    mu: float
    sigma: float

    @model_validator(mode="after")
    def _check(self) -> LogNormal:
        finite(self.mu, "mu")
        if not (math.isfinite(self.sigma) and self.sigma > 0):
            raise ValueError(f"lognormal needs a finite sigma > 0, got sigma={self.sigma}")
        return self


class Beta(StrictModel):
    """Beta(``a``, ``b``) rescaled to ``[low, high]`` (default ``[0, 1]``)."""

    dist: Literal["beta"]
    a: float
    b: float
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _check(self) -> Beta:
        for name in ("a", "b"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"beta needs a finite {name} > 0, got {name}={v}")
        finite(self.low, "low")
        finite(self.high, "high")
        if not self.high > self.low:
            raise ValueError(f"beta needs high > low, got low={self.low}, high={self.high}")
        return self


class Triangular(StrictModel):
    """Triangular on ``[low, high]`` with its peak at ``mode``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> Triangular:
        for name in ("low", "mode", "high"):
            finite(getattr(self, name), name)
        if not self.high > self.low:
            raise ValueError(f"triangular needs high > low, got low={self.low}, high={self.high}")
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"triangular needs low <= mode <= high, got {self.low}, {self.mode}, {self.high}"
            )
        return self


class Choice(StrictModel):
    """A discrete choice among ``values`` with optional ``weights`` (equal by default)."""

    dist: Literal["choice"]
    values: list[float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check(self) -> Choice:
        for v in self.values:
            finite(v, "every value")
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"choice has {len(self.values)} values but {len(self.weights)} weights"
                )
            if any(not (math.isfinite(w) and w >= 0) for w in self.weights):
                raise ValueError("choice weights must be finite and >= 0")
            if sum(self.weights) <= 0:
                raise ValueError("choice weights must not all be zero")
        return self


class Empirical(StrictModel):
    """An empirical distribution: draws are taken from the inverse ECDF of ``samples``."""

    dist: Literal["empirical"]
    samples: list[float] = Field(min_length=2)

    @field_validator("samples")
    @classmethod
    def _check(cls, v: list[float]) -> list[float]:
        for x in v:
            finite(x, "every sample")
        return v


DistributionSpec = Annotated[
    Uniform | Normal | TruncNormal | LogNormal | Beta | Triangular | Choice | Empirical,
    Field(discriminator="dist"),
]

#: Names accepted in ``dist:``.
DISTRIBUTIONS = (
    "uniform",
    "normal",
    "truncnormal",
    "lognormal",
    "beta",
    "triangular",
    "choice",
    "empirical",
)


class Correlation(StrictModel):
    """A group of uncertain parameters joined by a Gaussian copula with correlation ``matrix``."""

    params: list[str] = Field(min_length=2)
    matrix: list[list[float]]

    @model_validator(mode="after")
    def _check(self) -> Correlation:
        k = len(self.params)
        if len(set(self.params)) != k:
            raise ValueError("correlation params must be distinct")
        if len(self.matrix) != k or any(len(row) != k for row in self.matrix):
            raise ValueError(f"correlation matrix must be {k}x{k} for {k} params")
        m = np.asarray(self.matrix, dtype=float)
        if not np.all(np.isfinite(m)):
            raise ValueError("correlation matrix must hold finite numbers")
        if not np.allclose(m, m.T):
            raise ValueError("correlation matrix must be symmetric")
        if not np.allclose(np.diag(m), 1.0):
            raise ValueError("correlation matrix must have 1 on the diagonal")
        if np.any(np.abs(m) > 1):
            raise ValueError("correlations must lie in [-1, 1]")
        if float(np.linalg.eigvalsh(m).min()) <= 1e-10:
            raise ValueError("correlation matrix must be positive definite")
        return self


class AssumptionSet(StrictModel):
    """A named bundle of parameter overrides (numbers or distributions); sets combine."""

    description: str = ""
    source: str = ""
    overrides: dict[str, float | DistributionSpec] = Field(min_length=1)


class Policy(StrictModel):
    """A named bundle of decision levers: path -> value (war model section 8)."""

    description: str = ""
    levers: dict[str, float] = Field(default_factory=dict)


class ExperimentSpec(StrictModel):
    """Uncertainties, correlations, named assumption sets and policies."""

    uncertainties: dict[str, DistributionSpec] = Field(default_factory=dict)
    correlations: list[Correlation] = Field(default_factory=list)
    assumptions: dict[str, AssumptionSet] = Field(default_factory=dict)
    policies: dict[str, Policy] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_groups(self) -> ExperimentSpec:
        seen: set[str] = set()
        for g, group in enumerate(self.correlations):
            for p in group.params:
                if p not in self.uncertainties:
                    raise ValueError(
                        f"correlations[{g}]: '{p}' is not an uncertain parameter "
                        f"(declare it under uncertainties first)"
                    )
                if self.uncertainties[p].dist == "choice":
                    raise ValueError(
                        f"correlations[{g}]: '{p}' is a discrete choice; only continuous "
                        f"distributions can be correlated"
                    )
                if p in seen:
                    raise ValueError(f"correlations[{g}]: '{p}' appears in two groups")
                seen.add(p)
        return self


def resolve_path(data: Any, path: str) -> Any:
    """Return the value at dotted ``path`` in decoded scenario ``data``.

    List items are matched by their ``id`` field, or by a 0-based index. Raises ``KeyError`` with a
    readable message when a segment does not exist.
    """
    node = data
    walked: list[str] = []
    for seg in path.split("."):
        where = ".".join(walked) or "the top level"
        if isinstance(node, Mapping):
            if seg not in node:
                known = ", ".join(sorted(str(k) for k in node)) or "nothing"
                raise KeyError(f"no '{seg}' under {where} (known: {known})")
            node = node[seg]
        elif isinstance(node, list):
            match = [x for x in node if isinstance(x, Mapping) and x.get("id") == seg]
            if match:
                node = match[0]
            elif seg.isdigit() and int(seg) < len(node):
                node = node[int(seg)]
            else:
                ids = [str(x.get("id")) for x in node if isinstance(x, Mapping) and "id" in x]
                raise KeyError(f"no item '{seg}' in {where} (ids: {', '.join(ids) or 'none'})")
        else:
            raise KeyError(f"{where} is a value, not a section; cannot look up '{seg}'")
        walked.append(seg)
    return node


def _check_numeric(data: Any, path: str, where: str) -> None:
    try:
        value = resolve_path(data, path)
    except KeyError as exc:
        raise ValueError(
            f"{where}: path '{path}' does not exist in the scenario: {exc.args[0]}"
        ) from None
    if value is None:  # an optional numeric field left unset
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(
            f"{where}: path '{path}' must point to a number in the scenario, "
            f"found {type(value).__name__}"
        )


def check_experiment_paths(scenario: Any) -> None:
    """Check that every path in ``scenario.experiment`` exists in the scenario and is numeric.

    Called from :class:`~parley.scenario.schema.Scenario`'s validator; raises ``ValueError`` naming
    the offending field (``experiment.uncertainties[...]`` etc.) and the missing segment.
    """
    spec: ExperimentSpec | None = getattr(scenario, "experiment", None)
    if spec is None:
        return
    data = scenario.model_dump(mode="python", exclude={"experiment"})
    for path in spec.uncertainties:
        _check_numeric(data, path, f"experiment.uncertainties['{path}']")
    for name, aset in spec.assumptions.items():
        for path in aset.overrides:
            _check_numeric(data, path, f"experiment.assumptions.{name}.overrides['{path}']")
    for name, pol in spec.policies.items():
        for path in pol.levers:
            _check_numeric(data, path, f"experiment.policies.{name}.levers['{path}']")
