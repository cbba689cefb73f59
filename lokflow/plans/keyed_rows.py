"""The rows a plan keeps by key (units, contacts, principles, commitments),
synced for many plans at once: one query to read them, then one executemany
each for the new, the changed and the archived. Rows that left the file are
archived, never deleted: history may point at them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Row, Table
from sqlalchemy.orm import Session

from lokflow.store.bulk import insert_returning, rows_where_in, update_by_id

Wanted = dict[int, list[tuple[Any, dict[str, Any]]]]
"""Per plan id, the rows the file lists in file order: (key, stored values)."""


def sync_keyed(session: Session, table: Table, key_columns: tuple[str, ...], wanted: Wanted,
               notes: dict[int, list[str]] | None = None, noun: str = "") -> dict[Any, int]:
    """Create, update in place or archive `table`'s rows of each plan in `wanted`.
    A plan with a list in `notes` gets each change there ("unit added: kultur").
    Returns {(plan id, key): row id}; a key is a tuple when there are several
    key columns."""
    def key_of(row: Row[Any]) -> Any:
        values = tuple(row._mapping[c] for c in key_columns)
        return values if len(values) > 1 else values[0]

    existing: dict[int, dict[Any, Row[Any]]] = defaultdict(dict)
    for row in rows_where_in(session, table, "plan_id", sorted(wanted)):
        existing[row.plan_id][key_of(row)] = row
    ids: dict[Any, int] = {}
    new: list[dict[str, Any]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    for plan_id, items in wanted.items():
        said = (notes or {}).get(plan_id, [])
        rows = existing[plan_id]
        for key, values in items:
            found = rows.get(key)
            if found is None:
                keys = key if len(key_columns) > 1 else (key,)
                new.append({"plan_id": plan_id, **dict(zip(key_columns, keys, strict=True)),
                            **values})
                said.append(f"{noun} added: {key}")
                continue
            ids[(plan_id, key)] = found.id
            change = {name: value for name, value in values.items()
                      if found._mapping[name] != value}
            if change:
                changed.append((found.id, change))
                said.append(f"{noun} changed: {key}")
        listed = {key for key, _ in items}
        for key, old in rows.items():
            if key not in listed and not old.archived:
                changed.append((old.id, {"archived": True}))
                said.append(f"{noun} archived: {key}")
    for row in insert_returning(session, table, new, "id", "plan_id", *key_columns):
        ids[(row.plan_id, key_of(row))] = row.id
    update_by_id(session, table, changed)
    return ids
