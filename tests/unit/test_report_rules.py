"""How the annual report reads an activity's history (pure rules)."""

from __future__ import annotations

from datetime import date

import pytest

from lokflow.annual_report import presentation
from lokflow.annual_report.rules import (
    count_statuses,
    fulfilment,
    milestone_years,
    overdue,
    year_report,
)
from lokflow.annual_report.snapshot_parts import percent
from lokflow.domain.timelines import Deadline, Ongoing, Recurrence, Yearly
from tests.support.report_builders import (
    CALENDAR,
    STOCKHOLM,
    activity,
    at,
    move,
    report,
)

YEARLY = Yearly(month=11, day=15, start=date(2022, 1, 1))
TWICE = Recurrence(rrule="RRULE:FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18", dtstart=date(2022, 1, 1))
CUTOFF = at("2024-11-15T19:00")
DAY = date(2024, 11, 15)


@pytest.mark.parametrize(("base", "every", "first", "last", "years"), [
    (2022, 5, 2, 2030, [2024, 2029]),       # Tierp: first after two years, then every five
    (2018, 3, None, 2024, [2021, 2024]),    # Botkyrka: every third year
    (2018, 4, None, 2022, [2022]),          # Luleå: renegotiation every fourth year
    (2024, 5, None, 2026, []),
])
def test_milestone_years(base: int, every: int, first: int | None, last: int,
                         years: list[int]) -> None:
    assert milestone_years(base, every, first, last) == years


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 8, 13), (1, 3, 33), (2, 3, 67), (0, 5, 0), (5, 5, 100), (0, 0, None)])
def test_percent_rounds_half_up(part: int, whole: int, expected: int | None) -> None:
    assert percent(part, whole) == expected


def test_a_yearly_activity_is_judged_on_this_years_occurrence_only() -> None:
    done_last_year = activity("k-1", YEARLY, reports=(report("2023", "done", "2023-11-01"),))
    assert year_report(done_last_year, CALENDAR, 2024, CUTOFF) is None
    assert year_report(done_last_year, CALENDAR, 2023, CUTOFF).status == "done"  # type: ignore[union-attr]
    one_off = activity("k-2", Deadline(due=date(2023, 12, 31)),
                       reports=(report("deadline", "done", "2023-06-01"),))
    assert year_report(one_off, CALENDAR, 2024, CUTOFF).status == "done"  # type: ignore[union-attr]


def test_reports_after_the_cutoff_do_not_count() -> None:
    late = activity("k-1", Deadline(due=date(2024, 6, 30)),
                    reports=(report("deadline", "done", "2024-11-16"),))
    assert year_report(late, CALENDAR, 2024, CUTOFF) is None
    assert [o.key for o in overdue(late, CALENDAR, date(2021, 1, 1), DAY, CUTOFF)] == ["deadline"]


def test_overdue_follows_accepted_dates_decided_before_the_cutoff() -> None:
    moved = activity("k-1", Deadline(due=date(2024, 6, 30)), moves=(
        move("deadline", "2024-06-30", "2025-02-01", decided="2024-07-01"),))
    assert overdue(moved, CALENDAR, date(2021, 1, 1), DAY, CUTOFF) == []
    decided_later = activity("k-2", Deadline(due=date(2024, 6, 30)), moves=(
        move("deadline", "2024-06-30", "2025-02-01", decided="2024-12-01"),))
    late = overdue(decided_later, CALENDAR, date(2021, 1, 1), DAY, CUTOFF)
    assert [(o.due, o.original_due) for o in late] == [(date(2024, 6, 30), date(2024, 6, 30))]


def test_overdue_skips_resolved_occurrences_and_check_ins() -> None:
    yearly = activity("k-1", YEARLY, reports=(report("2022", "done", "2022-11-10"),
                                              report("2023", "cancelled", "2023-11-10")))
    assert overdue(yearly, CALENDAR, date(2021, 1, 1), DAY, CUTOFF) == []
    ongoing = activity("k-2", Ongoing(start=date(2022, 1, 1)))
    assert overdue(ongoing, CALENDAR, date(2021, 1, 1), DAY, CUTOFF) == []
    due_today = activity("k-3", YEARLY)  # 2024's occurrence is due today: not yet late
    assert [o.key for o in overdue(due_today, CALENDAR, date(2021, 1, 1), DAY, CUTOFF)] == [
        "2022", "2023"]


def test_fulfilment_per_year_reads_like_the_issue() -> None:
    yearly = activity("k-1", YEARLY, timeline="Årligen", reports=(
        report("2022", "done", "2022-11-01"), report("2023", "in_progress", "2023-10-01"),
        report("2023", "done", "2023-11-10")))
    row = {"timeline": "Årligen", "years": [
        r.__dict__ for r in fulfilment(yearly, CALENDAR, [2022, 2023, 2024], DAY, CUTOFF,
                                       STOCKHOLM)]}
    assert presentation.fulfilment_line(row, "sv") == "Årligen — 2022 klar, 2023 klar, 2024 saknas"
    assert presentation.fulfilment_line(row, "en") == (
        "Årligen — 2022 done, 2023 done, 2024 missing")


def test_fulfilment_counts_several_occurrences_a_year() -> None:
    twice = activity("k-1", TWICE, reports=(report("2024-03-18", "done", "2024-03-20"),))
    records = fulfilment(twice, CALENDAR, [2024, 2025], DAY, CUTOFF, STOCKHOLM)
    assert [(r.year, r.verdict, r.done, r.total) for r in records] == [
        (2024, "missing", 1, 2), (2025, "upcoming", 0, 2)]
    assert presentation.fulfilment_text(records[0].__dict__, "sv") == "saknas (1 av 2 klara)"


def test_ongoing_work_is_judged_by_the_reports_of_each_year() -> None:
    ongoing = activity("k-1", Ongoing(start=date(2023, 1, 1)), reports=(
        report("checkin-2023-11-15", "in_progress", "2023-12-31T23:30"),))  # 1 Jan 2024 local
    records = fulfilment(ongoing, CALENDAR, [2022, 2023, 2024], DAY, CUTOFF, STOCKHOLM)
    assert [(r.year, r.verdict) for r in records] == [(2023, "missing"), (2024, "in_progress")]


def test_count_statuses_keeps_every_status_in_report_order() -> None:
    counts = count_statuses(["done", None, "done", "paused"])
    assert list(counts) == ["done", "in_progress", "not_started", "delayed", "paused",
                            "cancelled", "none"]
    assert (counts["done"], counts["none"], counts["paused"], sum(counts.values())) == (2, 1, 1, 4)
