"""The VTIMEZONE is written from yearly rules, not RDATE lists, and states
the same offsets as the tz database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Timezone

from lokflow.feeds.vtimezone import changes, holds, vtimezone


def test_stockholm_is_last_sunday_of_march_and_october() -> None:
    text = vtimezone("Europe/Stockholm", 2025).to_ical().decode()
    assert "RDATE" not in text
    assert text.count("BEGIN:DAYLIGHT") == 1 and text.count("BEGIN:STANDARD") == 1
    assert "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text
    assert "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200" in text
    assert "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100" in text


def test_the_rules_of_one_year_hold_for_every_year_since_1996() -> None:
    assert holds("Europe/Stockholm", 1996, 2037)


@pytest.mark.parametrize(("tzid", "since"), [
    ("Europe/Stockholm", 1996), ("Europe/Helsinki", 1996), ("America/New_York", 2007)])
def test_offsets_agree_with_the_tz_database_around_every_change(tzid: str, since: int) -> None:
    """icalendar turns our VTIMEZONE itself (not its TZID) into a tzinfo;
    compare it with zoneinfo at each change, a minute before it, and twice
    a month, every year from the current rules' first year to 2037."""
    ours = Timezone.from_ical(vtimezone(tzid, 2025).to_ical()).to_tz(lookup_tzid=False)
    zone = ZoneInfo(tzid)
    for year in range(since, 2038):
        moments = [datetime(year, month, day, 12, tzinfo=UTC)
                   for month in range(1, 13) for day in (1, 15)]
        for change in changes(tzid, year):
            at = (change.wall - change.offset_from).replace(tzinfo=UTC)
            moments += [at - timedelta(minutes=1), at, at + timedelta(hours=1)]
        for moment in moments:
            expected = moment.astimezone(zone).utcoffset()
            assert moment.astimezone(ours).utcoffset() == expected, (tzid, moment)


def test_a_zone_without_summer_time_has_one_standard_part() -> None:
    text = vtimezone("Asia/Tokyo").to_ical().decode()
    assert "DAYLIGHT" not in text and "RRULE" not in text
    assert "TZOFFSETTO:+0900" in text


def test_new_york_counts_sundays_from_the_start_of_the_month() -> None:
    text = vtimezone("America/New_York", 2025).to_ical().decode()
    assert "BYDAY=2SU;BYMONTH=3" in text and "BYDAY=1SU;BYMONTH=11" in text


def test_utc_offsets_in_a_dst_week() -> None:
    ours = Timezone.from_ical(vtimezone("Europe/Stockholm").to_ical()).to_tz(lookup_tzid=False)
    before = datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert before.astimezone(ours).utcoffset() == timedelta(hours=2) - timedelta(hours=1)
    assert (before + timedelta(minutes=1)).astimezone(ours).utcoffset() == timedelta(hours=2)
