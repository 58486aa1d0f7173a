"""Assumption sets and policies in words, for the report's text, tables and figures.

Which sets a report compares, their sources and thresholds are read from the scenario by
:mod:`parley.scenario.report_settings`; this module only names them.
"""

from __future__ import annotations

from typing import Any

from parley.scenario.report_settings import BASELINE_SET


def plain_name(name: str) -> str:
    """A set's name in words: ``advocates_but_battlefield_wrong`` -> "advocates but battlefield
    wrong"; the baseline is "both camps' ranges"."""
    if name == BASELINE_SET:
        return "both camps' ranges"
    if name.startswith("advocates_but_") and name.endswith("_wrong"):
        what = name[len("advocates_but_") : -len("_wrong")].replace("_", " ")
        return f"advocates' case but the critics' {what} assumption"
    return name.replace("_", " ")


def policy_name(war: Any, key: str) -> str:
    """A policy in words (the analysis's ``policy_names``), else its key with spaces."""
    return str(getattr(war, "policy_names", {}).get(key, key.replace("_", " ")))
