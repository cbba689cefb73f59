"""Serialises a FeedCalendar as RFC 5545 text with icalendar.

icalendar writes CRLF line ends, escapes TEXT values and folds lines at 75
octets without splitting a UTF-8 character. What it would do on its own and
clients mishandle is done by hand here: REFRESH-INTERVAL gets its required
VALUE=DURATION, X-PUBLISHED-TTL a proper duration, the VTIMEZONE comes from
`vtimezone` (yearly RRULEs), and nothing depends on the current time.
"""

from __future__ import annotations

from datetime import UTC

from icalendar import STATUS, TRANSP, Alarm, Calendar, Event, vDuration, vRecur

from lokflow.domain.plain_text import one_line
from lokflow.feeds.identity import PRODID
from lokflow.feeds.model import FeedCalendar, FeedEvent
from lokflow.feeds.vtimezone import vtimezone


def write_calendar(feed: FeedCalendar) -> bytes:
    # icalendar writes NAME, X-WR-CALNAME and X-WR-CALDESC unescaped: one line each.
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH", calscale="GREGORIAN",
                            name=one_line(feed.name), description=one_line(feed.description),
                            uid=feed.uid)
    calendar.add("refresh-interval", feed.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(feed.refresh))
    calendar.add("x-wr-timezone", feed.timezone)
    if any(e.is_timed for e in feed.events):
        calendar.add_component(vtimezone(feed.timezone, feed.rules_year))
    for event in feed.events:
        calendar.add_component(_event(event))
        for override in event.overrides:
            calendar.add_component(_event(override))
    return calendar.to_ical()


def _event(item: FeedEvent) -> Event:
    stamp = item.stamp.astimezone(UTC).replace(microsecond=0)
    event = Event.new(
        uid=item.uid, stamp=stamp, last_modified=stamp, sequence=item.sequence,
        start=item.start, end=item.end, recurrence_id=item.recurrence_id,
        summary=item.text.summary, description=item.text.description,
        categories=list(item.text.categories), status=STATUS(item.text.status),
        transparency=TRANSP.TRANSPARENT, url=item.url, location=item.location,
    )
    if item.rrule:
        event.add("rrule", vRecur.from_ical(item.rrule))
    for day in item.exdates:  # one per line: some parsers read only a list's first value
        event.add("exdate", day)
    if item.alarm is not None:
        event.add_component(Alarm.new_display(description=item.text.summary, trigger=item.alarm))
    return event
