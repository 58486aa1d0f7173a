"""parley.analysis."""
