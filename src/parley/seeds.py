"""The one default seed of parley's commands and stochastic models.

Every stochastic model (the exchange model's tie draws and randomised gains, the SMP's stochastic
state transitions, Monte Carlo sampling of reports) takes a seed; the command-line tools, the
dashboard and the Python API use :data:`DEFAULT_SEED` when none is given, so the same call gives the
same numbers everywhere. The value is the date of the flagship forecast origin, 8 November 2022.
"""

from __future__ import annotations

#: Default seed of every command and stochastic model (the flagship forecast origin, 2022-11-08).
DEFAULT_SEED = 20221108
