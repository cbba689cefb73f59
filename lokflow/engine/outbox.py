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

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lokflow.domain.due_actions import DueAction, Person
from lokflow.engine import outbox_bulk as bulk
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
    plan_of = bulk.plans_of_activities(session, sorted({a.activity_id for a in actions}))
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
    message of their recipient, with a history event per activity notice.
    Returns what was new. A few bulk statements, whatever the number
    (`outbox_bulk`): each message is opened first, so each item is written
    once, with its message."""
    result = QueueResult()
    if not notices:
        return result
    session.flush()  # the bulk writes below bypass the unit of work
    by_key: dict[str, Notice] = {}
    for notice in notices:
        by_key.setdefault(notice.key, notice)
    known = bulk.existing_keys(session, list(by_key))
    fresh = [notice for key, notice in by_key.items() if key not in known]
    if not fresh:
        return result
    emails = {notice.recipient.email.lower() for notice in fresh}
    recipients: dict[str, Person] = {n.recipient.email.lower(): n.recipient for n in notices
                                     if n.recipient.email.lower() in emails}  # the last named
    message_of = bulk.open_messages(session, recipients, today, now)
    for email in sorted(recipients.keys() - message_of.keys()):  # lost a race for the key
        message_of[email] = open_message(session, recipients[email], today, now).id
    new = bulk.insert_new_items(session, [
        _item_row(n, now, message_of[n.recipient.email.lower()]) for n in fresh])
    for _, key in new:
        result.by_kind[by_key[key].kind] += 1
    result.items = len(new)
    result.messages = {message_of[by_key[key].recipient.email.lower()] for _, key in new}
    if len(new) < len(fresh):  # a concurrent transaction queued some of them first
        bulk.cancel_if_empty(session, sorted(set(message_of.values()) - result.messages))
    bulk.insert_events(session, [_event_row(by_key[key], now) for _, key in new
                                 if by_key[key].activity_id is not None])
    return result


def _item_row(notice: Notice, now: datetime, message_id: int) -> dict[str, Any]:
    return {"key": notice.key, "plan_id": notice.plan_id, "activity_id": notice.activity_id,
            "occurrence_key": notice.occurrence_key, "due": notice.due, "kind": notice.kind,
            "stage": notice.stage, "level": notice.level,
            "recipient_email": notice.recipient.email.lower(),
            "recipient_name": notice.recipient.name, "language": notice.recipient.language,
            "planned_day": notice.planned_day, "created_at": now, "detail": notice.detail,
            "message_id": message_id}


def _event_row(notice: Notice, now: datetime) -> dict[str, Any]:
    return {"activity_id": notice.activity_id, "at": now, "kind": f"{notice.kind}_queued",
            "detail": {"occurrence": notice.occurrence_key, "stage": notice.stage,
                       "level": notice.level, "recipient": notice.recipient.email,
                       "planned_day": notice.planned_day.isoformat()}}


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
