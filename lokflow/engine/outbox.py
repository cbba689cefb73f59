"""The transactional outbox: decided notices are written in the same
transaction as the decision, under a unique idempotency key, and bundled into
one email per recipient per day. A separate sender empties it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lokflow.domain.due_actions import DueAction, Person
from lokflow.store import tables as t


class MessageStatus(StrEnum):
    """Where an outbox message is: waiting, claimed by a sender, or done."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


QUEUED, SENDING, SENT, FAILED, CANCELLED = (
    MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.FAILED,
    MessageStatus.CANCELLED)


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person, ready for the outbox."""

    key: str
    plan_id: int
    kind: str
    stage: str
    recipient: Person
    planned_day: date
    activity_id: int | None = None
    occurrence_key: str | None = None
    due: date | None = None
    level: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class QueueResult:
    items: int = 0
    messages: set[int] = field(default_factory=set)
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def notices_from_actions(session: Session, actions: Iterable[DueAction]) -> list[Notice]:
    actions = list(actions)
    plan_of = dict(session.execute(
        select(t.Activity.id, t.Activity.plan_id)
        .where(t.Activity.id.in_({a.activity_id for a in actions}))).all())
    return [
        Notice(key=a.key, plan_id=plan_of[a.activity_id], kind=a.kind, stage=a.stage,
               recipient=a.recipient, planned_day=a.planned_day, activity_id=a.activity_id,
               occurrence_key=a.occurrence_key, due=a.due, level=a.level,
               detail={"to": a.audience})
        for a in actions
    ]


def sent_keys(session: Session, since: date) -> set[str]:
    """Keys of every notice planned on or after `since` (the decision's sent log)."""
    return set(session.scalars(select(t.OutboxItem.key).where(t.OutboxItem.planned_day >= since)))


def _insert(session: Session) -> Any:
    return postgresql.insert if session.bind and session.bind.dialect.name == "postgresql" else (
        sqlite.insert)


def queue_notices(
    session: Session, notices: list[Notice], now: datetime, today: date
) -> QueueResult:
    """Write notices that are not yet in the outbox and attach them to today's
    message of their recipient. Returns what was new."""
    result = QueueResult()
    if not notices:
        return result
    insert = _insert(session)
    rows = [
        {"key": n.key, "plan_id": n.plan_id, "activity_id": n.activity_id,
         "occurrence_key": n.occurrence_key, "due": n.due, "kind": n.kind, "stage": n.stage,
         "level": n.level, "recipient_email": n.recipient.email.lower(),
         "recipient_name": n.recipient.name, "language": n.recipient.language,
         "planned_day": n.planned_day, "created_at": now, "detail": n.detail}
        for n in notices
    ]
    new: list[tuple[int, str]] = []
    for chunk in range(0, len(rows), 500):
        statement = insert(t.OutboxItem).values(rows[chunk:chunk + 500])
        statement = statement.on_conflict_do_nothing(index_elements=["key"]).returning(
            t.OutboxItem.id, t.OutboxItem.key)
        new.extend((row[0], row[1]) for row in session.execute(statement))
    if not new:
        return result
    by_key = {n.key: n for n in notices}
    per_recipient: dict[str, list[int]] = defaultdict(list)
    for item_id, key in new:
        notice = by_key[key]
        per_recipient[notice.recipient.email.lower()].append(item_id)
        result.by_kind[notice.kind] += 1
        if notice.activity_id is not None:
            session.add(t.ActivityEvent(
                activity_id=notice.activity_id, at=now, kind=f"{notice.kind}_queued",
                detail={"occurrence": notice.occurrence_key, "stage": notice.stage,
                        "level": notice.level, "recipient": notice.recipient.email,
                        "planned_day": notice.planned_day.isoformat()}))
    result.items = len(new)
    first = {n.recipient.email.lower(): n.recipient for n in notices}
    for email, item_ids in per_recipient.items():
        message = open_message(session, first[email], today, now)
        session.execute(
            update(t.OutboxItem).where(t.OutboxItem.id.in_(item_ids))
            .values(message_id=message.id))
        result.messages.add(message.id)
    return result


def open_message(session: Session, recipient: Person, day: date, now: datetime) -> t.OutboxMessage:
    """Today's not-yet-claimed message to `recipient`, created if need be."""
    email = recipient.email.lower()
    while True:
        existing = session.scalars(
            select(t.OutboxMessage).where(t.OutboxMessage.recipient_email == email,
                                          t.OutboxMessage.day == day)
            .order_by(t.OutboxMessage.id.desc()).limit(1)
            .with_for_update()).first()  # a sender's claim waits for this transaction
        if existing is not None and existing.status == QUEUED and existing.attempts == 0:
            return existing
        count = session.scalar(select(func.count()).select_from(t.OutboxMessage).where(
            t.OutboxMessage.recipient_email == email, t.OutboxMessage.day == day)) or 0
        statement = _insert(session)(t.OutboxMessage).values(
            key=f"{email}|{day.isoformat()}|{count + 1}", recipient_email=email,
            recipient_name=recipient.name, language=recipient.language, day=day,
            status=QUEUED, attempts=0, next_attempt_at=now, created_at=now,
        ).on_conflict_do_nothing(index_elements=["key"]).returning(t.OutboxMessage.id)
        created = session.execute(statement).scalar()
        if created is not None:
            return session.get_one(t.OutboxMessage, created)
