"""Alembic environment: runs on the connection lokflow hands it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Connection

from lokflow.store.tables import Base

config = context.config


@contextmanager
def _sqlite_foreign_keys_deferred(connection: Connection) -> Iterator[None]:
    """SQLite rebuilds a table to alter it (batch mode): dropping the old copy
    of a table other rows point to fails while foreign keys are enforced. The
    pragma only works outside a transaction, so it is set on the raw
    connection before the migration's transaction, checked inside it, and
    restored after (the connection goes back to a pool that expects it on)."""
    if connection.dialect.name != "sqlite" or connection.in_transaction():
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection: Connection) -> None:
    """Every reference still points to a row once the tables are rebuilt."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left broken references: {broken[:5]}")


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with _sqlite_foreign_keys_deferred(connection):
        with context.begin_transaction():
            context.run_migrations()
            _check_foreign_keys(connection)
        connection.commit()


given = config.attributes.get("connection")
if given is None:
    with config.attributes["engine"].connect() as own:
        _run(own)
else:
    _run(given)
