"""When an activity is due: the dated occurrences of its schedule.

A deadline has one occurrence; a yearly activity one per year; an ongoing
activity a check-in a few times a year. Recurring occurrences stop at the end
of the plan's period. Keys are stable so that reports, reminders and calendar
events can refer to one occurrence forever.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil.rrule import rrulestr

from lokflow.domain.recurrence_rules import usable_rule
from lokflow.domain.timelines import (
    AnySchedule,
    Deadline,
    FollowedUp,
    MonthDay,
    OnDemand,
    Ongoing,
    Recurrence,
    Window,
    Yearly,
)

OccurrenceKind = Literal["deadline", "checkin"]


@dataclass(frozen=True, order=True)
class Occurrence:
    due: date
    key: str
    kind: OccurrenceKind


@dataclass(frozen=True)
class PlanCalendar:
    """The plan facts occurrences depend on."""

    annual_date: MonthDay
    period_end: date | None = None
    checkins_per_year: int = 2


def occurrences(
    schedule: AnySchedule, calendar: PlanCalendar, start: date, end: date
) -> list[Occurrence]:
    """Occurrences due within [start, end], in date order."""
    found = [o for o in _all(schedule, calendar, start, end) if start <= o.due <= end]
    return sorted(found)


def next_due(schedule: AnySchedule, calendar: PlanCalendar, today: date) -> Occurrence | None:
    """The first occurrence due on or after `today` (searching five years ahead)."""
    upcoming = occurrences(schedule, calendar, today, today + timedelta(days=5 * 366))
    return upcoming[0] if upcoming else None


def _limit(calendar: PlanCalendar, end: date) -> date:
    return min(end, calendar.period_end) if calendar.period_end else end


def _all(schedule: AnySchedule, calendar: PlanCalendar, start: date, end: date) -> list[Occurrence]:
    if isinstance(schedule, Deadline):
        return [Occurrence(schedule.due, "deadline", "deadline")]
    if isinstance(schedule, Window):
        return [Occurrence(schedule.end, "deadline", "deadline"),
                *_window_checkins(schedule, calendar)]
    if isinstance(schedule, Yearly):
        return _yearly(schedule, calendar, start, end)
    if isinstance(schedule, Ongoing):
        return _ongoing(schedule, calendar, start, end)
    if isinstance(schedule, Recurrence):
        return _rrule(schedule, calendar, start, end)
    if isinstance(schedule, OnDemand | FollowedUp):
        return []
    raise TypeError(f"unknown schedule {schedule!r}")


def _yearly(schedule: Yearly, calendar: PlanCalendar, start: date, end: date) -> list[Occurrence]:
    last = _limit(calendar, end)
    first_year = max(start.year, schedule.start.year if schedule.start else start.year)
    found = []
    for year in range(first_year, last.year + 1):
        due = schedule.month_day.in_year(year)
        if (schedule.start is None or due >= schedule.start) and due <= last:
            found.append(Occurrence(due, str(year), "deadline"))
    return found


def checkin_days(annual_date: MonthDay, per_year: int) -> list[MonthDay]:
    """`per_year` days spread evenly over the year, the first on the annual date."""
    days = []
    for k in range(per_year):
        month0 = (annual_date.month - 1 + k * 12 // per_year) % 12
        longest = monthrange(2024, month0 + 1)[1]  # a leap year: 29 Feb is allowed
        days.append(MonthDay(month0 + 1, min(annual_date.day, longest)))
    return sorted(days)


WINDOW_QUIET = timedelta(days=45)
"""No check-in this close to a window's start or end (its reminders cover the end)."""


def _window_checkins(window: Window, calendar: PlanCalendar) -> list[Occurrence]:
    """Check-ins during a long window, on the plan's check-in days."""
    first, last = window.start + WINDOW_QUIET, window.end - WINDOW_QUIET
    if last < first:
        return []
    days = checkin_days(calendar.annual_date, calendar.checkins_per_year)
    found = []
    for year in range(first.year, last.year + 1):
        for day in days:
            due = day.in_year(year)
            if first <= due <= last:
                found.append(Occurrence(due, f"checkin-{due.isoformat()}", "checkin"))
    return found


def _ongoing(schedule: Ongoing, calendar: PlanCalendar, start: date, end: date) -> list[Occurrence]:
    found = []
    if schedule.initial_deadline:
        found.append(Occurrence(schedule.initial_deadline, "deadline", "deadline"))
    last = _limit(calendar, end)
    first = max(start, schedule.start) if schedule.start else start
    days = checkin_days(calendar.annual_date, schedule.checkins_per_year)
    for year in range(first.year, last.year + 1):
        for day in days:
            due = day.in_year(year)
            if first <= due <= last:
                found.append(Occurrence(due, f"checkin-{due.isoformat()}", "checkin"))
    return found


def _rrule(
    schedule: Recurrence, calendar: PlanCalendar, start: date, end: date
) -> list[Occurrence]:
    if not usable_rule(schedule.rrule, schedule.dtstart):
        return []  # stored by an earlier version; its plan file is refused until fixed
    last = _limit(calendar, end)
    rule = rrulestr(schedule.rrule, dtstart=datetime.combine(schedule.dtstart, datetime.min.time()))
    moments = rule.between(
        datetime.combine(start, datetime.min.time()),
        datetime.combine(last, datetime.max.time()),
        inc=True,
    )
    return [Occurrence(m.date(), m.date().isoformat(), "deadline") for m in moments]


def occurrence_for_report(
    schedule: AnySchedule, calendar: PlanCalendar, today: date, resolved: frozenset[str]
) -> str:
    """Which occurrence a status report given on `today` is about.

    A deadline's report is about the deadline; a yearly activity's about the
    earliest unresolved year from last year on; ongoing work's about its
    unresolved initial deadline, else the nearest check-in.
    """
    if isinstance(schedule, Deadline | Window):
        return "deadline"
    if isinstance(schedule, Ongoing) and schedule.initial_deadline and "deadline" not in resolved:
        return "deadline"
    year = timedelta(days=366)
    window = occurrences(schedule, calendar, today - year, today + year)
    if isinstance(schedule, Ongoing):
        checkins = [o for o in window if o.kind == "checkin"]
        if checkins:
            return min(checkins, key=lambda o: (abs((o.due - today).days), o.due)).key
        return f"checkin-{today.isoformat()}"
    open_ones = [o for o in window if o.key not in resolved]
    if open_ones:
        return open_ones[0].key
    return window[-1].key if window else today.isoformat()
