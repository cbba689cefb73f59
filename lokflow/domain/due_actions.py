"""What is due today: reminders, check-ins and escalations.

A pure function of (activities, reports, policies, sent log, today). The daily
sweep and the per-plan flows both call `decide`; the outbox's unique keys make
their results idempotent. Rules:

- A deadline (or a yearly occurrence) is reminded N days and N working days
  before it (default 30 and 7 days, 1 working day). A reminder that falls on
  a weekend or holiday goes out on the working day before.
- An ongoing activity gets a check-in on each check-in day (moved to the
  working day before) unless someone reported within 30 days before it.
- An occurrence is resolved by a `done` or `cancelled` report; an accepted
  new date replaces its deadline.
- An unresolved deadline escalates level by level (default: owners on the
  first working day after, escalation contacts 14 days later, coordinators 30
  days after that). Escalation days that fall on a non-working day move to
  the next working day. Each level is sent once per occurrence.
- Escalation never comes before a reminder: level N+1 goes out only after
  level N was actually sent (the `history`, read from the outbox), counted
  from the day it was sent. A level above the owners' needs the owners to
  have been told first.
- Only actions planned within the last `catch_up_days` are sent: a lost run
  is caught up. Of several missed reminders for one occurrence, only the
  latest is sent, and no reminder is sent once its deadline has passed.
- A system that starts late (first start, downtime, a plan loaded late) sends
  the owners a `late` notice instead of what it missed, and the escalation
  clock starts from that day. Deadlines more than `late_horizon_days` in the
  past that were never notified get no mail: they are shown as overdue.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from lokflow.domain.notice_history import NO_HISTORY, History
from lokflow.domain.occurrences import Occurrence, PlanCalendar, occurrences
from lokflow.domain.timelines import AnySchedule, FollowedUp, OnDemand
from lokflow.domain.working_days import add_working_days, on_or_after, on_or_before

ActionKind = Literal["reminder", "checkin", "escalation", "late"]
Audience = Literal["owners", "escalation_contacts", "coordinators", "steering_group"]


@dataclass(frozen=True, order=True)
class Person:
    email: str
    name: str
    language: str = "sv"


@dataclass(frozen=True)
class EscalationStep:
    level: int
    to: Audience
    days_after: int
    working_day: bool = False


@dataclass(frozen=True)
class ActivityFacts:
    """Everything the decision needs to know about one activity."""

    activity_id: int
    schedule: AnySchedule
    calendar: PlanCalendar
    recipients: Mapping[str, tuple[Person, ...]]
    days_before: tuple[int, ...] = (30, 7)
    working_days_before: tuple[int, ...] = (1,)
    escalation: tuple[EscalationStep, ...] = ()
    enabled: bool = True
    resolved: frozenset[str] = frozenset()
    last_reported: date | None = None
    moved: Mapping[str, date] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class DueAction:
    planned_day: date
    activity_id: int
    occurrence_key: str
    kind: ActionKind
    stage: str
    recipient: Person
    due: date
    level: int = 0
    audience: str = "owners"

    @property
    def key(self) -> str:
        """The idempotency key: activity, occurrence, kind, level, recipient, day."""
        return (
            f"{self.activity_id}|{self.occurrence_key}|{self.kind}|{self.stage}|"
            f"{self.recipient.email.lower()}|{self.planned_day.isoformat()}"
        )


CATCH_UP_DAYS = 7
LATE_HORIZON_DAYS = 366
CHECKIN_COVER = timedelta(days=30)  # a report this close before a check-in answers it


def decide(
    activities: Iterable[ActivityFacts],
    sent: Collection[str],
    today: date,
    catch_up_days: int = CATCH_UP_DAYS,
    history: History | None = None,
    late_horizon_days: int = LATE_HORIZON_DAYS,
) -> list[DueAction]:
    """Every action due on `today` that is not in the `sent` log, in a stable order.

    `history` is what was actually sent per (activity id, occurrence key)."""
    window = _Window(today, today - timedelta(days=catch_up_days),
                     today - timedelta(days=late_horizon_days), history or {})
    found: list[DueAction] = []
    for facts in activities:
        if not facts.enabled or isinstance(facts.schedule, OnDemand | FollowedUp):
            continue
        for occurrence in _relevant_occurrences(facts, today, catch_up_days, late_horizon_days):
            found.extend(_for_occurrence(facts, occurrence, window))
    return sorted(a for a in found if a.key not in sent)


@dataclass(frozen=True)
class _Window:
    today: date
    earliest: date
    horizon: date
    history: History


def _relevant_occurrences(
    facts: ActivityFacts, today: date, catch_up: int, horizon: int
) -> list[Occurrence]:
    """Occurrences whose reminders or escalations could fall within the window,
    with accepted new dates applied."""
    lookahead = max((*facts.days_before, *(d * 2 + 4 for d in facts.working_days_before), 0))
    lookback = max(horizon, sum(step.days_after * 2 + 4 for step in facts.escalation))
    start = today - timedelta(days=lookback + catch_up + 10)
    end = today + timedelta(days=lookahead + catch_up + 10)
    if facts.moved:
        start, end = start - timedelta(days=3 * 366), end + timedelta(days=3 * 366)
    moved = [
        Occurrence(facts.moved.get(o.key, o.due), o.key, o.kind)
        for o in occurrences(facts.schedule, facts.calendar, start, end)
    ]
    return [o for o in moved if o.key not in facts.resolved]


def _for_occurrence(facts: ActivityFacts, occurrence: Occurrence, w: _Window) -> list[DueAction]:
    if occurrence.kind == "checkin":
        if facts.last_reported and facts.last_reported >= occurrence.due - CHECKIN_COVER:
            return []
        planned = on_or_before(occurrence.due)
        if w.earliest <= planned <= w.today:
            return _to(facts, "owners", occurrence, "checkin", "checkin", planned)
        return []
    if occurrence.due >= w.today:
        return _latest_reminder(facts, occurrence, w.today, w.earliest)
    return _escalations(facts, occurrence, w)


def reminder_days(facts: ActivityFacts, due: date) -> list[tuple[str, date]]:
    """(stage, planned day) of each reminder before `due`; one per day."""
    stages = [(f"d{n}", on_or_before(due - timedelta(days=n))) for n in facts.days_before]
    stages += [(f"w{n}", add_working_days(due, -n)) for n in facts.working_days_before]
    by_day: dict[date, str] = {}
    for stage, day in sorted(stages, key=lambda s: s[1]):
        by_day.setdefault(day, stage)
    return sorted(((stage, day) for day, stage in by_day.items()), key=lambda s: s[1])


def _latest_reminder(
    facts: ActivityFacts, occurrence: Occurrence, today: date, earliest: date
) -> list[DueAction]:
    due_now = [
        (stage, day)
        for stage, day in reminder_days(facts, occurrence.due)
        if earliest <= day <= today and day <= occurrence.due
    ]
    if not due_now:
        return []
    stage, day = due_now[-1]
    return _to(facts, "owners", occurrence, "reminder", stage, day)


def step_day(step: EscalationStep, anchor: date) -> date:
    """The day a level falls due, counted from its anchor (the deadline, or the
    day the level before it was sent)."""
    if step.working_day:
        return add_working_days(anchor, step.days_after)
    return on_or_after(anchor + timedelta(days=step.days_after))


def escalation_days(facts: ActivityFacts, due: date) -> list[tuple[EscalationStep, date]]:
    """The planned day of each escalation level after a missed deadline, when
    every level goes out on time."""
    days = []
    previous = due
    for step in sorted(facts.escalation, key=lambda s: s.level):
        planned = step_day(step, previous)
        days.append((step, planned))
        previous = planned
    return days


def _escalations(facts: ActivityFacts, occurrence: Occurrence, w: _Window) -> list[DueAction]:
    """The next level of this occurrence's escalation, or a late notice to the
    owners when the system is late for it; at most one step per run."""
    seen = w.history.get((facts.activity_id, occurrence.key), NO_HISTORY)
    if seen.pending or (not seen.anything and occurrence.due < w.horizon):
        return []
    anchor = occurrence.due
    told = seen.told is not None or not facts.recipients.get("owners")
    for step in sorted(facts.escalation, key=lambda s: s.level):
        done = seen.levels.get(step.level)
        if done is not None:
            anchor, told = max(anchor, done), True
            continue
        if seen.late is not None and seen.late >= anchor:
            anchor, told = seen.late, True
        planned = step_day(step, anchor)
        if planned > w.today:
            return []
        if not facts.recipients.get(step.to):
            anchor = planned  # nobody at this level: the next one counts from here
            continue
        if planned >= w.earliest and (told or step.to == "owners"):
            return _to(facts, step.to, occurrence, "escalation", f"L{step.level}", planned,
                       step.level)
        stands_for = step.level if step.to == "owners" else 0
        return _to(facts, "owners", occurrence, "late", f"L{stands_for}", w.today, stands_for)
    return []


def _to(
    facts: ActivityFacts,
    audience: str,
    occurrence: Occurrence,
    kind: ActionKind,
    stage: str,
    planned: date,
    level: int = 0,
) -> list[DueAction]:
    people = {p.email.lower(): p for p in facts.recipients.get(audience, ())}
    return [
        DueAction(planned, facts.activity_id, occurrence.key, kind, stage, person,
                  occurrence.due, level, audience)
        for person in people.values()
    ]


def planned_days(facts: ActivityFacts, start: date, end: date) -> set[date]:
    """Every day in [start, end] on which this activity may have something to
    send: the dates its scheduled run should fire on."""
    if not facts.enabled or isinstance(facts.schedule, OnDemand | FollowedUp):
        return set()
    lookback = sum(step.days_after * 2 + 4 for step in facts.escalation)
    lookahead = max((*facts.days_before, *(d * 2 + 4 for d in facts.working_days_before), 0))
    window_start = start - timedelta(days=lookback + 10)
    window_end = end + timedelta(days=lookahead + 10)
    found: set[date] = set()
    for original in occurrences(facts.schedule, facts.calendar, window_start, window_end):
        if original.key in facts.resolved:
            continue
        due = facts.moved.get(original.key, original.due)
        if original.kind == "checkin":
            found.add(on_or_before(due))
            continue
        found.update(day for _, day in reminder_days(facts, due))
        found.update(day for _, day in escalation_days(facts, due))
    for key, due in facts.moved.items():
        if key not in facts.resolved:
            found.update(day for _, day in reminder_days(facts, due))
            found.update(day for _, day in escalation_days(facts, due))
    return {day for day in found if start <= day <= end}
