"""The pure reporting-round decision: who is asked, reminded and escalated, day
by day over a whole simulated round, with answers arriving along the way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lokflow.domain.due_actions import Person
from lokflow.domain.round_actions import (
    RoundAction,
    RoundFacts,
    RoundOwner,
    escalation_day,
    in_round,
    missing_contacts,
    reminder_days,
    response_rate,
    round_actions,
    round_window,
    year_to_open,
)
from lokflow.domain.timelines import Deadline, MonthDay, OnDemand, Yearly

KIM = Person("kim@testby.example.org", "Kim Kultur")
RAD = Person("rad@testby.example.org", "Föreningsrådet", "en")
BOSS = Person("samordnare@testby.example.org", "Samordnare")
# A round opening Monday 2023-08-21, answers due Monday 2023-10-02, reminders weekly.
OPENS, DEADLINE = date(2023, 8, 21), date(2023, 10, 2)


def facts(answered: frozenset[int] = frozenset(), is_open: bool = True) -> RoundFacts:
    return RoundFacts(
        round_id=7, opens_on=OPENS, deadline=DEADLINE, is_open=is_open, reminder_days=7,
        owners=(RoundOwner("kultur", "Kultur", (KIM,), (1, 2), answered & {1, 2}),
                RoundOwner("foreningarna", "Föreningarna", (RAD,), (2, 3), answered & {2, 3})),
        coordinators=(BOSS,))


def simulate(answers: dict[date, set[int]], start: date = OPENS,
             end: date = DEADLINE + timedelta(days=14)) -> list[RoundAction]:
    """Run the decision every day, feeding its output back as the sent log."""
    sent: set[str] = set()
    answered: set[int] = set()
    done: list[RoundAction] = []
    day = start
    while day <= end:
        answered |= answers.get(day, set())
        for action in round_actions(facts(frozenset(answered)), sent, day):
            sent.add(action.key)
            done.append(action)
        day += timedelta(days=1)
    return done


def test_a_round_where_nobody_answers() -> None:
    done = simulate({})
    requests = [(a.planned_day, a.recipient.email) for a in done if a.kind == "round_request"]
    assert requests == [(OPENS, KIM.email), (OPENS, RAD.email)]
    reminders = sorted({a.planned_day for a in done if a.kind == "round_reminder"})
    assert reminders == [date(2023, 8, 28), date(2023, 9, 4), date(2023, 9, 11),
                         date(2023, 9, 18), date(2023, 9, 25)]
    assert sum(a.kind == "round_reminder" for a in done) == 10  # two people, five weeks
    escalations = [a for a in done if a.kind == "round_escalation"]
    assert [(a.planned_day, a.recipient, a.missing) for a in escalations] == [
        (date(2023, 10, 3), BOSS, ("Kultur", "Föreningarna"))]
    assert all(a.due == DEADLINE for a in done)
    assert len({a.key for a in done}) == len(done)


def test_answers_stop_reminders_for_that_owner_only() -> None:
    done = simulate({date(2023, 8, 30): {1, 2}})
    kim = [a.planned_day for a in done if a.recipient == KIM and a.kind == "round_reminder"]
    rad = [a.planned_day for a in done if a.recipient == RAD and a.kind == "round_reminder"]
    assert kim == [date(2023, 8, 28)]
    assert rad[0] == date(2023, 8, 28) and len(rad) == 5  # activity 3 is still missing
    escalation = next(a for a in done if a.kind == "round_escalation")
    assert escalation.missing == ("Föreningarna",)


def test_everyone_answered_means_no_escalation() -> None:
    done = simulate({date(2023, 9, 1): {1, 2, 3}})
    assert not [a for a in done if a.kind == "round_escalation"]
    assert not [a for a in done if a.planned_day > date(2023, 9, 1)]


def test_a_closed_round_sends_nothing() -> None:
    assert round_actions(facts(is_open=False), set(), OPENS) == []


@pytest.mark.parametrize(("today", "kinds"), [
    (date(2023, 8, 20), []),                                   # before the round
    (date(2023, 8, 21), ["round_request"] * 2),
    (date(2023, 8, 27), ["round_request"] * 2),                # catching up after an outage
    (date(2023, 8, 28), ["round_request"] * 2),                # a request, not a reminder, first
    (date(2023, 8, 29), ["round_reminder"] * 2),               # the request window has passed
    (date(2023, 10, 2), ["round_reminder"] * 2),               # the missed reminder of 25 Sep
    (date(2023, 10, 3), ["round_escalation"]),
    (date(2023, 10, 11), []),                                  # beyond the catch-up window
])
def test_one_day_with_an_empty_sent_log(today: date, kinds: list[str]) -> None:
    assert [a.kind for a in round_actions(facts(), set(), today)] == kinds


def test_after_an_outage_only_the_latest_reminder_goes_out() -> None:
    actions = round_actions(facts(), set(), date(2023, 9, 10), catch_up_days=14)
    assert {a.planned_day for a in actions} == {date(2023, 9, 4)}


def test_round_that_opens_on_a_weekend_asks_on_monday() -> None:
    weekend = RoundFacts(round_id=1, opens_on=date(2023, 8, 19), deadline=DEADLINE,
                         owners=facts().owners, coordinators=(BOSS,))
    assert round_actions(weekend, set(), date(2023, 8, 19)) == []
    assert {a.planned_day for a in round_actions(weekend, set(), date(2023, 8, 21))} == {
        date(2023, 8, 21)}
    assert reminder_days(weekend)[0] == date(2023, 8, 28)  # the 26th is a Saturday


def test_escalation_waits_for_a_working_day() -> None:
    friday = RoundFacts(round_id=1, opens_on=OPENS, deadline=date(2023, 9, 29),
                        owners=facts().owners, coordinators=(BOSS,))
    assert escalation_day(friday) == date(2023, 10, 2)


def test_response_rate_counts_shared_activities_once() -> None:
    owners = facts(frozenset({2})).owners
    assert response_rate(owners) == (1, 3)
    assert [(o.answered, o.rate) for o in owners] == [(1, 0.5), (1, 0.5)]
    assert missing_contacts(facts(frozenset({1, 2}))) == [RAD]


@pytest.mark.parametrize(("today", "year"), [
    (date(2023, 8, 19), None),
    (date(2023, 8, 20), 2023),       # six weeks before 1 October
    (date(2023, 9, 30), 2023),
    (date(2023, 10, 1), None),       # the follow-up day: too late to open
    (date(2025, 9, 1), 2025),
    (date(2026, 9, 1), None),        # after the plan's period
])
def test_which_round_to_open(today: date, year: int | None) -> None:
    assert year_to_open(MonthDay(10, 1), 6, today, 2023, 2025) == year


def test_a_january_follow_up_opens_its_round_in_december() -> None:
    assert round_window(MonthDay(1, 20), 2024, 6) == (date(2023, 12, 9), date(2024, 1, 20))
    assert year_to_open(MonthDay(1, 20), 6, date(2023, 12, 15), 2023, None) == 2024


@pytest.mark.parametrize(("schedule", "statuses", "asked"), [
    (Deadline(due=date(2023, 12, 31)), {}, True),
    (Deadline(due=date(2023, 12, 31)), {"deadline": "in_progress"}, True),
    (Deadline(due=date(2023, 12, 31)), {"deadline": "done"}, False),
    (Deadline(due=date(2023, 12, 31)), {"deadline": "cancelled"}, False),
    (Yearly(month=10, day=1), {"2022": "done"}, True),
    (OnDemand(), {}, True),
])
def test_which_activities_a_round_asks_about(schedule: object, statuses: dict[str, str],
                                             asked: bool) -> None:
    assert in_round(schedule, statuses) is asked  # type: ignore[arg-type]


def test_a_sent_request_does_not_hold_back_the_reminder() -> None:
    sent = {f"round|7|request|{KIM.email}", f"round|7|request|{RAD.email}"}
    actions = round_actions(facts(), sent, date(2023, 8, 28))
    assert [(a.kind, a.recipient) for a in actions] == [("round_reminder", KIM),
                                                        ("round_reminder", RAD)]


def test_no_request_or_reminder_after_the_deadline() -> None:
    late = round_actions(facts(), set(), date(2023, 10, 3), catch_up_days=60)
    assert [a.kind for a in late] == ["round_escalation"]
