"""The throw-away PostgreSQL cluster lives in lokflow.devtools (the benchmark uses it too)."""

from lokflow.devtools.postgres import PostgresCluster

__all__ = ["PostgresCluster"]
