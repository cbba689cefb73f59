"""`store.schema_version` answers "is this database migrated?" without Alembic;
here its answers are held against Alembic's own, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from lokflow.bootstrap import bootstrap
from lokflow.settings import Settings
from lokflow.store import migrate
from lokflow.store.schema_version import VERSIONS, at_head, migration_heads


def test_the_heads_read_from_the_files_are_alembics() -> None:
    script = ScriptDirectory(str(migrate.MIGRATIONS))
    assert migration_heads() == set(script.get_heads())
    assert len(migration_heads()) == 1


def test_a_branch_and_a_merge_are_read_like_alembic_reads_them(tmp_path: Path) -> None:
    """Two migrations on one parent are two heads; a merge (a tuple) joins them."""
    for name, revision, down in (("a", "0001", None), ("b", "0002", "0001"),
                                 ("c", "0003", "0001")):
        (tmp_path / f"{revision}_{name}.py").write_text(
            f'"""{name}"""\nrevision = "{revision}"\ndown_revision = {down!r}\n')
    assert migration_heads(tmp_path) == {"0002", "0003"}
    (tmp_path / "0004_merge.py").write_text(
        'revision: str = "0004"\ndown_revision: tuple[str, str] = ("0002", "0003")\n')
    assert migration_heads(tmp_path) == {"0004"}
    assert VERSIONS.is_dir()


def test_at_head_only_after_every_migration(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    older = create_engine(f"sqlite:///{home / 'lokflow.db'}")
    assert at_head(older) is False  # no version table yet
    command.upgrade(migrate.alembic_config(older), "0001")
    assert at_head(older) is False and migrate.is_current(older) is False
    older.dispose()
    app = bootstrap(Settings(home=home, _env_file=None))
    try:
        assert at_head(app.engine) and migrate.is_current(app.engine)  # upgraded from 0001
        with app.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'elsewhere'"))
        assert at_head(app.engine) is False
    finally:
        app.close()


@pytest.mark.postgres
def test_at_head_on_postgres(pg_settings: Settings) -> None:
    engine = create_engine(pg_settings.resolved_database_url)
    assert at_head(engine) is False
    engine.dispose()
    app = bootstrap(pg_settings)
    try:
        assert at_head(app.engine) and at_head(app.read_engine)  # type: ignore[arg-type]
    finally:
        app.close()
