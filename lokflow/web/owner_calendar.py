"""The owner's own calendar feed on the report page: its https, webcal and
Google links, and a button to switch the link off (a new one is issued)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from lokflow.bootstrap import App
from lokflow.feeds.subscriptions import (
    FeedSpec,
    Subscription,
    UnknownTarget,
    contact_spec,
    ensure,
    find,
    links,
    revoke_for_contact,
)
from lokflow.reporting.owner_access import OwnerScope
from lokflow.store.database import Busy, is_read_only
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
    contact is no unit's contact any more, or if it is still to be created
    while another writer holds the lock (the next view creates it)."""
    try:
        spec = contact_spec(session, scope.email, scope.organisation_id)
        subscription = _personal_feed(session, app, spec)
    except UnknownTarget:
        return None
    if subscription is None or subscription.raw is None:
        return None
    found = links(app.settings, subscription.raw)
    return OwnerCalendar(found.https, found.webcal, found.google, subscription.row.id,
                         HELP.get(language, HELP["sv"]))


def _personal_feed(session: Session, app: App, spec: FeedSpec) -> Subscription | None:
    """A page view (a read) creates the feed in its own short write that never
    waits for the lock; after a form post, the post's own write creates it."""
    if not is_read_only(session):
        return ensure(session, app, spec, label="personlig")
    found = find(session, app, spec)
    if found is not None:
        return found
    try:
        with app.write_if_free() as writer:
            return ensure(writer, app, spec, label="personlig")
    except Busy:
        return None


def switch_off(session: Session, app: App, scope: OwnerScope, feed_id: int) -> bool:
    return revoke_for_contact(session, app, scope.email, scope.organisation_id, feed_id)

