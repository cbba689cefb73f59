"""Which calendar event of the subscription feed an email's date is, so the
.ics attached to an email updates the entry a subscriber already has instead
of adding a second one.

A one-off deadline is its own event (`tierp/kommun-1.1/deadline@lokflow`). A
yearly, RRULE or check-in date is one occurrence of the feed's recurring
event: the same UID with RECURRENCE-ID set to the occurrence's original
date, which is how RFC 5545 names one instance. A reporting round's deadline
is an occurrence of the plan's yearly `reporting-round` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lokflow.domain.occurrences import PlanCalendar, checkin_days
from lokflow.domain.timelines import AnySchedule, Ongoing, Recurrence, Yearly
from lokflow.feeds.identity import uid
from lokflow.feeds.yearly_rules import month_day_rules


@dataclass(frozen=True)
class EventId:
    uid: str
    recurrence_id: date | None = None


def activity_event_id(plan: str, key: str, schedule: AnySchedule, calendar: PlanCalendar,
                      occurrence_key: str | None) -> EventId | None:
    """The feed event (and instance) of one occurrence of an activity."""
    if occurrence_key in (None, "deadline"):
        return EventId(uid(plan, key, "deadline"))
    assert occurrence_key is not None
    if isinstance(schedule, Yearly) and occurrence_key.isdigit():
        return EventId(uid(plan, key, "yearly"),
                       schedule.month_day.in_year(int(occurrence_key)))
    if isinstance(schedule, Recurrence):
        return EventId(uid(plan, key, "rrule"), _iso(occurrence_key))
    if isinstance(schedule, Ongoing) and occurrence_key.startswith("checkin-"):
        day = _iso(occurrence_key.removeprefix("checkin-"))
        if day is None:
            return None
        days = checkin_days(calendar.annual_date, schedule.checkins_per_year)
        rules = month_day_rules(days, until=calendar.period_end)
        for index, (_, members) in enumerate(rules):
            if day.month in {d.month for d in members}:
                part = "checkins" if index == 0 else f"checkins-d{members[0].day}"
                return EventId(uid(plan, key, part), day)
    return None


def round_event_id(plan: str, calendar: PlanCalendar, year: int) -> EventId:
    """The reporting round of `year`: one instance of the plan's yearly event."""
    return EventId(uid(plan, "reporting-round"), calendar.annual_date.in_year(year))


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
