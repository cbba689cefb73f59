"""Checks across a plan file that a schema cannot express: unique ids,
owners that exist, principles that exist, timelines that parse."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from lokflow.domain.plan_document import Activity, PlanDocument
from lokflow.domain.plan_schedules import activity_schedule
from lokflow.domain.recurrence_rules import MAX_RULES_PER_PLAN
from lokflow.domain.timelines import (
    AnySchedule,
    Deadline,
    Ongoing,
    TimelineError,
    Window,
    is_rrule,
)

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class RuleViolation:
    """A problem at `path`; its explanation may be a function, worked out only
    when the message is read (see `TimelineError`)."""

    path: Location
    explanation: str | Callable[[], str]

    @property
    def message(self) -> str:
        return self.explanation() if callable(self.explanation) else self.explanation


def check_plan(plan: PlanDocument) -> list[RuleViolation]:
    """Every cross-reference problem of `plan`, in file order."""
    return list(violations(plan))


def violations(plan: PlanDocument) -> Iterator[RuleViolation]:
    """The problems of `plan` one by one, so that a reader can stop after a few."""
    yield from itertools.chain(
        _period(plan),
        _duplicates("unit", ((("units", i, "id"), u.id) for i, u in enumerate(plan.units))),
        _duplicates(
            "principle", ((("principles", i, "id"), p.id) for i, p in enumerate(plan.principles))
        ),
        _duplicates(
            "commitment",
            ((("commitments", i, "id"), c.id) for i, c in enumerate(plan.commitments)),
        ),
        _duplicates("activity", (((*path, "id"), a.id) for path, a in _activities(plan))),
        _references(plan),
        _timelines(plan),
    )


def _activities(plan: PlanDocument) -> Iterator[tuple[Location, Activity]]:
    for i, commitment in enumerate(plan.commitments):
        for j, activity in enumerate(commitment.activities):
            yield ("commitments", i, "activities", j), activity


def _period(plan: PlanDocument) -> list[RuleViolation]:
    end = plan.period.end
    if end is not None and end < plan.period.start:
        return [RuleViolation(("period", "end"), f"the period ends ({end}) before it starts")]
    return []


def _duplicates(what: str, items: Iterable[tuple[Location, str]]) -> Iterator[RuleViolation]:
    seen: set[str] = set()
    for path, key in items:
        if key in seen:
            yield RuleViolation(path, f"duplicate {what} id {key!r}")
        seen.add(key)


def _some(names: set[str], shown: int = 10) -> str:
    """A few names in order; a plan may have hundreds of units."""
    first = sorted(names)
    if len(first) <= shown:
        return ", ".join(first)
    return ", ".join(first[:shown]) + f", … ({len(first)} in all)"


def _references(plan: PlanDocument) -> Iterator[RuleViolation]:
    units = {u.id for u in plan.units}
    known_units = _some(units)
    principles = {p.id for p in plan.principles}
    for i, commitment in enumerate(plan.commitments):
        if commitment.principle and commitment.principle not in principles:
            yield RuleViolation(
                ("commitments", i, "principle"), f"unknown principle {commitment.principle!r}"
            )
        for j, activity in enumerate(commitment.activities):
            path: Location = ("commitments", i, "activities", j)
            for k, owner in enumerate(activity.owners):
                if owner not in units:
                    yield RuleViolation(
                        (*path, "owners", k),
                        f"unknown unit {owner!r}; units of this plan: {known_units}",
                    )
            if activity.principle and activity.principle not in principles:
                yield RuleViolation(
                    (*path, "principle"), f"unknown principle {activity.principle!r}"
                )


def _timelines(plan: PlanDocument) -> Iterator[RuleViolation]:
    """Each timeline parses; a plan has at most MAX_RULES_PER_PLAN different RRULEs,
    so that checking their dates stays cheap whatever the file holds."""
    rules: set[str] = set()
    for i, commitment in enumerate(plan.commitments):
        for j, activity in enumerate(commitment.activities):
            path: Location = ("commitments", i, "activities", j, "timeline")
            if is_rrule(activity.timeline):
                rules.add(activity.timeline.strip())
                if len(rules) > MAX_RULES_PER_PLAN:
                    yield RuleViolation(path, f"more than {MAX_RULES_PER_PLAN} different RRULE "
                                              "timelines in one plan; write the others in words")
                    continue
            try:
                schedule = activity_schedule(plan, activity)
            except TimelineError as error:
                yield RuleViolation(path, error.with_traceback(None).__str__)  # no frames kept
                continue
            outside = _outside_period(plan, schedule)
            if outside and not activity.outside_period:
                yield RuleViolation(path, f"{outside}; fix the timeline, or confirm it with "
                                          "'outside_period: true' on the activity")


def _period_text(plan: PlanDocument) -> str:
    return f"{plan.period.start}–{plan.period.end or ''}"


def _outside_period(plan: PlanDocument, schedule: AnySchedule) -> str | None:
    """Why a deadline or window lies outside the plan's period, or None."""
    days = []
    if isinstance(schedule, Deadline):
        days = [schedule.due]
    elif isinstance(schedule, Window):
        days = [schedule.start, schedule.end]
    elif isinstance(schedule, Ongoing) and schedule.initial_deadline:
        days = [schedule.initial_deadline]
    first = date(plan.period.start, 1, 1)
    last = date(plan.period.end, 12, 31) if plan.period.end else date.max
    for day in days:
        if not first <= day <= last:
            return (f"the date {day.isoformat()} lies outside the plan's period "
                    f"({_period_text(plan)})")
    return None


def plan_warnings(plan: PlanDocument) -> Iterator[RuleViolation]:
    """What `validate` shows but does not refuse: placeholder addresses (mail to
    them stays in the maildir) and dates confirmed outside the period."""
    for i, unit in enumerate(plan.units):
        for j, contact in enumerate(unit.contacts):
            if contact.placeholder:
                yield RuleViolation(("units", i, "contacts", j, "email"),
                                    f"placeholder address {contact.email} for {unit.name}: "
                                    "mail to it is kept, never sent over SMTP")
        if unit.escalation and unit.escalation.placeholder:
            yield RuleViolation(("units", i, "escalation", "email"),
                                f"placeholder escalation address {unit.escalation.email} for "
                                f"{unit.name}: mail to it is kept, never sent over SMTP")
    for group in ("coordinators", "steering_group"):
        for k, contact in enumerate(getattr(plan, group)):
            if contact.placeholder:
                yield RuleViolation((group, k, "email"),
                                    f"placeholder address {contact.email}: mail to it is kept, "
                                    "never sent over SMTP")
    for path, activity in _activities(plan):
        if activity.outside_period:
            yield RuleViolation((*path, "outside_period"),
                                "the date lies outside the plan's period (confirmed)")
