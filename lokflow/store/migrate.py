"""Running the Alembic migrations (imported only when a database is behind).

`database.upgrade` asks `schema_version.at_head` first, which needs no
Alembic; this module is loaded only for a new or older database.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, read_engine: Engine | None = None) -> None:
    """Bring the schema to the newest revision (a no-op when it is there; that
    check reads through `read_engine`, so it never waits for a writer)."""
    if is_current(read_engine or engine):
        return
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(7301)"))
            connection.commit()
        try:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(7301)"))
                connection.commit()


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current == head
