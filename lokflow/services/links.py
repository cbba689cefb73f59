"""Links that go into emails: each owner's personal status-report page and
personal calendar feed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from lokflow.feeds.subscriptions import StaticKeys, UnknownTarget, personal_feed_url
from lokflow.services import tokens
from lokflow.settings import Settings


def report_url(session: Session, settings: Settings, email: str, organisation_id: int,
               now: datetime, label: str) -> str:
    """A fresh personal status-report link for one contact in one organisation."""
    token = tokens.issue(
        session, scope=tokens.REPORT, organisation_id=organisation_id,
        subject={"email": email.lower()}, now=now,
        valid_for=timedelta(days=settings.report_link_days), label=label, flush=False,
    )
    return f"{settings.base_url.rstrip('/')}/rapport/{token.raw}"


class EmailLinks:
    """Issues a fresh report token per (recipient, organisation) for one batch
    of emails: a new reminder always carries a fresh link. The feed link is
    the same in every email (see `feeds.subscriptions`); it needs the secret
    key, and is left out for people who are no unit's contact."""

    def __init__(self, session: Session, settings: Settings, now: datetime,
                 secret: bytes | None = None) -> None:
        self.session = session
        self.settings = settings
        self.now = now
        self.secret = secret
        self._issued: dict[tuple[str, int], tuple[str, str | None]] = {}

    def __call__(self, email: str, organisation_id: int) -> tuple[str | None, str | None]:
        key = (email.lower(), organisation_id)
        if key not in self._issued:
            report = report_url(self.session, self.settings, email, organisation_id, self.now,
                                label="e-postlänk")
            self._issued[key] = (report, self._feed(email, organisation_id))
        return self._issued[key]

    def _feed(self, email: str, organisation_id: int) -> str | None:
        if self.secret is None:
            return None
        keys = StaticKeys(self.settings, self.secret, self.now)
        try:
            return personal_feed_url(self.session, keys, email, organisation_id)
        except UnknownTarget:
            return None
