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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table, and_, bindparam, select, update
from sqlalchemy.orm import Session

from lokflow.delivery.sender_context import SenderContext
from lokflow.engine.delivery_failures import tell_coordinators
from lokflow.engine.outbox import FAILED, QUEUED, SENDING, SENT
from lokflow.store import tables as t

RETRY = "retry"  # an outcome: try again after a backoff
LOST = "lost"  # recorded as: the lease was lost, another sender owns the row

table = cast(Table, t.OutboxMessage.__table__)


@dataclass(frozen=True)
class Outcome:
    message_id: int
    status: str  # SENT, FAILED or RETRY
    reply: str


def backoff(attempt: int) -> timedelta:
    """1, 2, 4 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 120))


# Built once: this runs for every message sent, and building the statement
# cost about as much as running it.
MARK_SENT = update(table).where(
    table.c.id == bindparam("message_id"), table.c.claim_token == bindparam("token"),
    table.c.status == SENDING).values(
    status=SENT, sent_at=bindparam("now"), server_reply=bindparam("reply"), last_error=None,
    claimed_until=None)
SENT_UNDER = select(table.c.id).where(table.c.id.in_(bindparam("ids", expanding=True)),
                                      table.c.claim_token == bindparam("token"),
                                      table.c.status == SENT)


def record_outcomes(app: SenderContext, connection: Connection, token: str,
                    outcomes: list[Outcome]) -> list[str]:
    """Write `outcomes` in one transaction; returns what each became (SENT,
    RETRY, FAILED, or LOST when the row is no longer this claim's). Core
    statements on a plain connection: this runs once per message, so the sent
    ones of a group are marked by one prepared executemany."""
    now = app.now()
    today = now.astimezone(app.settings.tz).date()
    with connection.begin():
        sent = _mark_sent(connection, token, [o for o in outcomes if o.status == SENT], now)
        return [sent[o.message_id] if o.status == SENT else
                _record(connection, token, o, now, today, app.settings.send_max_attempts)
                for o in outcomes]


def _mark_sent(connection: Connection, token: str, outcomes: list[Outcome],
               now: datetime) -> dict[int, str]:
    """SENT where the row is still this claim's; LOST where it is not."""
    if not outcomes:
        return {}
    done = connection.execute(MARK_SENT, [
        {"message_id": o.message_id, "token": token, "now": now, "reply": o.reply[:1000]}
        for o in outcomes])
    ids = [o.message_id for o in outcomes]
    if done.rowcount == len(ids):
        return dict.fromkeys(ids, SENT)
    ours = set(connection.execute(SENT_UNDER, {"ids": ids, "token": token}).scalars())
    return {message_id: SENT if message_id in ours else LOST for message_id in ids}


def _record(connection: Connection, token: str, outcome: Outcome, now: datetime, today: date,
            max_attempts: int) -> str:
    """A refused or failed send: back to the queue after a backoff, or failed."""
    owned = and_(table.c.id == outcome.message_id, table.c.claim_token == token,
                 table.c.status == SENDING)
    reply = outcome.reply[:1000]
    found = connection.execute(select(table.c.attempts, table.c.recipient_email).where(owned)
                               .with_for_update()).first()
    if found is None:
        return LOST
    if outcome.status == FAILED or found.attempts >= max_attempts:
        connection.execute(update(table).where(owned).values(
            status=FAILED, last_error=reply, claimed_until=None))
        with Session(bind=connection) as session:
            tell_coordinators(session, outcome.message_id, found.recipient_email, outcome.reply,
                              now, today)
            session.flush()
        return FAILED
    connection.execute(update(table).where(owned).values(
        status=QUEUED, last_error=reply, claimed_until=None,
        next_attempt_at=now + backoff(found.attempts)))
    return RETRY


@dataclass
class _Slot:
    outcome: Outcome
    status: str | None = None
    error: BaseException | None = None


class OutcomeWriter:
    """Group commit on one thread and one connection of its own: `record`
    returns once the outcome is committed."""

    def __init__(self, app: SenderContext, token: str) -> None:
        self.app = app
        self.token = token
        self.waiting: list[_Slot] = []
        self.lock = asyncio.Lock()
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-outcomes")
        self.connection: Connection | None = None

    async def record(self, outcome: Outcome) -> str:
        slot = _Slot(outcome)
        self.waiting.append(slot)
        async with self.lock:
            if slot.status is None and slot.error is None:
                batch, self.waiting = self.waiting, []
                try:
                    statuses = await self.record_all([s.outcome for s in batch])
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

    async def record_all(self, outcomes: list[Outcome]) -> list[str]:
        if not outcomes:
            return []
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.thread, self._write, outcomes)

    def _write(self, outcomes: list[Outcome]) -> list[str]:
        if self.connection is None:
            self.connection = self.app.engine.connect()
        return record_outcomes(self.app, self.connection, self.token, outcomes)

    async def close(self) -> None:
        if self.connection is not None:
            await asyncio.get_running_loop().run_in_executor(self.thread, self.connection.close)
        self.thread.shutdown()
