"""Reading and writing many rows in a few statements, for the places that
touch thousands of rows in one transaction (a national plan sync, a peak
day's outbox): one executemany (or COPY) per kind of change instead of one
ORM object and statement per row. Generic: nothing here knows about plans.
The statements run on the session's connection, inside its transaction, and
bypass its unit of work: flush before, and `refresh_held` after."""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, insert, inspect, select, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session

IN_LIST = 900  # values per IN (...), well under every database's limit


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause CPython's cycle collector while rows are built in bulk. A national
    sync allocates about a million short-lived dicts and lists, freed by
    reference counting (no cycles), and each full collection they trigger
    rescans every object the process holds, the parsed plans included: 0.7 s
    of a 3.5 s sync. Collection resumes at the end, if it was on before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def table_of(model: Any) -> Table:
    """The Core table of a mapped class."""
    return cast(Table, model.__table__)


def chunks(values: Sequence[Any], size: int = IN_LIST) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def rows_where_in(session: Session, table: Table, column: str, values: Sequence[Any]
                  ) -> list[Row[Any]]:
    """Every row of `table` whose `column` is one of `values`, in id order
    when the table has one."""
    found: list[Row[Any]] = []
    order = [table.c.id] if "id" in table.c else []
    for part in chunks(values):
        found += session.execute(
            select(table).where(table.c[column].in_(part)).order_by(*order)).all()
    return found


def insert_returning(session: Session, table: Table, rows: list[dict[str, Any]],
                     *columns: str) -> list[Row[Any]]:
    """Insert `rows` in order (one executemany, batched into multi-row INSERTs)
    and return `columns` of each new row, in the same order."""
    if not rows:
        return []
    statement = insert(table).returning(*(table.c[name] for name in columns),
                                        sort_by_parameter_order=True)
    return list(session.connection().execute(statement, rows).all())


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows nobody needs back (one executemany). Every row has the same keys."""
    if rows:
        session.connection().execute(insert(table), rows)


def update_by_id(session: Session, table: Table, changes: list[tuple[int, dict[str, Any]]]
                 ) -> None:
    """UPDATE each row by id with its own values: one executemany per set of
    columns changed (an executemany sets the same columns in every row)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row_id, values in changes:
        groups[tuple(sorted(values))].append(
            {"row_id": row_id, **{f"new_{name}": value for name, value in values.items()}})
    for names, params in groups.items():
        statement = update(table).where(table.c.id == bindparam("row_id")).values(
            {name: bindparam(f"new_{name}", type_=table.c[name].type) for name in names})
        session.connection().execute(statement, params)


def delete_where_in(session: Session, table: Table, column: str, values: Sequence[Any]
                    ) -> None:
    for part in chunks(values):
        session.connection().execute(delete(table).where(table.c[column].in_(part)))


def refresh_held(session: Session, models: tuple[type, ...]) -> None:
    """Objects of `models` the session holds see their rows as the bulk
    statements left them: refreshed in place, with the attributes and
    relationships they had loaded (callers keep using them after the
    transaction: sessions do not expire on commit), or expunged when their
    row is gone. Not expire_all: objects of other tables stay as they are."""
    held = [o for o in session.identity_map.values() if isinstance(o, models)]
    for instance in held:
        state = inspect(instance)
        if state.session is None:  # expunged by a cascade from one whose row is gone
            continue
        loaded = [p.key for p in state.mapper.attrs if p.key not in state.unloaded]
        try:
            session.refresh(instance, loaded or None)
        except InvalidRequestError:
            session.expunge(instance)


# -- Appending rows nobody needs back: COPY on PostgreSQL (a peak day queues
# about 80,000 notices), one executemany elsewhere.

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
