"""Models fitted to the DEU data with cross-validation grouped by proposal (out-of-fold forecasts)."""

from __future__ import annotations

from typing import Any

FITTED_MODELS: dict[str, Any] = {}
