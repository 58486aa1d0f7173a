"""parley.web."""
