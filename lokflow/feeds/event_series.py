"""All-day events, one-off or recurring, with their moved and reported
occurrences.

A recurring event is one VEVENT with an RRULE. An occurrence that moved (an
accepted new date) or has a status of its own becomes an override: a VEVENT
with the same UID and RECURRENCE-ID set to the original date, which every
client understands. An occurrence reported cancelled is left out with EXDATE,
so it disappears everywhere alike (clients treat STATUS:CANCELLED differently).
EXDATE is never combined with an override of the same date: RFC 5545 then
removes the override too, and ical.js does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lokflow.domain.statuses import Status
from lokflow.feeds.model import EventText, FeedEvent

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Mark:
    """The latest reported status of one occurrence, and the day it came."""

    status: Status
    day: date


@dataclass(frozen=True)
class EventMeta:
    """What every event of one source shares: its version and its links."""

    stamp: datetime
    sequence: int
    url: str | None = None
    location: str | None = None
    alarm: timedelta | None = None


TextFor = Callable[[Mark | None, date | None], EventText]
"""(status of the occurrence, its original date if it moved) -> its text."""


def alarm_trigger(days: int) -> timedelta | None:
    """At 09:00 local time `days` days before an all-day event; None for 0."""
    return -timedelta(days=days) + timedelta(hours=9) if days > 0 else None


def single(
    uid: str, start: date, end: date, text: EventText, meta: EventMeta
) -> FeedEvent:
    """A one-off all-day event; `end` is exclusive and always after `start`."""
    end = max(end, start + DAY)
    return FeedEvent(
        uid=uid, start=start, end=end, text=text, stamp=meta.stamp, sequence=meta.sequence,
        first=start, last=end - DAY, url=meta.url, location=meta.location, alarm=meta.alarm,
    )


def dated(
    uid: str, key: str, due: date, text_for: TextFor, meta: EventMeta,
    marks: Mapping[str, Mark], moved: Mapping[str, date],
) -> FeedEvent:
    """A one-off event for occurrence `key`, on its accepted new date if any."""
    new = moved.get(key)
    day = new or due
    return single(uid, day, day + DAY, text_for(marks.get(key), due if new else None), meta)


def series(
    uid: str,
    rule: str,
    dates: Sequence[tuple[str, date]],
    *,
    bounded: bool,
    text_for: TextFor,
    meta: EventMeta,
    marks: Mapping[str, Mark],
    moved: Mapping[str, date],
) -> FeedEvent | None:
    """One recurring event over `dates` (occurrence key, original date, in
    order), which must be exactly what `rule` from the first date yields."""
    if not dates:
        return None
    start = dates[0][1]
    exdates: list[date] = []
    overrides: list[FeedEvent] = []
    for key, original in dates:
        mark, new = marks.get(key), moved.get(key)
        if mark is not None and mark.status is Status.CANCELLED:
            exdates.append(original)
        elif mark is not None or new is not None:
            day = new or original
            overrides.append(FeedEvent(
                uid=uid, start=day, end=day + DAY,
                text=text_for(mark, original if new else None), stamp=meta.stamp,
                sequence=meta.sequence, first=day, last=day, url=meta.url,
                location=meta.location, recurrence_id=original, alarm=meta.alarm))
    days = [original for _, original in dates] + [o.first for o in overrides]
    return FeedEvent(
        uid=uid, start=start, end=start + DAY, text=text_for(None, None), stamp=meta.stamp,
        sequence=meta.sequence, first=min(days), last=max(days) if bounded else None,
        url=meta.url, location=meta.location, rrule=rule, exdates=tuple(exdates),
        alarm=meta.alarm, overrides=tuple(overrides),
    )
