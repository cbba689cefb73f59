"""Links that go into emails: each owner's personal status-report page."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from lokflow.services import tokens
from lokflow.settings import Settings


class EmailLinks:
    """Issues a fresh report token per (recipient, organisation) for one batch
    of emails: a new reminder always carries a fresh link."""

    def __init__(self, session: Session, settings: Settings, now: datetime) -> None:
        self.session = session
        self.settings = settings
        self.now = now
        self._issued: dict[tuple[str, int], str] = {}

    def __call__(self, email: str, organisation_id: int) -> tuple[str | None, str | None]:
        key = (email.lower(), organisation_id)
        if key not in self._issued:
            token = tokens.issue(
                self.session, scope=tokens.REPORT, organisation_id=organisation_id,
                subject={"email": email.lower()}, now=self.now,
                valid_for=timedelta(days=self.settings.report_link_days),
                label="e-postlänk",
            )
            self._issued[key] = f"{self.settings.base_url.rstrip('/')}/rapport/{token.raw}"
        return self._issued[key], None
