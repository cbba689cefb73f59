"""Checks across a plan file that a schema cannot express: unique ids,
owners that exist, principles that exist, timelines that parse."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lokflow.domain.plan_document import Activity, PlanDocument
from lokflow.domain.plan_schedules import activity_schedule
from lokflow.domain.recurrence_rules import MAX_RULES_PER_PLAN
from lokflow.domain.timelines import TimelineError, is_rrule

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class RuleViolation:
    path: Location
    message: str


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
                activity_schedule(plan, activity)
            except TimelineError as error:
                yield RuleViolation(path, str(error))
