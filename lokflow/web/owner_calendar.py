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
from lokflow.feeds.texts import HELP
from lokflow.reporting.owner_access import OwnerScope
from lokflow.web.texts import add_texts


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


add_texts(
    {"calendar_title": "Dina aktiviteter i kalendern",
     "calendar_intro": ("Prenumerera på dina aktiviteter och deras datum i din kalender. "
                        "Länken är personlig: dela den inte."),
     "calendar_google": "Lägg till i Google Kalender",
     "calendar_revoke": "Stäng av kalenderlänken och skapa en ny",
     "calendar_revoked": "Den gamla kalenderlänken är avstängd. Här är din nya länk."},
    {"calendar_title": "Your activities in your calendar",
     "calendar_intro": ("Subscribe to your activities and their dates in your calendar. "
                        "The link is personal: do not share it."),
     "calendar_google": "Add to Google Calendar",
     "calendar_revoke": "Switch the calendar link off and make a new one",
     "calendar_revoked": "The old calendar link is switched off. Here is your new link."},
)
