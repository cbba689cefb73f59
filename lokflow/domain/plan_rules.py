"""Checks across a plan file that a schema cannot express: unique ids,
owners that exist, principles that exist, timelines that parse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lokflow.domain.plan_document import Activity, PlanDocument
from lokflow.domain.plan_schedules import activity_schedule
from lokflow.domain.timelines import TimelineError

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class RuleViolation:
    path: Location
    message: str


def check_plan(plan: PlanDocument) -> list[RuleViolation]:
    """Every cross-reference problem of `plan`, in file order."""
    return [
        *_period(plan),
        *_duplicates("unit", ((("units", i, "id"), u.id) for i, u in enumerate(plan.units))),
        *_duplicates(
            "principle", ((("principles", i, "id"), p.id) for i, p in enumerate(plan.principles))
        ),
        *_duplicates(
            "commitment",
            ((("commitments", i, "id"), c.id) for i, c in enumerate(plan.commitments)),
        ),
        *_duplicates("activity", (((*path, "id"), a.id) for path, a in _activities(plan))),
        *_references(plan),
        *_timelines(plan),
    ]


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


def _references(plan: PlanDocument) -> Iterator[RuleViolation]:
    units = {u.id for u in plan.units}
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
                        f"unknown unit {owner!r}; units of this plan: {', '.join(sorted(units))}",
                    )
            if activity.principle and activity.principle not in principles:
                yield RuleViolation(
                    (*path, "principle"), f"unknown principle {activity.principle!r}"
                )


def _timelines(plan: PlanDocument) -> Iterator[RuleViolation]:
    for i, commitment in enumerate(plan.commitments):
        for j, activity in enumerate(commitment.activities):
            try:
                activity_schedule(plan, activity)
            except TimelineError as error:
                yield RuleViolation(("commitments", i, "activities", j, "timeline"), str(error))
