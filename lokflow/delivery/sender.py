"""Empties the outbox: claims queued messages, renders them, sends them over
a few reused connections, and records each outcome.

Claims are leases: a sender that dies mid-batch leaves its messages
`sending` until the lease runs out, then another sender takes them. A 4xx or a
lost connection is retried with exponential backoff; a 5xx marks the message
failed and tells the plan's coordinators. Nothing is ever deleted.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Protocol

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from lokflow.delivery.email_links import EmailLinks
from lokflow.delivery.message_content import (
    Attachment,
    OutgoingEmail,
    PlanSection,
    SectionLoader,
    build_email,
    template_environment,
)
from lokflow.delivery.transports import PermanentFailure, TransientFailure, Transport
from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.due_actions import Person
from lokflow.engine.outbox import FAILED, QUEUED, SENDING, SENT, Notice, queue_notices
from lokflow.settings import Settings
from lokflow.store import tables as t


class SenderContext(Protocol):
    """What the sender needs from the composition root (bootstrap.App has it)."""

    settings: Settings
    sessions: sessionmaker[Session]

    def now(self) -> datetime: ...

    def secret(self) -> bytes: ...

LEASE = timedelta(minutes=10)
RECORD_EVERY = 25


@dataclass
class SendReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    message_id: int
    status: str
    reply: str


def backoff(attempt: int) -> timedelta:
    """1, 2, 4 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 120))


def claim(session: Session, now: datetime, worker: str, limit: int) -> list[int]:
    ready = or_(
        and_(t.OutboxMessage.status == QUEUED, t.OutboxMessage.next_attempt_at <= now),
        and_(t.OutboxMessage.status == SENDING, t.OutboxMessage.claimed_until < now),
    )
    candidates = select(t.OutboxMessage.id).where(ready).order_by(t.OutboxMessage.id).limit(limit)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    claimed = session.scalars(
        update(t.OutboxMessage)
        .where(t.OutboxMessage.id.in_(ids), ready)
        .values(status=SENDING, claimed_by=worker, claimed_until=now + LEASE,
                attempts=t.OutboxMessage.attempts + 1)
        .returning(t.OutboxMessage.id)
    )
    return sorted(claimed)


def message_header_id(message: t.OutboxMessage, sender: str) -> str:
    domain = parseaddr(sender)[1].partition("@")[2] or "lokflow.invalid"
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:16]
    return f"<lokflow.{message.id}.{digest}@{domain}>"


class OutboxSender:
    def __init__(self, app: SenderContext, transport_factory: Callable[[], Transport],
                 worker: str = "sender", batch: int = 500) -> None:
        self.app = app
        self.transport_factory = transport_factory
        self.worker = worker
        self.batch = batch
        self.environment = template_environment()

    async def run(self) -> SendReport:
        """Send until nothing is ready."""
        total = SendReport()
        while True:
            report = await self.run_once()
            total.claimed += report.claimed
            total.sent += report.sent
            total.retried += report.retried
            total.failed += report.failed
            total.errors += report.errors
            if report.claimed == 0 or report.sent + report.failed == 0:
                return total

    async def run_once(self) -> SendReport:
        report = SendReport()
        with self.app.sessions.begin() as session:
            ids = claim(session, self.app.now(), self.worker, self.batch)
        report.claimed = len(ids)
        if not ids:
            return report
        emails = self._render(ids)
        await self._deliver(emails, report)
        return report

    def _render(self, ids: list[int]) -> list[tuple[int, OutgoingEmail]]:
        settings = self.app.settings
        rendered = []
        with self.app.sessions.begin() as session:
            links = EmailLinks(session, settings, self.app.now(), secret=self.app.secret())
            loader = SectionLoader(session, ids)
            for message in session.scalars(select(t.OutboxMessage).where(
                    t.OutboxMessage.id.in_(ids)).order_by(t.OutboxMessage.id)):
                if not message.message_header_id:
                    message.message_header_id = message_header_id(message, settings.mail_from)
                sections = loader.sections(message, links)
                email = build_email(message, sections, sender=settings.mail_from,
                                    report_days=settings.report_link_days,
                                    date=self.app.now(),
                                    extra=report_attachments(session, sections),
                                    environment=self.environment)
                message.subject = email.subject
                rendered.append((message.id, email))
        return rendered

    async def _deliver(self, emails: list[tuple[int, OutgoingEmail]],
                       report: SendReport) -> None:
        queue: asyncio.Queue[tuple[int, OutgoingEmail]] = asyncio.Queue()
        for entry in emails:
            queue.put_nowait(entry)
        pending: list[Outcome] = []
        outcomes: list[Outcome] = []

        async def worker() -> None:
            transport = self.transport_factory()
            try:
                await transport.open()
            except TransientFailure as error:
                report.errors.append(str(error))
                return
            try:
                while not queue.empty():
                    message_id, email = queue.get_nowait()
                    outcome = await self._send_one(transport, message_id, email)
                    _count(report, outcome)
                    pending.append(outcome)
                    outcomes.append(outcome)
                    if len(pending) >= RECORD_EVERY:
                        self._record(pending[:])
                        pending.clear()
            finally:
                await transport.close()

        workers = min(self.app.settings.send_concurrency, len(emails))
        await asyncio.gather(*(worker() for _ in range(workers)))
        self._record(pending)
        # Whatever no worker could take (the server is down) goes back to the queue.
        done = {o.message_id for o in outcomes}
        leftovers = [Outcome(mid, "retry", "; ".join(report.errors) or "not attempted")
                     for mid, _ in emails if mid not in done]
        report.retried += len(leftovers)
        self._record(leftovers)

    async def _send_one(self, transport: Transport, message_id: int,
                        email: OutgoingEmail) -> Outcome:
        try:
            reply = await transport.send(email)
        except PermanentFailure as error:
            return Outcome(message_id, FAILED, str(error))
        except TransientFailure as error:
            return Outcome(message_id, "retry", str(error))
        return Outcome(message_id, SENT, reply)

    def _record(self, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        now = self.app.now()
        with self.app.sessions.begin() as session:
            for outcome in outcomes:
                message = session.get_one(t.OutboxMessage, outcome.message_id)
                if outcome.status == SENT:
                    message.status, message.sent_at = SENT, now
                    message.server_reply, message.last_error = outcome.reply[:1000], None
                elif outcome.status == FAILED or (
                        message.attempts >= self.app.settings.send_max_attempts):
                    message.status, message.last_error = FAILED, outcome.reply[:1000]
                    self._tell_coordinators(session, message, outcome.reply, now)
                else:
                    message.status, message.last_error = QUEUED, outcome.reply[:1000]
                    message.next_attempt_at = now + backoff(message.attempts)
                message.claimed_until = None

    def _tell_coordinators(self, session: Session, message: t.OutboxMessage, error: str,
                           now: datetime) -> None:
        items = list(session.scalars(select(t.OutboxItem).where(
            t.OutboxItem.message_id == message.id)))
        if all(i.kind == "delivery_failed" for i in items):
            return  # never report a failed failure report: no loops
        today = now.astimezone(self.app.settings.tz).date()
        notices = []
        for plan_id in sorted({i.plan_id for i in items}):
            for contact in session.scalars(select(t.Contact).where(
                    t.Contact.plan_id == plan_id, t.Contact.kind == ContactKind.COORDINATOR,
                    t.Contact.archived.is_(False))):
                notices.append(Notice(
                    key=f"delivery_failed|{message.id}|{contact.email.lower()}",
                    plan_id=plan_id, kind="delivery_failed", stage="failed",
                    recipient=Person(contact.email, contact.name, contact.language),
                    planned_day=today,
                    detail={"email": message.recipient_email, "error": error[:300],
                            "message": message.id}))
        queue_notices(session, notices, now, today)


def report_attachments(session: Session, sections: list[PlanSection]) -> list[Attachment]:
    """The PDF of each annual report an item announces (detail.annual_report_id)."""
    found = []
    for item in (i for s in sections for i in s.items if i.kind == "annual_report"):
        report = session.get(t.AnnualReport, item.detail.get("annual_report_id"))
        if report is not None and report.pdf:
            name = f"arlig-uppfoljning-{report.year}.pdf"
            found.append(Attachment(name, "application", "pdf", report.pdf))
    return found


def _count(report: SendReport, outcome: Outcome) -> None:
    if outcome.status == SENT:
        report.sent += 1
    elif outcome.status == FAILED:
        report.failed += 1
    else:
        report.retried += 1
