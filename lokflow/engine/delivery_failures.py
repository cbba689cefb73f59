"""Who hears about an email that could not be delivered: the coordinators of
every plan the message was about. A failure notice is never itself reported
(no loops)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.engine.activity_facts import person
from lokflow.engine.outbox import Notice, QueueResult, queue_notices
from lokflow.store import tables as t

DELIVERY_FAILED = "delivery_failed"


def tell_coordinators(session: Session, message_id: int, address: str, error: str,
                      now: datetime, today: date) -> QueueResult:
    """Queue a notice to the coordinators of every plan the failed message was
    about (the same sender run delivers it)."""
    items = list(session.scalars(select(t.OutboxItem).where(t.OutboxItem.message_id == message_id)))
    if all(i.kind == DELIVERY_FAILED for i in items):
        return QueueResult()
    notices = []
    for plan_id in sorted({i.plan_id for i in items}):
        for contact in session.scalars(select(t.Contact).where(
                t.Contact.plan_id == plan_id, t.Contact.kind == ContactKind.COORDINATOR,
                t.Contact.archived.is_(False))):
            notices.append(Notice(
                key=f"{DELIVERY_FAILED}|{message_id}|{contact.email.lower()}",
                plan_id=plan_id, kind=DELIVERY_FAILED, stage="failed",
                recipient=person(contact), planned_day=today,
                detail={"email": address, "error": error[:300], "message": message_id}))
    return queue_notices(session, notices, now, today)
