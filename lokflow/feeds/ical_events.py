"""Building blocks for iCalendar output shared by feeds and email attachments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//lokflow//LÖK action plans//SV"


@dataclass(frozen=True)
class DeadlineEvent:
    uid: str
    day: date
    summary: str
    description: str
    stamp: datetime


def all_day_event(item: DeadlineEvent) -> Event:
    """An all-day VEVENT (DTEND exclusive, the day after: Outlook needs it)."""
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.stamp)
    event.add("dtstart", item.day)
    event.add("dtend", item.day + timedelta(days=1))
    event.add("summary", item.summary)
    event.add("description", item.description)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_of(events: list[DeadlineEvent], name: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for item in events:
        calendar.add_component(all_day_event(item))
    return calendar.to_ical()
