"""The dialogue meetings of a plan's cycle: which days they fall on and when
each one's agenda is due. Pure: the plan's words in, dates out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from lokflow.domain.occurrences import checkin_days
from lokflow.domain.plan_document import DialogueMeetings, PlanDocument
from lokflow.domain.timelines import MonthDay


@dataclass(frozen=True)
class MeetingDay:
    """One dialogue meeting: its day, its start and end, and its agenda's day."""

    day: date
    starts: datetime
    ends: datetime
    agenda_day: date


def days_are_assumed(cycle: DialogueMeetings) -> bool:
    """The meeting days are not the source's: marked so, or spread by lokflow
    from `per_year` because the plan gives none."""
    return "dates" in cycle.inferred or not cycle.dates


def meeting_month_days(cycle: DialogueMeetings, annual_date: MonthDay) -> list[MonthDay]:
    """The plan's own dates, else `per_year` days spread over the year from the
    follow-up day (as check-ins are)."""
    if cycle.dates:
        return sorted({MonthDay.parse(text) for text in cycle.dates})
    return checkin_days(annual_date, cycle.per_year)


def meeting_days(plan: PlanDocument, start: date, end: date) -> list[MeetingDay]:
    """Every meeting of the plan's cycle in [start, end], within its period."""
    cycle = plan.follow_up.dialogue_meetings
    if cycle is None:
        return []
    first = max(start, date(plan.period.start, 1, 1))
    last = min(end, date(plan.period.end, 12, 31)) if plan.period.end else end
    hour, minute = (int(part) for part in cycle.time.split(":"))
    days = meeting_month_days(cycle, MonthDay.parse(plan.follow_up.annual_date))
    found = []
    for year in range(first.year, last.year + 1):
        for month_day in days:
            day = month_day.in_year(year)
            if first <= day <= last:
                starts = datetime.combine(day, time(hour, minute))
                found.append(MeetingDay(day, starts, starts + timedelta(hours=cycle.hours),
                                        day - timedelta(weeks=cycle.agenda_weeks_before)))
    return found


def agendas_due(plan: PlanDocument, today: date, catch_up_days: int = 7) -> list[MeetingDay]:
    """Meetings whose agenda falls due today, or fell due in the last days and
    the meeting is still ahead (a missed run catches up)."""
    window = meeting_days(plan, today, today + timedelta(weeks=13))
    return [m for m in window
            if m.agenda_day <= today <= m.agenda_day + timedelta(days=catch_up_days)
            and today <= m.day]
