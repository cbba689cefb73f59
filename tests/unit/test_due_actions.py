"""The decision function over whole simulated years, with a fixed clock:
reminders, check-ins, escalation, holidays, moved dates and catch-up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lokflow.domain.due_actions import (
    ActivityFacts,
    DueAction,
    EscalationStep,
    Person,
    decide,
    escalation_days,
    reminder_days,
)
from lokflow.domain.notice_history import SentNotice, build_history
from lokflow.domain.occurrences import PlanCalendar
from lokflow.domain.timelines import Deadline, MonthDay, OnDemand, Ongoing, Yearly
from lokflow.domain.working_days import is_working_day

OWNER = Person("agare@testby.example.org", "Ägare")
CHIEF = Person("chef@testby.example.org", "Chef")
COORD = Person("samordnare@testby.example.org", "Samordnare")
DEFAULT_ESCALATION = (
    EscalationStep(1, "owners", 1, working_day=True),
    EscalationStep(2, "escalation_contacts", 14),
    EscalationStep(3, "coordinators", 30),
)
CAL = PlanCalendar(annual_date=MonthDay(11, 15))


def facts(schedule: object, **changes: object) -> ActivityFacts:
    base = ActivityFacts(
        activity_id=1, schedule=schedule, calendar=CAL,  # type: ignore[arg-type]
        recipients={"owners": (OWNER,), "escalation_contacts": (CHIEF,),
                    "coordinators": (COORD,), "steering_group": (COORD,)},
        escalation=DEFAULT_ESCALATION,
    )
    return ActivityFacts(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def delivered(actions: list[DueAction]) -> list[SentNotice]:
    """What the outbox would remember of these actions, each sent on its day."""
    return [SentNotice(a.activity_id, a.occurrence_key, a.kind, a.level, a.planned_day)
            for a in actions]


def simulate(activities: list[ActivityFacts], start: date, end: date) -> list[DueAction]:
    """Run the decision every day, feeding back what was sent: the sent log and
    the history of each occurrence."""
    sent: set[str] = set()
    everything: list[DueAction] = []
    day = start
    while day <= end:
        history = build_history(delivered(everything))
        for action in decide(activities, sent, day, history=history):
            assert action.key not in sent
            sent.add(action.key)
            everything.append(action)
        day += timedelta(days=1)
    return everything


def summary(actions: list[DueAction]) -> list[tuple[str, str, str, str]]:
    return [(a.planned_day.isoformat(), a.kind, a.stage, a.recipient.name) for a in actions]


def test_new_years_eve_deadline_over_a_whole_year() -> None:
    # 2023-12-31 is a Sunday: 30 days before is Fri 1 Dec; 7 days before is
    # Sun 24 Dec -> Fri 22 Dec; 1 working day before is Fri 29 Dec. Escalation:
    # Mon 1 Jan is a holiday -> Tue 2 Jan; 14 days later Tue 16 Jan; 30 days
    # after that Thu 15 Feb.
    actions = simulate([facts(Deadline(due=date(2023, 12, 31)))], date(2023, 1, 1),
                       date(2024, 12, 31))
    assert summary(actions) == [
        ("2023-12-01", "reminder", "d30", "Ägare"),
        ("2023-12-22", "reminder", "d7", "Ägare"),
        ("2023-12-29", "reminder", "w1", "Ägare"),
        ("2024-01-02", "escalation", "L1", "Ägare"),
        ("2024-01-16", "escalation", "L2", "Chef"),
        ("2024-02-15", "escalation", "L3", "Samordnare"),
    ]


def test_done_stops_escalation_and_reminders() -> None:
    actions = simulate([facts(Deadline(due=date(2023, 12, 31)),
                              resolved=frozenset({"deadline"}))],
                       date(2023, 1, 1), date(2024, 12, 31))
    assert actions == []


def test_accepted_new_date_moves_reminders_and_escalation() -> None:
    moved = facts(Deadline(due=date(2023, 12, 31)), moved={"deadline": date(2024, 3, 31)})
    actions = simulate([moved], date(2023, 1, 1), date(2024, 6, 30))
    # 31 Mar 2024 is Easter Sunday; 1 Apr is Easter Monday.
    assert summary(actions)[:4] == [
        ("2024-03-01", "reminder", "d30", "Ägare"),
        ("2024-03-22", "reminder", "d7", "Ägare"),
        ("2024-03-28", "reminder", "w1", "Ägare"),
        ("2024-04-02", "escalation", "L1", "Ägare"),
    ]


def test_yearly_activity_is_reminded_every_year() -> None:
    yearly = Yearly(month=11, day=15, start=date(2023, 1, 1))
    actions = simulate([facts(yearly, resolved=frozenset({"2023", "2024"}))],
                       date(2023, 1, 1), date(2025, 12, 31))
    reminders = [a for a in actions if a.kind == "reminder"]
    assert {a.occurrence_key for a in reminders} == {"2025"}
    assert [a.planned_day for a in actions if a.kind == "escalation"][:1] == [date(2025, 11, 17)]


@pytest.mark.parametrize(
    ("due", "stage", "expected"),
    [
        (date(2023, 6, 30), "d7", date(2023, 6, 22)),   # 23 Jun: midsommarafton
        (date(2024, 12, 31), "w1", date(2024, 12, 30)),  # 31 Dec itself is nyårsafton
        (date(2025, 1, 7), "w1", date(2025, 1, 3)),      # 6 Jan trettondedag jul, weekend
        (date(2024, 5, 16), "w1", date(2024, 5, 15)),    # 9 May 2024 is Ascension Day
        (date(2024, 5, 10), "w1", date(2024, 5, 8)),     # 9 May 2024 is Ascension Day
    ],
)
def test_reminders_move_to_the_working_day_before(due: date, stage: str, expected: date) -> None:
    days = dict(reminder_days(facts(Deadline(due=due)), due))
    assert days[stage] == expected
    assert all(is_working_day(day) for day in days.values())


def test_escalation_days_skip_to_the_next_working_day() -> None:
    days = escalation_days(facts(Deadline(due=date(2023, 6, 21))), date(2023, 6, 21))
    # L1: 1 working day after Wed 21 Jun is Thu 22 Jun; L2 +14 = 6 Jul;
    # L3 +30 = 5 Aug (a Saturday) -> Mon 7 Aug
    assert [d for _, d in days] == [date(2023, 6, 22), date(2023, 7, 6), date(2023, 8, 7)]


def test_checkins_of_ongoing_work_unless_recently_reported() -> None:
    ongoing = Ongoing(start=date(2023, 1, 1), checkins_per_year=2)
    actions = simulate([facts(ongoing)], date(2023, 1, 1), date(2023, 12, 31))
    assert summary(actions) == [("2023-05-15", "checkin", "checkin", "Ägare"),
                                ("2023-11-15", "checkin", "checkin", "Ägare")]
    quiet = simulate([facts(ongoing, last_reported=date(2023, 10, 20))],
                     date(2023, 10, 21), date(2023, 12, 31))
    assert quiet == []


def test_on_demand_and_disabled_get_nothing() -> None:
    assert simulate([facts(OnDemand())], date(2023, 1, 1), date(2023, 12, 31)) == []
    assert simulate([facts(Deadline(due=date(2023, 6, 1)), enabled=False)],
                    date(2023, 1, 1), date(2023, 12, 31)) == []


def test_catch_up_after_an_outage_sends_only_the_latest_reminder() -> None:
    activity = facts(Deadline(due=date(2023, 12, 31)))
    # Nothing ran from 1 Dec to 23 Dec; on 23 Dec the d30 (1 Dec) is too old and
    # d7 (22 Dec) is the latest missed one.
    assert summary(decide([activity], set(), date(2023, 12, 23))) == [
        ("2023-12-22", "reminder", "d7", "Ägare")]


def test_an_old_plan_does_not_flood_anyone() -> None:
    assert decide([facts(Deadline(due=date(2020, 12, 31)))], set(), date(2023, 5, 2)) == []


def test_no_reminder_after_the_deadline() -> None:
    activity = facts(Deadline(due=date(2023, 11, 30)))
    assert {a.kind for a in decide([activity], set(), date(2023, 12, 1))} == {"escalation"}


def test_same_person_in_two_units_gets_one_notice() -> None:
    double = facts(Deadline(due=date(2023, 12, 31)),
                   recipients={"owners": (OWNER, Person(OWNER.email.upper(), "Ägare"))})
    assert len(decide([double], set(), date(2023, 12, 1))) == 1


def test_keys_are_stable_and_name_every_part() -> None:
    action = decide([facts(Deadline(due=date(2023, 12, 31)))], set(), date(2023, 12, 1))[0]
    assert action.key == "1|deadline|reminder|d30|agare@testby.example.org|2023-12-01"
