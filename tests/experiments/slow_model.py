"""A model for the store's fault tests: the linear test function, slowed down so that a sweep can
be killed part-way (imported by name, ``slow_model:slow_linear``, in the sweep's workers)."""

from __future__ import annotations

import os
import time
from typing import Any

from parley.experiments.testfunctions import linear_model


def slow_linear(scenario: Any, params: Any, n_runs: int, seed: Any, **kw: Any) -> Any:
    """``linear_model`` after ``$PARLEY_TEST_DELAY`` seconds (0.3 by default)."""
    time.sleep(float(os.environ.get("PARLEY_TEST_DELAY", "0.3")))
    return linear_model(scenario, params, n_runs, seed, noise_sd=2.0)
