"""What a timeline becomes, and which future notices an edit changes: the
reminders, check-ins and escalations an activity would get, computed from
the plan document alone with the engine's own rules (due_actions), before
any status report resolves them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from lokflow.domain.due_actions import (
    ActivityFacts,
    EscalationStep,
    Person,
    escalation_days,
    reminder_days,
)
from lokflow.domain.occurrences import Occurrence, PlanCalendar, occurrences
from lokflow.domain.plan_document import Activity, PlanDocument
from lokflow.domain.plan_schedules import activity_schedule, checkins_per_year, timeline_context
from lokflow.domain.timelines import (
    AnySchedule,
    FollowedUp,
    MonthDay,
    OnDemand,
    TimelineContext,
    TimelineError,
    parse_timeline,
)
from lokflow.domain.working_days import on_or_before
from lokflow.plans.plan_rows import effective_policy

HORIZON_DAYS = 365


@dataclass(frozen=True, order=True)
class Notice:
    day: date
    kind: str
    due: date
    audience: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class TimelinePreview:
    schedule: AnySchedule | None
    kind: str
    upcoming: tuple[Occurrence, ...]
    reminders: tuple[date, ...]
    error: str | None = None


def calendar_of(plan: PlanDocument) -> PlanCalendar:
    end = date(plan.period.end, 12, 31) if plan.period.end else None
    return PlanCalendar(MonthDay.parse(plan.follow_up.annual_date), end)


def preview_timeline(plan: PlanDocument, text: str, annual_date: str | None,
                     today: date) -> TimelinePreview:
    """The schedule a timeline phrase becomes, its next dates and reminder days."""
    base = timeline_context(plan)
    try:
        own = MonthDay.parse(annual_date) if annual_date else None
        schedule = parse_timeline(text, TimelineContext(
            base.annual_date, base.adopted, base.period_start, base.checkins_per_year),
            annual_date=own)
    except (TimelineError, ValueError) as error:
        return TimelinePreview(None, "", (), (), str(error))
    calendar = calendar_of(plan)
    upcoming = tuple(occurrences(schedule, calendar, today, today + timedelta(days=3 * 366))[:6])
    facts = _facts(plan, None, schedule)
    first = next((o for o in upcoming if o.kind == "deadline"), None)
    reminders = tuple(day for _, day in reminder_days(facts, first.due)) if first else ()
    return TimelinePreview(schedule, schedule.kind, upcoming, reminders)


def _facts(plan: PlanDocument, activity: Activity | None, schedule: AnySchedule
           ) -> ActivityFacts:
    policy: dict[str, Any] = effective_policy(plan, activity) if activity else {
        "enabled": True, "reminders": plan.policy.reminders.model_dump(mode="json"),
        "escalation": [s.model_dump(mode="json") for s in plan.policy.escalation]}
    return ActivityFacts(
        activity_id=0, schedule=schedule, calendar=calendar_of(plan),
        recipients=_recipients(plan, activity) if activity else {},
        days_before=tuple(policy["reminders"]["days_before"]),
        working_days_before=tuple(policy["reminders"]["working_days_before"]),
        escalation=tuple(EscalationStep(s["level"], s["to"], s["days_after"],
                                        s.get("working_day", False))
                         for s in policy["escalation"]),
        enabled=policy["enabled"])


def _recipients(plan: PlanDocument, activity: Activity) -> dict[str, tuple[Person, ...]]:
    units = {u.id: u for u in plan.units}
    owners = [units[k] for k in activity.owners if k in units]
    return {
        "owners": tuple(Person(c.email, c.name) for u in owners for c in u.contacts),
        "escalation_contacts": tuple(Person(u.escalation.email, u.escalation.name)
                                     for u in owners if u.escalation),
        "coordinators": tuple(Person(c.email, c.name) for c in plan.coordinators),
        "steering_group": tuple(Person(c.email, c.name) for c in plan.steering_group),
    }


def planned_notices(plan: PlanDocument, activity: Activity, today: date,
                    days: int = HORIZON_DAYS) -> set[Notice]:
    """Every notice the activity would get in [today, today + days]."""
    try:
        schedule = activity_schedule(plan, activity)
    except TimelineError:
        return set()
    facts = _facts(plan, activity, schedule)
    if not facts.enabled or isinstance(schedule, OnDemand | FollowedUp):
        return set()
    end = today + timedelta(days=days)
    found: set[Notice] = set()
    for occurrence in occurrences(schedule, facts.calendar, today - timedelta(days=200),
                                  end + timedelta(days=60)):
        found.update(_for(facts, occurrence))
    return {n for n in found if today <= n.day <= end}


def _for(facts: ActivityFacts, occurrence: Occurrence) -> list[Notice]:
    def people(audience: str) -> tuple[str, ...]:
        return tuple(sorted(p.email for p in facts.recipients.get(audience, ())))

    due = occurrence.due
    if occurrence.kind == "checkin":
        return [Notice(on_or_before(due), "checkin", due, "owners", people("owners"))]
    found = [Notice(day, "reminder", due, "owners", people("owners"))
             for _, day in reminder_days(facts, due)]
    found += [Notice(day, "escalation", due, step.to, people(step.to))
              for step, day in escalation_days(facts, due)]
    return found


@dataclass(frozen=True)
class NoticeChange:
    activity: str
    added: tuple[Notice, ...]
    removed: tuple[Notice, ...]


def notice_changes(old: PlanDocument | None, new: PlanDocument, keys: list[str],
                   today: date) -> list[NoticeChange]:
    """For the activities `keys`, the notices the change adds and takes away."""
    before = {a.id: a for _, a in old.activities()} if old else {}
    after = {a.id: a for _, a in new.activities()}
    found = []
    for key in keys:
        was = planned_notices(old, before[key], today) if old and key in before else set()
        now = planned_notices(new, after[key], today) if key in after else set()
        if was != now:
            found.append(NoticeChange(key, tuple(sorted(now - was)), tuple(sorted(was - now))))
    return found


def checkins(plan: PlanDocument, activity: Activity) -> int:
    return checkins_per_year(plan, activity)
