"""The occurrence the owner's short form reports on."""

from __future__ import annotations

from datetime import date

from lokflow.domain.occurrences import MonthDay, PlanCalendar
from lokflow.domain.overdue import overdue_occurrences
from lokflow.domain.timelines import Deadline, Yearly
from lokflow.reporting.owner_overview import form_occurrence

CALENDAR = PlanCalendar(annual_date=MonthDay(11, 15))
START = date(2022, 1, 1)
TODAY = date(2026, 11, 30)


def _form(schedule: Yearly | Deadline, resolved: frozenset[str] = frozenset()) -> str | None:
    overdue = overdue_occurrences(schedule, CALENDAR, START, TODAY, resolved)
    found = form_occurrence(schedule, TODAY, resolved, {}, overdue, None)
    return None if found is None else found.key


def test_a_yearly_item_reports_on_the_year_the_latest_notice_asked_about() -> None:
    yearly = Yearly(month=11, day=15, start=START)
    assert _form(yearly) == "2026"  # not 2022, the oldest year nobody reported on


def test_older_missed_years_come_next_newest_first() -> None:
    yearly = Yearly(month=11, day=15, start=START)
    assert _form(yearly, frozenset({"2026"})) == "2025"
    assert _form(yearly, frozenset({"2026", "2025", "2024", "2023"})) == "2022"


def test_a_single_deadline_reports_on_that_deadline() -> None:
    assert _form(Deadline(due=date(2024, 6, 30))) == "deadline"
