"""parley.war."""
