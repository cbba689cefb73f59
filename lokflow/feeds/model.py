"""A calendar feed as plain data: what the event builders produce and the
iCalendar writer serialises. Keeping icalendar types out of the rules lets
them be read and tested without parsing output."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

Moment = date | datetime
"""A `date` is an all-day value; an aware `datetime` is a timed one."""


@dataclass(frozen=True)
class EventText:
    """What a person reads: it changes with the status of an occurrence."""

    summary: str
    description: str
    categories: tuple[str, ...] = ()
    status: str = "CONFIRMED"


@dataclass(frozen=True)
class FeedEvent:
    """One VEVENT. A recurring one carries its RRULE, its excluded dates and
    the overrides (same UID, RECURRENCE-ID) of occurrences that moved or have
    their own status. `first`/`last` bound every occurrence (None: no end);
    they decide whether the event is inside a feed's window."""

    uid: str
    start: Moment
    end: Moment
    text: EventText
    stamp: datetime
    sequence: int
    first: date
    last: date | None
    url: str | None = None
    location: str | None = None
    rrule: str | None = None
    exdates: tuple[date, ...] = ()
    recurrence_id: Moment | None = None
    alarm: timedelta | None = None
    overrides: tuple[FeedEvent, ...] = field(default_factory=tuple)

    @property
    def is_timed(self) -> bool:
        return isinstance(self.start, datetime) or any(o.is_timed for o in self.overrides)


@dataclass(frozen=True)
class FeedCalendar:
    """The VCALENDAR: its names, refresh hints and events."""

    uid: str
    name: str
    description: str
    timezone: str
    refresh: timedelta
    language: str
    events: tuple[FeedEvent, ...]
    rules_year: int = 2025
    """Whose time zone rules the VTIMEZONE states (the year the feed is built)."""
