"""CLI tests (a package so that module names such as test_calibrate do not clash with tests/analysis)."""
