"""The attack suite runs every fault on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import database_name
from tests.support.postgres import PostgresCluster


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Empty for SQLite in the test's home; a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return ""
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(database_name("attack", request.node))
