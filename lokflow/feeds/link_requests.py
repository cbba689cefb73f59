"""A contact asks, from the link in their calendar, for a fresh status-report
link. A feed link never expires and may have been shared, so it must not
open the form itself: the new link goes by email to the address on file,
through the outbox, at most once per contact and hour (counted in the outbox)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.domain.due_actions import Person
from lokflow.engine.outbox import Notice, queue_notices
from lokflow.store import tables as t

REPORT_LINK = "report_link"
EVERY = timedelta(hours=1)
QUEUED, LIMITED, NO_CONTACT = "queued", "rate limited", "no such contact"


def request_report_link(session: Session, organisation_id: int, email: str, now: datetime,
                        today: date) -> str:
    """Queue an email with a fresh report link; returns what happened (for the
    log only: the person asking gets the same answer whatever it is)."""
    email = email.strip().lower()
    contact = session.scalars(
        select(t.Contact).join(t.Plan, t.Plan.id == t.Contact.plan_id)
        .where(t.Plan.organisation_id == organisation_id, t.Plan.archived.is_(False),
               t.Contact.kind == "contact", t.Contact.archived.is_(False),
               func.lower(t.Contact.email) == email)
        .order_by(t.Contact.id).limit(1)).first()
    if contact is None:
        return NO_CONTACT
    if _asked_lately(session, organisation_id, email, now):
        return LIMITED
    hour = now.astimezone(UTC).strftime("%Y-%m-%dT%H")  # the key caps racing requests too
    notice = Notice(key=f"{REPORT_LINK}|{organisation_id}|{email}|{hour}",
                    plan_id=contact.plan_id, kind=REPORT_LINK, stage="request",
                    recipient=Person(contact.email, contact.name, contact.language),
                    planned_day=today)
    return QUEUED if queue_notices(session, [notice], now, today).items else LIMITED


def _asked_lately(session: Session, organisation_id: int, email: str, now: datetime) -> bool:
    return session.scalar(
        select(t.OutboxItem.id).join(t.Plan, t.Plan.id == t.OutboxItem.plan_id)
        .where(t.OutboxItem.kind == REPORT_LINK, t.OutboxItem.recipient_email == email,
               t.Plan.organisation_id == organisation_id,
               t.OutboxItem.created_at > now - EVERY).limit(1)) is not None
