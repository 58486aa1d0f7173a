"""parley.report."""
