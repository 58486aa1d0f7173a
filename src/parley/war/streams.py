"""Random streams of the war simulator: one per mechanism, in an append-only registered order.

Every mechanism draws from its own :class:`numpy.random.Generator`, spawned from the run's seed
by :meth:`numpy.random.SeedSequence.spawn`. A spawned child is identified by its position in the
spawn order (its ``spawn_key``), not by how many children were spawned, so as long as
:data:`STREAMS` is only ever *appended to*, adding a mechanism leaves the draws of every earlier
mechanism unchanged and common random numbers across policies keep holding (architecture
principle 3). ``tests/war/test_streams.py`` checks this.
"""

from __future__ import annotations

import numpy as np

#: Registered streams. APPEND ONLY: never reorder, rename or remove an entry.
STREAMS: tuple[str, ...] = (
    "front",
    "battles",
    "settlement",
    "aid",
    "politics",
    "escalation",
    "durability",
    "initial",
    # --- v2 mechanisms (issue 10) ---
    "signals",
    "losses",
    "breaking",
    "supporters",
)


def generators(
    seed: int | np.random.SeedSequence, streams: tuple[str, ...] = STREAMS
) -> dict[str, np.random.Generator]:
    """One generator per stream, spawned from ``seed`` in the registered order of ``streams``."""
    if len(set(streams)) != len(streams):
        raise ValueError("stream names must be unique")
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    children = ss.spawn(len(streams))
    return {name: np.random.default_rng(c) for name, c in zip(streams, children, strict=True)}
