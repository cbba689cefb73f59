"""Personal report links issued by hand (a contact lost the email) and their
revocation (a contact left). Reminder emails issue their own, fresh links."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.access import tokens
from lokflow.access.api_keys import organisation_by_slug
from lokflow.settings import Settings
from lokflow.store import tables as t


def report_url(settings: Settings, raw: str) -> str:
    return f"{settings.base_url.rstrip('/')}/rapport/{raw}"


def issue_report_link(session: Session, settings: Settings, email: str, organisation_id: int,
                      now: datetime, label: str, flush: bool = True) -> str:
    """A fresh personal status-report link for one contact in one organisation."""
    issued = tokens.issue(session, scope=tokens.REPORT, organisation_id=organisation_id,
                          subject={"email": email.strip().lower()}, now=now,
                          valid_for=timedelta(days=settings.report_link_days), label=label,
                          flush=flush)
    return report_url(settings, issued.raw)


def create_report_link(session: Session, settings: Settings, email: str, organisation: str,
                       now: datetime) -> str:
    """A fresh link for `email`, exactly like the one in a reminder email."""
    org = organisation_by_slug(session, organisation)
    return issue_report_link(session, settings, email, org.id, now, label="manual")


def live_report_links(session: Session, email: str, now: datetime) -> list[t.AccessToken]:
    query = select(t.AccessToken).where(t.AccessToken.scope == tokens.REPORT,
                                        t.AccessToken.revoked_at.is_(None))
    return [row for row in session.scalars(query.order_by(t.AccessToken.id))
            if str(row.subject.get("email", "")).lower() == email.strip().lower()
            and (row.expires_at is None or row.expires_at > now)]


def revoke_report_links(session: Session, email: str, now: datetime) -> int:
    """Revoke every live link of `email`; returns how many."""
    found = live_report_links(session, email, now)
    for row in found:
        row.revoked_at = now
    return len(found)
