"""Occurrences of schedules: one per deadline, one per year, check-ins."""

from __future__ import annotations

from datetime import date

from lokflow.domain.occurrences import (
    Occurrence,
    PlanCalendar,
    checkin_days,
    next_due,
    occurrences,
)
from lokflow.domain.timelines import (
    Deadline,
    MonthDay,
    OnDemand,
    Ongoing,
    Recurrence,
    Window,
    Yearly,
)

CAL = PlanCalendar(annual_date=MonthDay(11, 15))
ENDED = PlanCalendar(annual_date=MonthDay(11, 15), period_end=date(2024, 12, 31))
SPAN = (date(2020, 1, 1), date(2030, 12, 31))


def test_deadline_and_window_have_one_deadline_and_a_window_check_ins() -> None:
    assert occurrences(Deadline(due=date(2023, 12, 31)), CAL, *SPAN) == [
        Occurrence(date(2023, 12, 31), "deadline", "deadline")
    ]
    window = Window(start=date(2022, 1, 1), end=date(2023, 12, 31))
    found = occurrences(window, CAL, *SPAN)
    assert [o for o in found if o.kind == "deadline"] == [
        Occurrence(date(2023, 12, 31), "deadline", "deadline")]
    checkins = [o.due for o in found if o.kind == "checkin"]
    assert checkins and all(date(2022, 2, 15) <= d <= date(2023, 11, 16) for d in checkins)
    short = Window(start=date(2023, 6, 1), end=date(2023, 8, 31))
    assert [o.kind for o in occurrences(short, CAL, *SPAN)] == ["deadline"]


def test_yearly_from_start_until_period_end() -> None:
    found = occurrences(Yearly(month=11, day=15, start=date(2022, 6, 20)), ENDED, *SPAN)
    assert [(o.due, o.key) for o in found] == [
        (date(2022, 11, 15), "2022"),
        (date(2023, 11, 15), "2023"),
        (date(2024, 11, 15), "2024"),
    ]


def test_yearly_on_a_day_before_start_skips_that_year() -> None:
    found = occurrences(Yearly(month=3, day=1, start=date(2022, 6, 20)), ENDED, *SPAN)
    assert [o.key for o in found] == ["2023", "2024"]


def test_checkin_days_spread_from_the_annual_date() -> None:
    assert checkin_days(MonthDay(11, 15), 2) == [MonthDay(5, 15), MonthDay(11, 15)]
    assert checkin_days(MonthDay(1, 31), 4) == [
        MonthDay(1, 31),
        MonthDay(4, 30),
        MonthDay(7, 31),
        MonthDay(10, 31),
    ]


def test_ongoing_checkins_and_initial_deadline() -> None:
    schedule = Ongoing(start=date(2022, 1, 1), initial_deadline=date(2023, 12, 31))
    found = occurrences(schedule, ENDED, *SPAN)
    assert found[0] == Occurrence(date(2022, 5, 15), "checkin-2022-05-15", "checkin")
    assert Occurrence(date(2023, 12, 31), "deadline", "deadline") in found
    assert len([o for o in found if o.kind == "checkin"]) == 6
    assert found[-1].due == date(2024, 11, 15)


def test_on_demand_has_none_and_rrule_follows_its_rule() -> None:
    assert occurrences(OnDemand(), CAL, *SPAN) == []
    rule = Recurrence(
        rrule="RRULE:FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18", dtstart=date(2019, 9, 18)
    )
    found = occurrences(rule, ENDED, *SPAN)
    assert [o.due for o in found][:3] == [date(2020, 3, 18), date(2020, 9, 18), date(2021, 3, 18)]
    assert found[-1].due == date(2024, 9, 18)


def test_next_due() -> None:
    yearly = Yearly(month=11, day=15)
    assert next_due(yearly, CAL, date(2026, 11, 15)) == Occurrence(
        date(2026, 11, 15), "2026", "deadline"
    )
    assert next_due(yearly, CAL, date(2026, 11, 16)) == Occurrence(
        date(2027, 11, 15), "2027", "deadline"
    )
    assert next_due(Deadline(due=date(2023, 12, 31)), CAL, date(2024, 1, 1)) is None
