"""A sender's lease on the outbox rows it claimed, fenced by a token.

Each claim writes a fresh random token beside `claimed_by`. Renewing and
recording are conditional on that token, so a sender whose lease ran out and
was taken over can neither extend it nor record anything for those rows. A
heartbeat renews the lease while the batch is being sent (a slow SMTP server
no longer lets a second sender take it), and a send starts only while at least
half the lease is left: a sender whose renewals fail stops before another may
take its rows.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from lokflow.delivery.sender_context import SenderContext
from lokflow.engine.outbox import QUEUED, SENDING
from lokflow.store import tables as t

row = t.OutboxMessage


@dataclass(frozen=True)
class Claim:
    token: str
    ids: list[int]
    until: datetime


def ready(now: datetime) -> ColumnElement[bool]:
    """Queued and due, or `sending` under a lease that ran out (its sender died)."""
    return or_(and_(row.status == QUEUED, row.next_attempt_at <= now),
               and_(row.status == SENDING, row.claimed_until < now))


def claim(session: Session, now: datetime, worker: str, limit: int,
          length: timedelta) -> Claim:
    """Take up to `limit` ready messages under a new token."""
    token = secrets.token_hex(16)
    candidates = select(row.id).where(ready(now)).order_by(row.id).limit(limit)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if not ids:
        return Claim(token, [], now + length)
    claimed = session.scalars(
        update(row).where(row.id.in_(ids), ready(now))
        .values(status=SENDING, claimed_by=worker, claim_token=token,
                claimed_until=now + length, attempts=row.attempts + 1)
        .returning(row.id))
    return Claim(token, sorted(claimed), now + length)


def renew(session: Session, token: str, ids: set[int], until: datetime) -> set[int]:
    """Extend the lease of the rows still ours; returns those another sender took."""
    lost = set(session.scalars(select(row.id).where(
        row.id.in_(ids), or_(row.claim_token.is_(None), row.claim_token != token))))
    session.execute(update(row).where(row.id.in_(ids), row.claim_token == token,
                                      row.status == SENDING)
                    .values(claimed_until=until).execution_options(synchronize_session=False))
    return lost


@dataclass
class Lease:
    """What one batch's sender knows of its lease: the rows still its own and
    until when. Renewals run in a thread, so sending goes on meanwhile."""

    app: SenderContext
    token: str
    held: set[int]
    until: datetime
    length: timedelta
    renewed_at: datetime
    lost: set[int] = field(default_factory=set, init=False)
    errors: list[str] = field(default_factory=list, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _stop: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    @classmethod
    def of(cls, app: SenderContext, claimed: Claim, length: timedelta) -> Lease:
        return cls(app, claimed.token, set(claimed.ids), claimed.until, length,
                   claimed.until - length)

    def drop(self, ids: set[int]) -> None:
        """Rows found to be another sender's: never send or record them."""
        self.lost |= ids & self.held
        self.held -= ids

    def release(self, message_id: int) -> None:
        """The row's outcome is recorded: nothing more to renew."""
        self.held.discard(message_id)

    async def keep(self, message_id: int) -> bool:
        """May this sender start sending `message_id` now? Renews first once a
        quarter of the lease has passed since the last renewal."""
        if self.app.now() >= self.renewed_at + self.length / 4:
            await self.renew()
        return message_id in self.held and self.app.now() + self.length / 2 < self.until

    async def renew(self) -> None:
        async with self._lock:
            now = self.app.now()
            if not self.held or now < self.renewed_at + self.length / 8:
                return  # nothing left, or another caller just renewed
            try:
                lost = await asyncio.to_thread(self._renew, set(self.held), now + self.length)
            except SQLAlchemyError as error:  # keep the old deadline: sending stops in time
                self.errors.append(f"lease renewal failed: {type(error).__name__}")
                return
            self.drop(lost)
            self.until, self.renewed_at = now + self.length, now

    def _renew(self, ids: set[int], until: datetime) -> set[int]:
        with self.app.sessions.begin() as session:
            return renew(session, self.token, ids, until)

    async def heartbeat(self) -> None:
        """Renew every quarter of the lease (in real time) until stopped."""
        interval = self.length.total_seconds() / 4
        while not self._stop.is_set():
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=interval)
            except TimeoutError:
                await self.renew()

    def stop(self) -> None:
        self._stop.set()
