"""Parameters in words: a dotted path of the ``war`` section named by its schema description.

``war.front.p_offensive_B_per_day`` becomes "Daily chance an offensive by B starts (front)" and,
given the sides' and supporters' names, "... by Ukraine ..."; the words come from the field
descriptions of :mod:`parley.scenario.war_schema` and :mod:`parley.scenario.front_schema`, so a
new field is named without another edit.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from parley.scenario.war_schema import WarSpec


def _inner(annotation: Any) -> Any:
    """The model class inside ``list[X]`` or ``X | None`` (else the annotation itself)."""
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return annotation


def describe(path: str, sides: Sequence[str] = ("A", "B"), supporters: Sequence[str] = ()) -> str:
    """The field description of ``path`` (``war.`` optional), with the side or supporter named.

    Unknown paths come back without the ``war.`` prefix.
    """
    parts = path.split(".")
    if parts and parts[0] == "war":
        parts = parts[1:]
    model: Any = WarSpec
    who = ""
    desc = ""
    for i, part in enumerate(parts):
        if part in ("A", "B") and i > 0:
            who = sides[0] if part == "A" else sides[1]
        elif part.isdigit():
            k = int(part)
            if parts[i - 1] == "supporters" and k < len(supporters):
                who = supporters[k]
            continue
        fields = getattr(model, "model_fields", {})
        if part not in fields:
            continue
        info = fields[part]
        desc = info.description or ""
        model = _inner(info.annotation)
    if not desc:
        return ".".join(parts)
    text = desc.rstrip(".")
    for side, name in (("A", sides[0]), ("B", sides[1])):
        text = text.replace(f" by {side} ", f" by {name} ").replace(f"by {side}'s", f"by {name}'s")
    if who and who not in text:
        text = f"{who}: {text[0].lower()}{text[1:]}"
    return text
