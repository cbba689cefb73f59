"""Appending many rows in one statement on the session's own connection and
transaction: COPY on PostgreSQL (psycopg's `copy`), one executemany
elsewhere (SQLAlchemy batches it into multi-row INSERTs). For the few places
that write tens of thousands of rows at once (a national peak day queues
about 80,000 notices)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def copy_rows(session: Session, table: str, columns: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` (values in `columns` order, JSON already text) into `table`."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    names = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def copy_values(row: dict[str, Any], columns: Sequence[str],
                json_columns: frozenset[str]) -> list[Any]:
    """One row's values for COPY, JSON columns as text."""
    return [json.dumps(row[c]) if c in json_columns else row[c] for c in columns]


def append_rows(session: Session, table: Table, rows: list[dict[str, Any]],
                json_columns: frozenset[str] = frozenset()) -> None:
    """Insert rows whose ids nobody needs back; every row has the same keys."""
    if not rows:
        return
    if on_postgresql(session):
        columns = list(rows[0])
        copy_rows(session, table.name, columns,
                  (copy_values(row, columns, json_columns) for row in rows))
    else:
        session.execute(insert(table), rows)
