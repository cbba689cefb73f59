"""Which deadlines of an activity have passed without a `done` or `cancelled`
report: the coordinator's overdue list. Check-ins of ongoing work are not
deadlines and are never overdue; an accepted new date replaces the old one."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

from lokflow.domain.occurrences import Occurrence, PlanCalendar, occurrences
from lokflow.domain.timelines import AnySchedule

LOOK_AHEAD = timedelta(days=3 * 366)


def overdue_occurrences(
    schedule: AnySchedule,
    calendar: PlanCalendar,
    start: date,
    today: date,
    resolved: Collection[str] = frozenset(),
    moved: Mapping[str, date] | None = None,
) -> list[Occurrence]:
    """Unresolved deadlines due before `today` (from `start`), earliest first,
    with accepted new dates applied."""
    moved = moved or {}
    found = []
    for occurrence in occurrences(schedule, calendar, start, today + LOOK_AHEAD):
        if occurrence.kind != "deadline" or occurrence.key in resolved:
            continue
        due = moved.get(occurrence.key, occurrence.due)
        if due < today:
            found.append(Occurrence(due, occurrence.key, occurrence.kind))
    return sorted(found)
