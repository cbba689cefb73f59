"""RFC 5545 form of the written feeds: CRLF, folding at 75 octets without
splitting å ä ö, escaped text, the calendar properties clients read, and
byte-identical output for the same data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from lokflow.feeds.event_series import alarm_trigger
from lokflow.feeds.ical_writer import write_calendar
from lokflow.feeds.model import EventText, FeedCalendar, FeedEvent
from tests.support.ical_checks import assert_rfc5545_lines

STAMP = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)


def _event(summary: str, description: str = "", categories: tuple[str, ...] = (),
           **extra: object) -> FeedEvent:
    day = date(2024, 11, 15)
    fields: dict[str, object] = {
        "uid": "tierp/kommun-6.1/deadline@lokflow", "start": day, "end": day + timedelta(1),
        "text": EventText(summary, description, categories), "stamp": STAMP, "sequence": 2,
        "first": day, "last": day, **extra}
    return FeedEvent(**fields)  # type: ignore[arg-type]


def _write(*events: FeedEvent, name: str = "LÖK Tierp") -> bytes:
    return write_calendar(FeedCalendar(
        uid="feed-1", name=name, description="Åtaganden och aktiviteter",
        timezone="Europe/Stockholm", refresh=timedelta(hours=12), language="sv", events=events))


@pytest.mark.parametrize("prefix", range(55, 80))
def test_folding_never_splits_a_swedish_letter(prefix: int) -> None:
    summary = "x" * prefix + "åäöÅÄÖ" * 12 + " slut"
    body = _write(_event(summary))
    assert_rfc5545_lines(body)
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == summary


def test_text_is_escaped_and_reads_back_unchanged() -> None:
    summary = "Möte; kommun, förening \\ och sånt"
    description = "Rad ett\nRad två, med komma; och semikolon"
    categories = ("LÖK Tierp", "Öppenhet, delaktighet", "Kommunen")
    body = _write(_event(summary, description, categories))
    text = body.decode()
    assert "SUMMARY:Möte\\; kommun\\, förening \\\\ och sånt" in text
    assert "Rad ett\\nRad två\\, med komma\\; och semikolon" in text.replace("\r\n ", "")
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == summary and str(event["DESCRIPTION"]) == description
    assert tuple(event.categories) == categories


def test_calendar_properties_for_subscribing_clients() -> None:
    text = _write(_event("a")).decode()
    for line in ("METHOD:PUBLISH", "CALSCALE:GREGORIAN", "NAME:LÖK Tierp",
                 "X-WR-CALNAME:LÖK Tierp", "X-WR-CALDESC:Åtaganden och aktiviteter",
                 "X-WR-TIMEZONE:Europe/Stockholm", "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
                 "X-PUBLISHED-TTL:PT12H", "UID:feed-1"):
        assert f"\r\n{line}\r\n" in text, line


def test_all_day_events_end_the_day_after_and_carry_their_version() -> None:
    text = _write(_event("a", url="https://example.org/p", location="Folkets hus")).decode()
    for line in ("DTSTART;VALUE=DATE:20241115", "DTEND;VALUE=DATE:20241116",
                 "DTSTAMP:20240203T040506Z", "LAST-MODIFIED:20240203T040506Z", "SEQUENCE:2",
                 "STATUS:CONFIRMED", "TRANSP:TRANSPARENT", "LOCATION:Folkets hus",
                 "URL:https://example.org/p", "UID:tierp/kommun-6.1/deadline@lokflow"):
        assert f"\r\n{line}\r\n" in text, line


def test_alarm_at_nine_seven_days_before_or_none() -> None:
    with_alarm = _write(_event("a", alarm=alarm_trigger(7))).decode()
    assert "BEGIN:VALARM\r\nACTION:DISPLAY\r\n" in with_alarm
    assert "\r\nTRIGGER:-P6DT15H\r\n" in with_alarm
    assert "VALARM" not in _write(_event("a", alarm=alarm_trigger(0))).decode()


def test_recurrence_with_exdates_one_per_line() -> None:
    text = _write(_event("a", rrule="FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15",
                         exdates=(date(2025, 11, 15), date(2026, 11, 15)))).decode()
    assert "\r\nEXDATE;VALUE=DATE:20251115\r\nEXDATE;VALUE=DATE:20261115\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYMONTHDAY=15;BYMONTH=11" in text


def test_the_same_data_gives_the_same_bytes() -> None:
    first = _write(_event("Årsmöte", "Beskrivning", ("A",)))
    assert first == _write(_event("Årsmöte", "Beskrivning", ("A",)))
