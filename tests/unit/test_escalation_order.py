"""Escalation never comes before a reminder: late starts, outages and the
order of levels, over simulated days with the decision function alone."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lokflow.domain.due_actions import DueAction, decide
from lokflow.domain.notice_history import OccurrenceHistory, SentNotice, build_history
from lokflow.domain.timelines import Deadline, Yearly
from tests.unit.test_due_actions import facts, summary

DUE = date(2026, 11, 16)  # a Monday


def run(activities: list, days: list[date]) -> list[DueAction]:
    """Decide on each of `days` only (the others are an outage); what is
    decided is sent on the day it is decided."""
    sent: set[str] = set()
    everything: list[DueAction] = []
    notices: list[SentNotice] = []
    for day in days:
        for action in decide(activities, sent, day, history=build_history(notices)):
            sent.add(action.key)
            everything.append(action)
            notices.append(SentNotice(action.activity_id, action.occurrence_key, action.kind,
                                      action.level, day))
    return everything


def days_from(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_first_start_after_the_deadline_sends_the_owners_a_late_notice_first() -> None:
    # The case of issue 13: first start on Mon 30 Nov 2026, due 16 Nov.
    actions = run([facts(Deadline(due=DUE))], days_from(date(2026, 11, 30), date(2027, 3, 1)))
    assert summary(actions) == [
        ("2026-11-30", "late", "L1", "Ägare"),
        ("2026-12-14", "escalation", "L2", "Chef"),
        ("2027-01-13", "escalation", "L3", "Samordnare"),
    ]


def test_a_start_within_catch_up_sends_the_owners_level_on_its_day() -> None:
    actions = run([facts(Deadline(due=DUE))], days_from(date(2026, 11, 19), date(2026, 12, 31)))
    assert summary(actions) == [
        ("2026-11-17", "escalation", "L1", "Ägare"),
        ("2026-12-03", "escalation", "L2", "Chef"),  # 14 days after it was sent (19 Nov)
    ]


def test_an_outage_after_the_owners_level_restarts_the_clock_with_a_late_notice() -> None:
    before = days_from(date(2026, 10, 1), date(2026, 11, 20))
    after = days_from(date(2027, 1, 10), date(2027, 3, 31))
    actions = run([facts(Deadline(due=DUE))], before + after)
    escalations = [a for a in summary(actions) if a[1] != "reminder"]
    assert escalations == [
        ("2026-11-17", "escalation", "L1", "Ägare"),
        ("2027-01-10", "late", "L0", "Ägare"),
        ("2027-01-25", "escalation", "L2", "Chef"),  # 24 Jan is a Sunday
        ("2027-02-24", "escalation", "L3", "Samordnare"),
    ]


def test_a_deadline_older_than_the_horizon_gets_no_mail() -> None:
    assert run([facts(Deadline(due=date(2024, 1, 15)))], [date(2026, 11, 30)]) == []


def test_a_queued_notice_holds_the_next_level_until_it_is_sent() -> None:
    activity = facts(Deadline(due=DUE))
    pending = {(1, "deadline"): OccurrenceHistory(levels={1: date(2026, 11, 17)}, pending=True)}
    assert decide([activity], set(), date(2026, 12, 3), history=pending) == []
    sent = {(1, "deadline"): OccurrenceHistory(levels={1: date(2026, 11, 17)})}
    assert summary(decide([activity], set(), date(2026, 12, 3), history=sent)) == [
        ("2026-12-01", "escalation", "L2", "Chef")]


def test_without_history_no_level_above_the_owners_goes_out() -> None:
    actions = decide([facts(Deadline(due=DUE))], set(), date(2026, 12, 10))
    assert {(a.kind, a.audience) for a in actions} == {("late", "owners")}


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=400),
    outages=st.lists(st.tuples(st.integers(0, 420), st.integers(1, 90)), max_size=3),
    yearly=st.booleans(),
)
def test_no_escalation_precedes_a_notice_to_the_owners(
    start: int, outages: list[tuple[int, int]], yearly: bool
) -> None:
    """Whatever day the system starts and whatever outages it has, each level
    above the owners' comes after a notice to the owners, and each level at
    least its interval after the one before it was sent."""
    first = date(2025, 6, 1) + timedelta(days=start)
    down = {first + timedelta(days=s + k) for s, length in outages for k in range(length)}
    days = [d for d in days_from(first, first + timedelta(days=420)) if d not in down]
    schedule = Yearly(month=11, day=15, start=date(2024, 1, 1)) if yearly else Deadline(due=DUE)
    actions = run([facts(schedule)], days)
    per_occurrence: dict[str, list[DueAction]] = {}
    for action in actions:
        per_occurrence.setdefault(action.occurrence_key, []).append(action)
    for found in per_occurrence.values():
        owners_told: date | None = None
        level_day: dict[int, date] = {}
        for action in found:
            if action.audience == "owners":
                owners_told = owners_told or action.planned_day
            else:
                assert owners_told is not None and owners_told <= action.planned_day
            if action.kind == "escalation" and action.level > 1:
                assert action.level - 1 in level_day or action.level - 1 == 1
            if action.level:
                level_day[action.level] = action.planned_day
        for level, day in level_day.items():
            if level == 3 and 2 in level_day:
                assert day >= level_day[2] + timedelta(days=30)
            if level == 2 and 1 in level_day:
                assert day >= level_day[1] + timedelta(days=14)


def test_history_folds_sent_notices() -> None:
    history = build_history([
        SentNotice(1, "2025", "reminder", 0, date(2025, 10, 16)),
        SentNotice(1, "2025", "late", 1, date(2025, 11, 30)),
        SentNotice(1, "2025", "escalation", 2, date(2025, 12, 14)),
        SentNotice(1, "2026", "reminder", 0, date(2026, 10, 16), pending=True),
    ])
    assert history[(1, "2025")] == OccurrenceHistory(
        told=date(2025, 11, 30), late=date(2025, 11, 30),
        levels={1: date(2025, 11, 30), 2: date(2025, 12, 14)})
    assert history[(1, "2026")].pending
