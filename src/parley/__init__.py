"""parley: model how wars and multi-party disputes end at the negotiating table."""

__version__ = "0.1.0"
