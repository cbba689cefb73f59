"""Whether a database is at the newest migration, without importing Alembic.

Every command that opens the database asks this first. Alembic and the
migration modules cost about a tenth of a second to import, which a command
like `lokflow show` would pay on every start; they are loaded only when the
answer is no (`store.migrate`). The heads come from the `revision` and
`down_revision` lines of the migration files, read with `ast`;
tests/integration/test_migrations.py checks them against Alembic's own.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

VERSIONS = Path(__file__).parent / "migrations" / "versions"
NAMES = ("revision", "down_revision")


def migration_heads(versions: Path = VERSIONS) -> set[str]:
    """The revisions no other migration builds on (one, unless branches are open)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found = _revision_lines(path)
        revision, down = found.get("revision"), found.get("down_revision")
        if isinstance(revision, str):
            revisions.add(revision)
            parents.update([down] if isinstance(down, str) else down or ())
    return revisions - parents


def _revision_lines(path: Path) -> dict[str, Any]:
    """`revision = "0004"`, `down_revision = "0003"` (or a tuple, or None)."""
    found: dict[str, Any] = {}
    for node in ast.parse(path.read_bytes(), str(path)).body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in NAMES and value is not None:
            found[target.id] = ast.literal_eval(value)
    return found


def stamped_revisions(engine: Engine) -> set[str] | None:
    """The revisions the database says it is at; None without a version table."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return {str(row[0]) for row in rows}
    except DBAPIError:  # no such table yet: a new database
        return None


def at_head(engine: Engine) -> bool:
    """True when every migration has run (the database is at the single head)."""
    heads = migration_heads()
    return bool(heads) and stamped_revisions(engine) == heads
