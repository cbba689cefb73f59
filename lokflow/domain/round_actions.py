"""Reporting rounds: who must be asked, reminded or escalated today.

A round collects a status report for every open activity before a plan's
annual follow-up. It is a pure function of (round facts, sent log, today):

- The round opens `reporting_round_weeks` (default 6) weeks before the
  follow-up day; its deadline is the follow-up day itself.
- On the first working day of the round, every contact of an owner with
  unanswered activities is asked for a report (`round_request`).
- Every `round_reminder_days` (default 7) days after that, until the deadline,
  contacts whose activities are still unanswered are reminded
  (`round_reminder`). Of several missed reminders only the latest is sent,
  and none after the deadline.
- On the first working day after the deadline, the plan's coordinators hear
  which owners did not answer (`round_escalation`).
- An activity counts as answered once any report on it is given after the
  round opened. A one-time activity already reported done or cancelled
  before the round is not asked about again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from lokflow.domain.due_actions import CATCH_UP_DAYS, Person
from lokflow.domain.statuses import Status
from lokflow.domain.timelines import AnySchedule, Deadline, FollowedUp, MonthDay, Window
from lokflow.domain.working_days import on_or_after

RoundKind = Literal["round_request", "round_reminder", "round_escalation"]


@dataclass(frozen=True)
class RoundOwner:
    """One responsible unit in a round: its contacts and its activities."""

    key: str
    name: str
    contacts: tuple[Person, ...]
    activity_ids: tuple[int, ...]
    answered_ids: frozenset[int] = frozenset()

    @property
    def missing_ids(self) -> tuple[int, ...]:
        return tuple(a for a in self.activity_ids if a not in self.answered_ids)

    @property
    def answered(self) -> int:
        return len(self.activity_ids) - len(self.missing_ids)

    @property
    def rate(self) -> float:
        """The share of this owner's activities answered, 0.0 .. 1.0."""
        return self.answered / len(self.activity_ids) if self.activity_ids else 1.0


@dataclass(frozen=True)
class RoundFacts:
    """Everything the decision needs to know about one reporting round."""

    round_id: int
    opens_on: date
    deadline: date
    owners: tuple[RoundOwner, ...]
    coordinators: tuple[Person, ...]
    reminder_days: int = 7
    is_open: bool = True


@dataclass(frozen=True, order=True)
class RoundAction:
    planned_day: date
    kind: RoundKind
    recipient: Person
    key: str
    due: date
    missing: tuple[str, ...] = ()


def round_window(annual_date: MonthDay, year: int, weeks: int) -> tuple[date, date]:
    """(opening day, deadline) of the round before `year`'s follow-up day."""
    deadline = annual_date.in_year(year)
    return deadline - timedelta(weeks=weeks), deadline


def year_to_open(
    annual_date: MonthDay, weeks: int, today: date, first_year: int, last_year: int | None
) -> int | None:
    """The follow-up year whose round should be open on `today`, if any."""
    for year in (today.year, today.year + 1):
        opens, deadline = round_window(annual_date, year, weeks)
        in_period = first_year <= year and (last_year is None or year <= last_year)
        if in_period and opens <= today < deadline:
            return year
    return None


def in_round(schedule: AnySchedule, statuses: Mapping[str, str]) -> bool:
    """Whether an activity is asked about: not a one-time task already closed,
    nor a commitment followed up in the joint assessment."""
    if isinstance(schedule, FollowedUp):
        return False
    if isinstance(schedule, Deadline | Window):
        latest = statuses.get("deadline")
        return latest is None or not Status(latest).resolves
    return True


def response_rate(owners: Collection[RoundOwner]) -> tuple[int, int]:
    """(answered, total) over the distinct activities of a round."""
    total = {a for o in owners for a in o.activity_ids}
    answered = {a for o in owners for a in o.activity_ids if a in o.answered_ids}
    return len(answered), len(total)


def missing_contacts(facts: RoundFacts) -> list[Person]:
    """Contacts with at least one unanswered activity, once each."""
    found: dict[str, Person] = {}
    for owner in facts.owners:
        if owner.missing_ids:
            for person in owner.contacts:
                found.setdefault(person.email.lower(), person)
    return sorted(found.values())


def reminder_days(facts: RoundFacts) -> list[date]:
    """The planned day of each reminder: every N days after opening, before the deadline."""
    days = []
    day = facts.opens_on + timedelta(days=facts.reminder_days)
    while day < facts.deadline:
        planned = on_or_after(day)
        if planned < facts.deadline:
            days.append(planned)
        day += timedelta(days=facts.reminder_days)
    return sorted(set(days))


def escalation_day(facts: RoundFacts) -> date:
    return on_or_after(facts.deadline + timedelta(days=1))


def round_actions(
    facts: RoundFacts, sent: Collection[str], today: date, catch_up_days: int = CATCH_UP_DAYS
) -> list[RoundAction]:
    """Every round notice due on `today` that is not in the `sent` log."""
    if not facts.is_open:
        return []
    earliest = today - timedelta(days=catch_up_days)
    missing = missing_contacts(facts)
    actions = [a for a in _requests(facts, missing, earliest, today) if a.key not in sent]
    asked = {a.recipient.email.lower() for a in actions}  # a request, not also a reminder
    actions += [a for a in _reminders(facts, missing, earliest, today)
                if a.recipient.email.lower() not in asked]
    actions += _escalations(facts, earliest, today)
    return sorted(a for a in actions if a.key not in sent)


def _requests(facts: RoundFacts, people: list[Person], earliest: date,
              today: date) -> list[RoundAction]:
    planned = on_or_after(facts.opens_on)
    if not earliest <= planned <= today or planned >= facts.deadline or today > facts.deadline:
        return []
    return [RoundAction(planned, "round_request", p,
                        f"round|{facts.round_id}|request|{p.email.lower()}", facts.deadline)
            for p in people]


def _reminders(facts: RoundFacts, people: list[Person], earliest: date,
               today: date) -> list[RoundAction]:
    due_now = [d for d in reminder_days(facts) if earliest <= d <= today]
    if not due_now or today > facts.deadline:  # once the deadline passed, escalate instead
        return []
    day = due_now[-1]
    return [RoundAction(day, "round_reminder", p,
                        f"round|{facts.round_id}|reminder|{p.email.lower()}|{day.isoformat()}",
                        facts.deadline)
            for p in people]


def _escalations(facts: RoundFacts, earliest: date, today: date) -> list[RoundAction]:
    planned = escalation_day(facts)
    missing = tuple(o.name for o in facts.owners if o.missing_ids)
    if not missing or not earliest <= planned <= today:
        return []
    people = {p.email.lower(): p for p in facts.coordinators}
    return [RoundAction(planned, "round_escalation", p,
                        f"round|{facts.round_id}|escalation|{email}", facts.deadline, missing)
            for email, p in sorted(people.items())]
