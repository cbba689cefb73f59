"""The hand-written .ics of reminder emails parses with icalendar and folds
Swedish text without splitting a character."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from lokflow.delivery.ics_attachment import DeadlineEvent, calendar_bytes, fold


def test_round_trip_through_icalendar() -> None:
    text = "Åtagande; här, med \\ tecken och\nny rad " + "å" * 60
    data = calendar_bytes([DeadlineEvent("lokflow-tierp-kommun-1.1-2023-12-31@lokflow",
                                         date(2023, 12, 31), "kommun-1.1 LÖK Tierp: " + text,
                                         text, datetime(2023, 12, 1, 7, tzinfo=UTC))])
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    event = next(iter(Calendar.from_ical(data).walk("VEVENT")))
    assert str(event["DESCRIPTION"]) == text
    assert event.decoded("DTSTART") == date(2023, 12, 31)
    assert event.decoded("DTEND") == date(2024, 1, 1)


@given(st.text(alphabet="aåäöÅÄÖ€𝄞 ,;\\", min_size=0, max_size=300))
def test_folding_never_splits_a_character(text: str) -> None:
    folded = fold("DESCRIPTION:" + text)
    pieces = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert "".join(pieces) == "DESCRIPTION:" + text
