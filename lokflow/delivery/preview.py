"""The exact emails a set of notices would become, for a coordinator to read
before sending: the notices are queued in a transaction that is rolled back,
and each recipient's message is rendered by the sender's own code
(`message_content`), with anything else already waiting for that person
today. Only the personal links differ: a real report link is issued when the
email is sent, and the owner's calendar link is theirs alone, so the preview
shows where each goes without a working token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.delivery.email_links import EmailLinks
from lokflow.delivery.message_content import SectionLoader, build_email
from lokflow.engine.outbox import Notice, queue_notices
from lokflow.settings import Settings
from lokflow.store import tables as t

LINK_PLACEHOLDER = "/rapport/…"
FEED_PLACEHOLDER = "/feeds/….ics"


@dataclass(frozen=True)
class PreviewEmail:
    recipient_name: str
    recipient_email: str
    subject: str
    text: str


def preview_emails(session: Session, notices: list[Notice], settings: Settings, secret: bytes,
                   now: datetime, today: date) -> list[PreviewEmail]:
    """Render what the sender would send for `notices`; writes nothing (all of
    it happens in a savepoint that is rolled back)."""
    savepoint = session.begin_nested()
    try:
        queued = queue_notices(session, notices, now, today)
        if not queued.messages:
            return []
        real = EmailLinks(session, settings, now, secret=secret)

        base = settings.base_url.rstrip("/")

        def links(email: str, organisation_id: int) -> tuple[str | None, str | None]:
            feed = real(email, organisation_id)[1]
            return base + LINK_PLACEHOLDER, base + FEED_PLACEHOLDER if feed else None

        loader = SectionLoader(session, sorted(queued.messages))
        found = []
        for message in session.scalars(select(t.OutboxMessage).where(
                t.OutboxMessage.id.in_(queued.messages)).order_by(t.OutboxMessage.recipient_name)):
            email = build_email(message, loader.sections(message, links),
                                sender=settings.mail_from, report_days=settings.report_link_days,
                                date=now)
            found.append(PreviewEmail(message.recipient_name, message.recipient_email,
                                      email.subject, _plain_text(email.data)))
        return found
    finally:
        savepoint.rollback()


def _plain_text(data: bytes) -> str:
    parsed = message_from_bytes(data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    body = parsed.get_body(("plain",))
    return body.get_content() if body is not None else ""
