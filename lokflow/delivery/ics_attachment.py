"""The small .ics attached to reminder emails: one all-day VEVENT per date,
under the UID the subscription feed gives it (see `calendar_ids`).

Written directly (escaping and folding per RFC 5545) because the sender
renders thousands of these per batch and the icalendar library costs a few
milliseconds each; feeds, which are cached per subscription, use icalendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from lokflow.feeds.identity import PRODID


@dataclass(frozen=True)
class DeadlineEvent:
    uid: str
    day: date
    summary: str
    description: str
    stamp: datetime
    recurrence_id: date | None = None  # one instance of the feed's recurring event


def escape_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with one space
    return "\r\n ".join(parts)


def calendar_bytes(events: Iterable[DeadlineEvent]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for event in events:
        stamp = event.stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{stamp}",
            *([f"RECURRENCE-ID;VALUE=DATE:{event.recurrence_id.strftime('%Y%m%d')}"]
              if event.recurrence_id else []),
            f"DTSTART;VALUE=DATE:{event.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(event.day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
