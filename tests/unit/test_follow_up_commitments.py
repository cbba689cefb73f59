"""Commitments to follow up (principle of independence): statements of
attitude or rights are followed up in the joint assessment, never chased with
reminders, check-ins or round requests; the plan says so with `kind:
follow_up` or the timeline 'Följs upp i den gemensamma bedömningen'."""

from __future__ import annotations

import io
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from lokflow.domain.due_actions import planned_days
from lokflow.domain.plan_document import Activity
from lokflow.domain.plan_schedules import activity_schedule
from lokflow.domain.round_actions import in_round
from lokflow.domain.timelines import FollowedUp, MonthDay, Ongoing, TimelineContext, parse_timeline
from lokflow.plans.plan_files import read_plans
from lokflow.plans.workbook_reading import document_from_sheets
from lokflow.plans.workbooks import export_workbook
from tests.conftest import PLANS
from tests.unit.test_due_actions import facts, simulate

SEEDS = {p.document.slug: p.document for p in read_plans([PLANS])[0]}
CONTEXT = TimelineContext(annual_date=MonthDay(11, 15), period_start=date(2023, 1, 1))


@pytest.mark.parametrize("words", ["Följs upp i den gemensamma bedömningen",
                                   "följs  upp gemensamt",
                                   "FÖLJS UPP I DEN GEMENSAMMA BEDÖMNINGEN"])
def test_the_timeline_words_make_a_commitment_to_follow_up(words: str) -> None:
    assert parse_timeline(words, CONTEXT) == FollowedUp()


def test_the_kind_wins_over_the_source_timeline() -> None:
    seed = SEEDS["lulea"]
    statement = next(a for _, a in seed.activities() if a.id == "sjalvstandighet-k1")
    assert statement.kind == "follow_up" and statement.timeline == "Löpande"
    assert activity_schedule(seed, statement) == FollowedUp()
    as_task = Activity.model_validate({**statement.model_dump(), "kind": "activity"})
    assert isinstance(activity_schedule(seed, as_task), Ongoing)


def test_no_reminder_checkin_or_round_request_over_a_year() -> None:
    year = (date(2023, 1, 1), date(2023, 12, 31))
    assert simulate([facts(Ongoing(start=date(2023, 1, 1)))], *year)  # the control
    assert simulate([facts(FollowedUp())], *year) == []
    assert planned_days(facts(FollowedUp()), *year) == set()
    assert in_round(Ongoing(), {}) and not in_round(FollowedUp(), {})


@pytest.mark.parametrize(("slug", "statements"), [
    ("botkyrka", {"sjalvstandighet-k1", "sjalvstandighet-p2", "sjalvstandighet-p5",
                  "mangfald-p2"}),
    ("lulea", {"sjalvstandighet-k1", "sjalvstandighet-c1", "kvalitet-c2"}),
])
def test_the_seed_statements_are_commitments_to_follow_up(slug: str, statements: set[str]
                                                          ) -> None:
    followed = {a.id for _, a in SEEDS[slug].activities() if a.follows_up}
    assert statements <= followed
    tasks = {a.id for _, a in SEEDS[slug].activities() if not a.follows_up}
    assert tasks and not tasks & statements


def test_the_workbook_carries_the_kind() -> None:
    seed = SEEDS["botkyrka"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(export_workbook(seed)))
    sheets = {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names}
    back = document_from_sheets(sheets)
    assert not isinstance(back, list)
    assert {a.id: a.kind for _, a in back.activities()} == {
        a.id: a.kind for _, a in seed.activities()}
    assert sum(a.kind == "follow_up" for _, a in back.activities()) > 0


def test_a_year_of_check_ins_falls_by_the_statements() -> None:
    """Each statement of an ongoing plan had its check-ins; now none."""
    seed = SEEDS["lulea"]
    before = after = 0
    start, end = date(2021, 1, 1), date(2021, 12, 31)
    for _, activity in seed.activities():
        as_task = Activity.model_validate({**activity.model_dump(), "kind": "activity"})
        for item, counter in ((as_task, "before"), (activity, "after")):
            schedule = activity_schedule(seed, item)
            n = sum(1 for a in simulate([facts(schedule)], start, end) if a.kind == "checkin")
            if counter == "before":
                before += n
            else:
                after += n
    statements = sum(1 for _, a in seed.activities() if a.kind == "follow_up")
    assert before - after == statements * seed.policy.reminders.checkins_per_year
