"""How the annual report reads an activity's history: pure functions of the
rows `history.load_history` returns, a year and a cut-off moment.

The definitions here are the ones README.md documents and the tests recompute
from SQL, so a number in the report can always be explained:

- An activity's status for a year is its latest report up to the cut-off. For
  a yearly or RRULE activity only reports about that year's occurrences
  count, so last year's `klar` does not hide that this year is missing.
- An occurrence is overdue when its due date (moved by an accepted date
  change) has passed and its latest report neither says `done` nor
  `cancelled`. Check-ins of ongoing work are never overdue.
- A recurring activity's fulfilment per year comes from the reports about
  that year's occurrences; ongoing work's from the reports given that year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from lokflow.annual_report.history import ActivityRow, ReportRow
from lokflow.domain.occurrences import Occurrence, PlanCalendar, occurrences
from lokflow.domain.timelines import AnySchedule, Ongoing, Recurrence, Window, Yearly

RESOLVING = frozenset({"done", "cancelled"})
NO_REPORT = "none"
STATUS_ORDER = ("done", "in_progress", "not_started", "delayed", "paused", "cancelled", NO_REPORT)


def is_recurring(activity: ActivityRow) -> bool:
    """Yearly and RRULE activities: each year stands on its own."""
    return isinstance(activity.schedule, Yearly | Recurrence)


def is_periodic(activity: ActivityRow) -> bool:
    """Activities shown year by year: recurring ones and ongoing work."""
    return is_recurring(activity) or isinstance(activity.schedule, Ongoing)


def starts_on(schedule: AnySchedule) -> date | None:
    """When the work begins, where the timeline says so."""
    if isinstance(schedule, Window):
        return schedule.start
    if isinstance(schedule, Recurrence):
        return schedule.dtstart
    if isinstance(schedule, Yearly | Ongoing):
        return schedule.start
    return None


def until(reports: Iterable[ReportRow], cutoff: datetime) -> list[ReportRow]:
    return [r for r in reports if r.at <= cutoff]


def year_occurrences(activity: ActivityRow, calendar: PlanCalendar, year: int) -> list[Occurrence]:
    """The dated occurrences (not check-ins) of `year`."""
    found = occurrences(activity.schedule, calendar, date(year, 1, 1), date(year, 12, 31))
    return [o for o in found if o.kind != "checkin"]


def year_report(activity: ActivityRow, calendar: PlanCalendar, year: int,
                cutoff: datetime) -> ReportRow | None:
    """The report that gives the activity's status for `year` (see module doc)."""
    found = until(activity.reports, cutoff)
    if is_recurring(activity):
        keys = {o.key for o in year_occurrences(activity, calendar, year)}
        found = [r for r in found if r.occurrence in keys]
    return found[-1] if found else None


def occurrence_status(activity: ActivityRow, key: str, cutoff: datetime) -> str | None:
    found = [r for r in until(activity.reports, cutoff) if r.occurrence == key]
    return found[-1].status if found else None


def moved_due(activity: ActivityRow, occurrence: Occurrence, cutoff: datetime) -> date:
    """The due date after the latest accepted date change decided by `cutoff`."""
    due = occurrence.due
    for move in activity.moves:
        if move.occurrence == occurrence.key and move.decided_at <= cutoff:
            due = move.proposed
    return due


@dataclass(frozen=True)
class OpenOccurrence:
    """An occurrence with its effective due date and latest status."""

    key: str
    kind: str
    due: date
    original_due: date
    status: str | None


def open_occurrences(activity: ActivityRow, calendar: PlanCalendar, start: date, end: date,
                     cutoff: datetime) -> list[OpenOccurrence]:
    """Unresolved dated occurrences whose effective due date is in [start, end]."""
    search_from = min(start, date(start.year - 3, 1, 1))
    found = []
    for occurrence in occurrences(activity.schedule, calendar, search_from, end):
        if occurrence.kind == "checkin":
            continue
        due = moved_due(activity, occurrence, cutoff)
        status = occurrence_status(activity, occurrence.key, cutoff)
        if start <= due <= end and status not in RESOLVING:
            found.append(OpenOccurrence(occurrence.key, occurrence.kind, due, occurrence.due,
                                        status))
    return sorted(found, key=lambda o: (o.due, o.key))


def overdue(activity: ActivityRow, calendar: PlanCalendar, origin: date, day: date,
            cutoff: datetime) -> list[OpenOccurrence]:
    """Occurrences due before `day` (from `origin` on) and not resolved."""
    return [o for o in open_occurrences(activity, calendar, origin, day, cutoff) if o.due < day]


@dataclass(frozen=True)
class YearFulfilment:
    year: int
    verdict: str  # a status, "missing" or "upcoming"
    done: int
    total: int


def fulfilment(activity: ActivityRow, calendar: PlanCalendar, years: Sequence[int], day: date,
               cutoff: datetime, zone: tzinfo) -> list[YearFulfilment]:
    """Per year: what the owners reported (see module doc); years without any
    occurrence of a recurring activity are left out."""
    found = []
    for year in years:
        if is_recurring(activity):
            record = _recurring_year(activity, calendar, year, day, cutoff)
        else:
            record = _ongoing_year(activity, year, day, cutoff, zone)
        if record is not None:
            found.append(record)
    return found


def _recurring_year(activity: ActivityRow, calendar: PlanCalendar, year: int, day: date,
                    cutoff: datetime) -> YearFulfilment | None:
    occurrences_of_year = year_occurrences(activity, calendar, year)
    if not occurrences_of_year:
        return None
    statuses = [occurrence_status(activity, o.key, cutoff) for o in occurrences_of_year]
    done = sum(1 for s in statuses if s == "done")
    passed = sum(1 for o in occurrences_of_year if moved_due(activity, o, cutoff) <= day)
    latest = year_report(activity, calendar, year, cutoff)
    if done == len(statuses):
        verdict = "done"
    elif latest is not None and latest.status != "done":
        verdict = latest.status
    else:  # nothing said, or only about occurrences already done
        verdict = "missing" if passed > done else "upcoming"
    return YearFulfilment(year, verdict, done, len(statuses))


def _ongoing_year(activity: ActivityRow, year: int, day: date, cutoff: datetime,
                  zone: tzinfo) -> YearFulfilment | None:
    schedule = activity.schedule
    assert isinstance(schedule, Ongoing)
    if schedule.start and schedule.start.year > year:
        return None
    given = [r for r in until(activity.reports, cutoff) if r.at.astimezone(zone).year == year]
    if given:
        return YearFulfilment(year, given[-1].status, int(given[-1].status == "done"), 1)
    return YearFulfilment(year, "missing" if year <= day.year else "upcoming", 0, 1)


def milestone_years(base_year: int, every: int, first_after: int | None, last: int) -> list[int]:
    """Years of an evaluation or renegotiation cadence, up to `last`."""
    year = base_year + (first_after or every)
    found = []
    while year <= last:
        found.append(year)
        year += every
    return found


def count_statuses(statuses: Iterable[str | None]) -> dict[str, int]:
    """Counts in report order, every status present (zero if unused)."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for status in statuses:
        counts[status or NO_REPORT] += 1
    return counts
