"""Links that go into emails: each owner's personal status-report page and
personal calendar feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.feeds.subscriptions import StaticKeys, UnknownTarget, personal_feed_url
from lokflow.reporting.report_links import issue_report_link
from lokflow.settings import Settings
from lokflow.store import tables as t


class EmailLinks:
    """Issues a fresh report token per (recipient, organisation) for one batch
    of emails: a new reminder always carries a fresh link. The feed link is
    the same in every email (see `feeds.subscriptions`); it needs the secret
    key, and is left out for people who are no unit's contact."""

    def __init__(self, session: Session, settings: Settings, now: datetime,
                 secret: bytes | None = None,
                 languages: dict[int, dict[str, str]] | None = None) -> None:
        self.session = session
        self.settings = settings
        self.now = now
        self.secret = secret
        self._issued: dict[tuple[str, int], tuple[str, str | None]] = {}
        # Shared by the chunks of one batch: the contacts do not change while it is sent.
        self._languages = {} if languages is None else languages

    def __call__(self, email: str, organisation_id: int) -> tuple[str | None, str | None]:
        key = (email.lower(), organisation_id)
        if key not in self._issued:
            report = issue_report_link(self.session, self.settings, email, organisation_id,
                                       self.now, label="email", flush=False)
            self._issued[key] = (report, self._feed(email, organisation_id))
        return self._issued[key]

    def _feed(self, email: str, organisation_id: int) -> str | None:
        if self.secret is None:
            return None
        language = self._contacts(organisation_id).get(email.lower())
        if language is None:  # no unit's contact: no personal feed
            return None
        keys = StaticKeys(self.settings, self.secret, self.now)
        try:
            return personal_feed_url(self.session, keys, email, organisation_id,
                                     language=language)
        except UnknownTarget:
            return None

    def _contacts(self, organisation_id: int) -> dict[str, str]:
        """Unit contacts of one organisation and their languages, read once
        per batch (the sender renders thousands of emails at a time)."""
        if organisation_id not in self._languages:
            rows = self.session.execute(
                select(t.Contact.email, t.Contact.language)
                .join(t.Plan, t.Plan.id == t.Contact.plan_id)
                .where(t.Plan.organisation_id == organisation_id, t.Plan.archived.is_(False),
                       t.Contact.kind == ContactKind.CONTACT, t.Contact.archived.is_(False))
                .order_by(t.Contact.id.desc()))
            self._languages[organisation_id] = {e.lower(): lang for e, lang in rows}
        return self._languages[organisation_id]
