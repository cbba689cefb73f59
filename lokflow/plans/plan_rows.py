"""The stored form of a plan document's parts: pure mappings from the
validated document to the values of database rows, used both to write them
and to tell what changed."""

from __future__ import annotations

from typing import Any

from lokflow.domain.inferred import activity_inferred
from lokflow.domain.plan_document import Activity as ActivityDoc
from lokflow.domain.plan_document import Commitment as CommitmentDoc
from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_schedules import (
    activity_schedule,
    checkins_per_year,
    schedule_as_json,
)
from lokflow.domain.timelines import AnySchedule


def effective_policy(plan: PlanDocument, activity: ActivityDoc) -> dict[str, Any]:
    """The plan's reminder and escalation policy with the activity's overrides."""
    override = activity.policy
    reminders = (override.reminders if override and override.reminders else None) or (
        plan.policy.reminders
    )
    escalation = (override.escalation if override and override.escalation else None) or (
        plan.policy.escalation
    )
    return {
        "enabled": override.enabled if override else True,
        "reminders": reminders.model_dump(mode="json"),
        "escalation": [level.model_dump(mode="json") for level in escalation],
    }


def activity_fields(
    plan: PlanDocument, commitment: CommitmentDoc, activity: ActivityDoc
) -> dict[str, Any]:
    """The stored form of one activity, used both to write and to compare."""
    return ActivityRows(plan).fields(commitment, activity)


class ActivityRows:
    """`activity_fields` for many activities of one plan. Timelines and
    policies repeat across a plan's activities (`Årligen`, the plan's own
    policy), so each distinct schedule is parsed once and the plan's policy
    dumped once: a national sync is 30,000 activities. The shared values
    are read-only."""

    def __init__(self, plan: PlanDocument) -> None:
        self.plan = plan
        self._schedules: dict[tuple[Any, ...], tuple[AnySchedule, dict[str, Any]]] = {}
        self._plan_policy: dict[str, Any] | None = None

    def fields(self, commitment: CommitmentDoc, activity: ActivityDoc) -> dict[str, Any]:
        """The stored form of one activity, used both to write and to compare."""
        schedule, schedule_json = self._schedule(activity)
        return {
            "number": activity.number,
            "party": str(activity.party or commitment.party),
            "principle_key": activity.principle or commitment.principle,
            "text": activity.text,
            "owner_keys": list(activity.owners),
            "responsible_as_written": activity.responsible_as_written,
            "commissioner": activity.commissioner,
            "executor": activity.executor,
            "partners": list(activity.partners),
            "timeline": activity.timeline,
            "timeline_note": activity.timeline_note,
            "schedule": schedule_json,
            "policy": self._policy(activity),
            "location": activity.location,
            "note": activity.note,
            "inferred": activity_inferred(self.plan, activity, schedule),
        }

    def _schedule(self, activity: ActivityDoc) -> tuple[AnySchedule, dict[str, Any]]:
        """What `activity_schedule` reads besides the plan: kind, timeline,
        check-ins per year and the activity's own annual date."""
        key = (activity.kind, activity.timeline, checkins_per_year(self.plan, activity),
               activity.annual_date)
        if key not in self._schedules:
            schedule = activity_schedule(self.plan, activity)
            self._schedules[key] = (schedule, schedule_as_json(schedule))
        return self._schedules[key]

    def _policy(self, activity: ActivityDoc) -> dict[str, Any]:
        if activity.policy is not None:
            return effective_policy(self.plan, activity)
        if self._plan_policy is None:
            self._plan_policy = effective_policy(self.plan, activity)
        return self._plan_policy


def contact_fields(person: Any) -> dict[str, Any]:
    """The stored form of one contact (a coordinator, a unit's contact ...)."""
    return {
        "name": person.name,
        "role": person.role,
        "language": str(person.language),
        "archived": False,
        "placeholder": bool(getattr(person, "placeholder", False)),
    }
