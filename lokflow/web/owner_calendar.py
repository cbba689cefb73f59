"""The owner's own calendar feed on the report page: its https, webcal and
Google links, and a button to switch the link off (a new one is issued)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from lokflow.bootstrap import App
from lokflow.feeds.subscriptions import (
    UnknownTarget,
    feeds_of_contact,
    links,
    personal_feed_url,
    revoke_for_contact,
)
from lokflow.reporting.owner_access import OwnerScope
from lokflow.texts.feeds import HELP


@dataclass(frozen=True)
class OwnerCalendar:
    https: str
    webcal: str
    google: str
    feed_id: int
    help: str


def owner_calendar(session: Session, app: App, scope: OwnerScope,
                   language: str) -> OwnerCalendar | None:
    """The contact's personal feed (created on first view), or None if the
    contact is no unit's contact any more."""
    try:
        https = personal_feed_url(session, app, scope.email, scope.organisation_id)
    except UnknownTarget:
        return None
    live = [s for s in feeds_of_contact(session, app, scope.email, scope.organisation_id)
            if s.raw and links(app.settings, s.raw).https == https]
    found = links(app.settings, live[0].raw) if live and live[0].raw else None
    if found is None:
        return None
    return OwnerCalendar(found.https, found.webcal, found.google, live[0].row.id,
                         HELP.get(language, HELP["sv"]))


def switch_off(session: Session, app: App, scope: OwnerScope, feed_id: int) -> bool:
    return revoke_for_contact(session, app, scope.email, scope.organisation_id, feed_id)

