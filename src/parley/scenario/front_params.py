"""The ``--front-params`` file: the calibrated front written by ``parley calibrate front``, validated.

The file is JSON ``{"params": {...}, "stderr": {...}, "metadata": {...}}`` (``diagnostics`` and a
``mixture`` of window fits may sit beside them). It is held to the same discipline as a scenario: every parameter of the front process
(war-model §5; :class:`parley.war.front.FrontParams`) is either required or defaulted explicitly in
:data:`DEFAULTS`, every value is a finite number (or a list of them, one per run) inside the range
in :data:`RANGES`, and the metadata that ``parley simulate`` uses (the last observed day and area,
the filtered regime probability, the asymptotic law ``theta``/``theta_cov`` of the fit) is checked
for type, shape and range. :func:`load_front_params` returns a plain dict that
:meth:`parley.war.front.FrontParams.from_dict` reads.

This module holds the top level of the file, :func:`load_front_params` and
:func:`check_area_series` (a front series read by ``parley calibrate front``). The checks of one fit
(``params``, ``stderr``, ``metadata``; :data:`REQUIRED`, :data:`DEFAULTS`, :data:`RANGES`) are in
:mod:`parley.scenario.front_fit_section`, and those of the ``mixture`` of window fits in
:mod:`parley.scenario.front_mixture_params`; their public names are importable from here too.

Ranges are physical bounds, not priors: areas are at most 2e8 km² (more than the Earth's land),
daily rates and moments at most what would move that area in a day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parley.scenario.errors import ScenarioError
from parley.scenario.front_fit_section import DEFAULTS as DEFAULTS
from parley.scenario.front_fit_section import MAX_AREA as MAX_AREA
from parley.scenario.front_fit_section import MAX_DAILY as MAX_DAILY
from parley.scenario.front_fit_section import RANGES as RANGES
from parley.scenario.front_fit_section import REQUIRED as REQUIRED
from parley.scenario.front_fit_section import refuse_unknown, validate_fit
from parley.scenario.front_mixture_params import COMPONENT_KEYS as COMPONENT_KEYS
from parley.scenario.front_mixture_params import WEIGHT_SUM_TOL as WEIGHT_SUM_TOL
from parley.scenario.front_mixture_params import check_mixture_weights as check_mixture_weights
from parley.scenario.front_mixture_params import check_same_end as check_same_end
from parley.scenario.front_mixture_params import validate_mixture as validate_mixture
from parley.scenario.limits import check_data, load_json
from parley.scenario.load import read_text

TOP_LEVEL = ("params", "stderr", "metadata", "diagnostics", "mixture")


def validate_front_params(data: Any, file: str | None = None) -> dict[str, Any]:
    """Validate decoded front parameters; return ``{"params", "stderr", "metadata"}`` (and
    ``mixture``, validated by :func:`validate_mixture`, when the file has one) with every
    parameter present (defaults filled in) or raise a located :class:`ScenarioError`."""
    check_data(data, file)
    if not isinstance(data, dict):
        raise ScenarioError(
            "expected a mapping with 'params' (the file 'parley calibrate front' writes)", file=file
        )
    refuse_unknown(data, TOP_LEVEL, "section", file)
    if "params" not in data:
        raise ScenarioError("required section is missing", file=file, field="params")
    out = validate_fit(data, file)
    if data.get("mixture") is not None:
        out["mixture"] = validate_mixture(data["mixture"], file)
        metas = [out["metadata"]] + [c["metadata"] for c in out["mixture"]]
        labels = [""] + [f"mixture[{k}]" for k in range(len(metas) - 1)]
        check_same_end(metas, labels, file)
    return out


def load_front_params(path: str | Path) -> dict[str, Any]:
    """Read and validate a ``--front-params`` JSON file (size, encoding, depth, then the schema)."""
    p = Path(path)
    return validate_front_params(load_json(read_text(p), str(p)), str(p))


def check_area_series(values: Any, file: str | Path, field: str) -> None:
    """Refuse a front series (occupied area per day, km²) holding an infinite, negative or
    impossibly large value; missing days (NaN) are allowed. The line is the data row + 2."""
    import numpy as np  # noqa: PLC0415

    arr = np.asarray(values, dtype=float)
    bad = ~np.isnan(arr) & ~((arr >= 0) & (arr <= MAX_AREA))
    hits = np.flatnonzero(bad)
    if hits.size:
        row = int(hits[0])
        raise ScenarioError(
            f"row {row + 1}: expected an area in [0, {MAX_AREA:g}] km², got {arr[row]:g}",
            file=file,
            field=field,
            line=row + 2,
        )
