"""Recording what the SMTP server answered, right after each answer.

A connection sends its next message only once the outcome of its last one is
committed, so a sender that crashes can resend at most the messages then in
flight on its connections. Outcomes that arrive while a write is running go
into the next write (group commit), in a thread, so the other connections keep
sending. Every write is conditional on the claim's token: a sender that lost
its lease records nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from lokflow.bootstrap import App
from lokflow.domain.due_actions import Person
from lokflow.services.outbox import FAILED, QUEUED, SENDING, SENT, Notice, queue_notices
from lokflow.store import tables as t

RETRY = "retry"  # an outcome: try again after a backoff
LOST = "lost"  # recorded as: the lease was lost, another sender owns the row

row = t.OutboxMessage


@dataclass(frozen=True)
class Outcome:
    message_id: int
    status: str  # SENT, FAILED or RETRY
    reply: str


def backoff(attempt: int) -> timedelta:
    """1, 2, 4 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 120))


def record_outcomes(app: App, token: str, outcomes: list[Outcome]) -> list[str]:
    """Write `outcomes` in one transaction; returns what each became (SENT,
    RETRY, FAILED, or LOST when the row is no longer this claim's)."""
    if not outcomes:
        return []
    now = app.now()
    today = now.astimezone(app.settings.tz).date()
    with app.sessions.begin() as session:
        return [_record(session, token, o, now, today, app.settings.send_max_attempts)
                for o in outcomes]


def _record(session: Session, token: str, outcome: Outcome, now: datetime, today: date,
            max_attempts: int) -> str:
    owned = and_(row.id == outcome.message_id, row.claim_token == token, row.status == SENDING)
    reply = outcome.reply[:1000]
    if outcome.status == SENT:
        done = session.execute(
            update(row).where(owned).values(status=SENT, sent_at=now, server_reply=reply,
                                            last_error=None, claimed_until=None)
            .execution_options(synchronize_session=False))
        return SENT if isinstance(done, CursorResult) and done.rowcount == 1 else LOST
    found = session.execute(select(row.attempts, row.recipient_email).where(owned)
                            .with_for_update()).first()
    if found is None:
        return LOST
    if outcome.status == FAILED or found.attempts >= max_attempts:
        _write(session, owned, status=FAILED, last_error=reply, claimed_until=None)
        tell_coordinators(session, outcome.message_id, found.recipient_email, outcome.reply,
                          now, today)
        return FAILED
    _write(session, owned, status=QUEUED, last_error=reply, claimed_until=None,
           next_attempt_at=now + backoff(found.attempts))
    return RETRY


def _write(session: Session, owned: ColumnElement[bool], **values: object) -> None:
    session.execute(update(row).where(owned).values(**values)
                    .execution_options(synchronize_session=False))


def tell_coordinators(session: Session, message_id: int, address: str, error: str,
                      now: datetime, today: date) -> None:
    """Queue a notice to the coordinators of every plan the failed message was
    about; the same run sends it. Failure notices are never reported (no loops)."""
    items = list(session.scalars(select(t.OutboxItem).where(t.OutboxItem.message_id == message_id)))
    if all(i.kind == "delivery_failed" for i in items):
        return
    notices = []
    for plan_id in sorted({i.plan_id for i in items}):
        for contact in session.scalars(select(t.Contact).where(
                t.Contact.plan_id == plan_id, t.Contact.kind == "coordinator",
                t.Contact.archived.is_(False))):
            notices.append(Notice(
                key=f"delivery_failed|{message_id}|{contact.email.lower()}",
                plan_id=plan_id, kind="delivery_failed", stage="failed",
                recipient=Person(contact.email, contact.name, contact.language),
                planned_day=today,
                detail={"email": address, "error": error[:300], "message": message_id}))
    queue_notices(session, notices, now, today)


@dataclass
class _Slot:
    outcome: Outcome
    status: str | None = None
    error: BaseException | None = None


class OutcomeWriter:
    """Group commit: `record` returns once the outcome is committed."""

    def __init__(self, write: Callable[[list[Outcome]], list[str]]) -> None:
        self.write = write
        self.waiting: list[_Slot] = []
        self.lock = asyncio.Lock()

    async def record(self, outcome: Outcome) -> str:
        slot = _Slot(outcome)
        self.waiting.append(slot)
        async with self.lock:
            if slot.status is None and slot.error is None:
                batch, self.waiting = self.waiting, []
                try:
                    statuses = await asyncio.to_thread(self.write, [s.outcome for s in batch])
                except Exception as error:
                    for waiting in batch:
                        waiting.error = error
                else:
                    for waiting, status in zip(batch, statuses, strict=True):
                        waiting.status = status
        if slot.error is not None:
            raise slot.error
        assert slot.status is not None
        return slot.status
