"""The Alembic migrations create exactly the schema the models describe, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings
from lokflow.store.tables import Base


def _differences(app: App) -> list[object]:
    with app.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_sqlite_schema_matches_the_models(app: App) -> None:
    assert _differences(app) == []


@pytest.mark.postgres
def test_postgres_schema_matches_the_models(pg_settings: Settings) -> None:
    app = bootstrap(pg_settings)
    try:
        assert _differences(app) == []
    finally:
        app.close()
