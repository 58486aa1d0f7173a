"""One preparation step shared by ``parley forecast`` and ``parley validate``: actors without influence.

An actor with zero capability, or with zero salience on every issue of a scenario, has no weight in
any salience- or capability-weighted model, but KTAB's Spatial Model of Politics rejects it (it needs
a positive total salience and capability per actor; smp-spec, input checks). DEU files have such
actors (a member state that recorded a position but attached no importance to it). The models in
:data:`ACTIVE_ACTOR_MODELS` are therefore run without them, and the caller reports what was dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from parley.scenario.schema import Scenario

#: Models run without actors of zero capability or zero salience on every issue.
ACTIVE_ACTOR_MODELS = frozenset({"smp"})


def drop_inactive_actors(scenarios: Sequence[Scenario]) -> tuple[list[Scenario], list[str]]:
    """The scenarios without actors of zero capability or zero salience on every issue.

    Returns the scenarios and one note per scenario that lost actors ("<scenario>: dropped a, b").
    A scenario whose actors would all be dropped is kept as it is.
    """
    out: list[Scenario] = []
    notes: list[str] = []
    for s in scenarios:
        keep = [
            a
            for a in s.actors
            if a.capability > 0 and any(st.salience > 0 for st in a.positions.values())
        ]
        if keep and len(keep) < len(s.actors):
            kept = {a.id for a in keep}
            dropped = [a.id for a in s.actors if a.id not in kept]
            notes.append(f"{s.id}: dropped {', '.join(dropped)}")
            out.append(s.model_copy(update={"actors": keep}))
        else:
            out.append(s)
    return out, notes


def summarise_notes(model: str, notes: Sequence[str], limit: int = 5) -> str:
    """One line for the user: in how many scenarios ``model`` ran without some actors (or gave
    no forecast), with examples."""
    shown = "; ".join(notes[:limit]) + ("; ..." if len(notes) > limit else "")
    return (
        f"note: {model} ran without actors of zero capability or zero salience on every issue, "
        f"or without a forecast, in {len(notes)} scenario(s): {shown}"
    )
