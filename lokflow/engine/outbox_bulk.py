"""The outbox's bulk reads and writes: a national peak day queues about
80,000 notices to about 3,000 people in one transaction, so rows go in by
the batch, never one by one, and each item is written once, its message
already known.

On PostgreSQL lists travel as one array parameter, and items are streamed
with COPY into a temporary table, from which one INSERT … ON CONFLICT DO
NOTHING keeps those no concurrent transaction wrote first. On SQLite, IN
lists in chunks and one executemany per table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Row, Table, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from lokflow.domain.due_actions import Person
from lokflow.store import tables as t
from lokflow.store.bulk import append_rows, copy_rows, copy_values, on_postgresql

ITEM_COLUMNS = ("key", "plan_id", "activity_id", "occurrence_key", "due", "kind", "stage",
                "level", "recipient_email", "recipient_name", "language", "planned_day",
                "created_at", "detail", "message_id")
JSON = frozenset({"detail"})
CHUNK = 900  # values per IN list, under SQLite's limit on bound parameters
QUEUED = "queued"  # MessageStatus.QUEUED (engine.outbox imports this module)
CANCELLED = "cancelled"
items = cast(Table, t.OutboxItem.__table__)
messages = cast(Table, t.OutboxMessage.__table__)
events = cast(Table, t.ActivityEvent.__table__)


def _in_chunks(session: Session, column: Any, values: Sequence[Any],
               *selected: Any) -> list[Row[Any]]:
    found: list[Row[Any]] = []
    for start in range(0, len(values), CHUNK):
        found += session.execute(select(*selected).where(
            column.in_(values[start:start + CHUNK]))).all()
    return found


def plans_of_activities(session: Session, activity_ids: Sequence[int]) -> dict[int, int]:
    """{activity id: plan id}."""
    if on_postgresql(session):
        rows = session.execute(text("SELECT id, plan_id FROM activities WHERE id = ANY(:ids)"),
                               {"ids": list(activity_ids)}).all()
    else:
        activities = cast(Table, t.Activity.__table__)
        rows = _in_chunks(session, activities.c.id, activity_ids, activities.c.id,
                          activities.c.plan_id)
    return {row[0]: row[1] for row in rows}


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of `keys` the outbox already has."""
    if on_postgresql(session):
        return set(session.scalars(text("SELECT key FROM outbox_items WHERE key = ANY(:keys)"),
                                   {"keys": list(keys)}))
    return {row[0] for row in _in_chunks(session, items.c.key, keys, items.c.key)}


def open_messages(session: Session, recipients: dict[str, Person], day: date,
                  now: datetime) -> dict[str, int]:
    """Today's not-yet-claimed message of each recipient (by lower-case email),
    created where there is none, as `outbox.open_message` does one by one.
    The rows found stay locked until the commit (in id order, as every bulk
    caller locks them), so a sender's claim waits for the items attached
    here. A recipient missing from the answer lost a race for its new
    message's key: the caller opens that one on its own."""
    emails = sorted(recipients)
    latest: dict[str, tuple[int, str, int]] = {}
    count: dict[str, int] = {}
    for start in range(0, len(emails), CHUNK):
        query = (select(messages.c.id, messages.c.recipient_email, messages.c.status,
                        messages.c.attempts)
                 .where(messages.c.day == day,
                        messages.c.recipient_email.in_(emails[start:start + CHUNK]))
                 .order_by(messages.c.id).with_for_update())
        for row in session.execute(query):
            latest[row.recipient_email] = (row.id, row.status, row.attempts)
            count[row.recipient_email] = count.get(row.recipient_email, 0) + 1
    found = {email: row[0] for email, row in latest.items() if row[1] == QUEUED and row[2] == 0}
    wanted = {f"{email}|{day.isoformat()}|{count.get(email, 0) + 1}": email
              for email in emails if email not in found}
    rows = [{"key": key, "recipient_email": email, "recipient_name": recipients[email].name,
             "language": recipients[email].language} for key, email in wanted.items()]
    for message_id, key in _insert_messages(session, rows, day, now):
        found[wanted[key]] = message_id
    return found


def _insert_messages(session: Session, rows: list[dict[str, Any]], day: date,
                     now: datetime) -> list[tuple[int, str]]:
    if not rows:
        return []
    if on_postgresql(session):  # four arrays: not a statement with thousands of parameters
        return [(row[0], row[1]) for row in session.execute(text(
            "INSERT INTO outbox_messages (key, recipient_email, recipient_name, language, day,"
            " status, attempts, next_attempt_at, created_at) "
            "SELECT k, e, n, l, :day, :status, 0, :now, :now FROM unnest(CAST(:keys AS text[]),"
            " CAST(:emails AS text[]), CAST(:names AS text[]), CAST(:languages AS text[]))"
            " AS m(k, e, n, l) ORDER BY k ON CONFLICT (key) DO NOTHING RETURNING id, key"),
            {"day": day, "status": QUEUED, "now": now, "keys": [r["key"] for r in rows],
             "emails": [r["recipient_email"] for r in rows],
             "names": [r["recipient_name"] for r in rows],
             "languages": [r["language"] for r in rows]})]
    statement = sqlite.insert(messages).on_conflict_do_nothing(index_elements=["key"])
    values = [{**row, "day": day, "status": QUEUED, "attempts": 0, "next_attempt_at": now,
               "created_at": now} for row in rows]
    return [(row[0], row[1]) for row in session.execute(
        statement.returning(messages.c.id, messages.c.key), values)]


def insert_new_items(session: Session, rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Insert the rows whose key is not in the outbox (a concurrent transaction
    may have written some since they were checked): (id, key) of each new one."""
    if not rows:
        return []
    if not on_postgresql(session):
        statement = sqlite.insert(items).on_conflict_do_nothing(index_elements=["key"])
        result = session.execute(statement.returning(items.c.id, items.c.key), rows)
        return [(row[0], row[1]) for row in result]
    names = ", ".join(ITEM_COLUMNS)
    session.execute(text(
        "CREATE TEMP TABLE IF NOT EXISTS lokflow_queued ON COMMIT DROP AS "
        f"SELECT {names} FROM outbox_items WITH NO DATA"))
    copy_rows(session, "lokflow_queued", ITEM_COLUMNS,
              (copy_values(row, ITEM_COLUMNS, JSON) for row in rows))
    found = session.execute(text(
        f"INSERT INTO outbox_items ({names}) SELECT {names} FROM lokflow_queued "
        "ORDER BY key ON CONFLICT (key) DO NOTHING RETURNING id, key")).all()
    session.execute(text("TRUNCATE lokflow_queued"))
    return [(row[0], row[1]) for row in found]


def insert_events(session: Session, rows: list[dict[str, Any]]) -> None:
    """Append the activities' history events (no ids needed back)."""
    append_rows(session, events, rows, JSON)


def cancel_if_empty(session: Session, message_ids: Sequence[int]) -> None:
    """Messages opened here for items a concurrent transaction wrote first:
    with no item they are never sent (nobody gets an empty email)."""
    for start in range(0, len(message_ids), CHUNK):
        session.execute(
            messages.update().where(
                messages.c.id.in_(message_ids[start:start + CHUNK]),
                messages.c.status == QUEUED,
                ~select(items.c.id).where(items.c.message_id == messages.c.id).exists())
            .values(status=CANCELLED))
