"""parley.experiments."""
