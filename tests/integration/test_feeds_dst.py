"""Timed events in the weeks clocks change: ical.js reads times through the
feed's own VTIMEZONE (it has no tz database), so agreeing with Python's
zoneinfo to the minute proves the yearly-RRULE VTIMEZONE right.

No time here falls between 02:00 and 03:00 on a change night: such a wall
time does not exist in March and exists twice in October, where RFC 5545
means the first and ical.js takes the second."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lokflow.feeds.ical_writer import write_calendar
from lokflow.feeds.model import EventText, FeedCalendar, FeedEvent
from tests.support.ical_checks import (
    assert_rfc5545_lines,
    ical_js_occurrences,
    python_occurrences,
)

ZONE = ZoneInfo("Europe/Stockholm")
STAMP = datetime(2024, 1, 1, tzinfo=UTC)


def _timed(uid: str, start: datetime, rrule: str | None = None) -> FeedEvent:
    return FeedEvent(uid=uid, start=start, end=start + timedelta(minutes=30),
                     text=EventText(summary=f"Möte {uid}", description="Dialogträff"),
                     stamp=STAMP, sequence=0, first=start.date(), last=None, rrule=rrule)


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


SINGLES = [
    *(_local(2024, 3, day, 10) for day in range(25, 32)),
    _local(2024, 4, 1, 10),
    *(_local(2024, 10, day, 10) for day in range(21, 29)),
    _local(2024, 3, 31, 1), _local(2024, 3, 31, 3, 30),   # either side of 02:00 -> 03:00
    _local(2024, 10, 27, 1), _local(2024, 10, 27, 3, 30),  # either side of 03:00 -> 02:00
    _local(2030, 3, 30, 12), _local(2030, 3, 31, 12),          # the rule, years later
    _local(2031, 10, 25, 12), _local(2031, 10, 26, 12),
]


@pytest.fixture
def ics(tmp_path: Path) -> Path:
    events = [_timed(f"single-{i}", start) for i, start in enumerate(SINGLES)]
    events += [_timed("weekly-march", _local(2024, 3, 18, 9), "FREQ=WEEKLY;COUNT=4"),
               _timed("weekly-october", _local(2024, 10, 14, 9), "FREQ=WEEKLY;COUNT=4")]
    calendar = FeedCalendar(uid="dst", name="Sommartid", description="Tider runt omställningen",
                            timezone="Europe/Stockholm", refresh=timedelta(hours=12),
                            language="sv", events=tuple(events), rules_year=2024)
    path = tmp_path / "dst.ics"
    path.write_bytes(write_calendar(calendar))
    return path


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_timed_events_get_the_right_utc_offset_in_both_parsers(ics: Path) -> None:
    body = ics.read_bytes()
    assert_rfc5545_lines(body)
    assert b"BEGIN:VTIMEZONE" in body and b"RDATE" not in body
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in body
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in body
    start, end = date(2024, 1, 1), date(2032, 1, 1)
    node = ical_js_occurrences(ics, start, end)
    assert node == python_occurrences(body, start, end)
    starts = {uid: s for uid, s, _, _ in node if uid.startswith("single-")}
    assert starts == {f"single-{i}": _utc(moment) for i, moment in enumerate(SINGLES)}
    assert starts["single-18"] == "2024-10-26T23:00:00Z"  # 01:00 summer time, the night back
    assert starts["single-19"] == "2024-10-27T02:30:00Z"  # 03:30 winter time, the same night
    weekly = sorted(s for uid, s, _, _ in node if uid.startswith("weekly-"))
    assert weekly == [
        "2024-03-18T08:00:00Z", "2024-03-25T08:00:00Z", "2024-04-01T07:00:00Z",
        "2024-04-08T07:00:00Z", "2024-10-14T07:00:00Z", "2024-10-21T07:00:00Z",
        "2024-10-28T08:00:00Z", "2024-11-04T08:00:00Z",
    ]


def test_all_day_feeds_carry_no_vtimezone() -> None:
    event = FeedEvent(uid="a", start=date(2024, 3, 31), end=date(2024, 4, 1),
                      text=EventText("Heldag", ""), stamp=STAMP, sequence=0,
                      first=date(2024, 3, 31), last=date(2024, 3, 31))
    calendar = FeedCalendar(uid="x", name="x", description="x", timezone="Europe/Stockholm",
                            refresh=timedelta(hours=12), language="sv", events=(event,))
    body = write_calendar(calendar)
    assert b"VTIMEZONE" not in body and b"X-WR-TIMEZONE:Europe/Stockholm" in body
