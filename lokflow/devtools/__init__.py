"""Tools for the test suite and the benchmark: throw-away PostgreSQL clusters
and child processes. Never used by the running service."""
