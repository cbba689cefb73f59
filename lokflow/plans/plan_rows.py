"""The stored form of a plan document's parts: pure mappings from the
validated document to the values of database rows, used both to write them
and to tell what changed."""

from __future__ import annotations

from typing import Any

from lokflow.domain.inferred import activity_inferred
from lokflow.domain.plan_document import Activity as ActivityDoc
from lokflow.domain.plan_document import Commitment as CommitmentDoc
from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_schedules import activity_schedule, schedule_as_json


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
    schedule = activity_schedule(plan, activity)
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
        "schedule": schedule_as_json(schedule),
        "policy": effective_policy(plan, activity),
        "location": activity.location,
        "note": activity.note,
        "inferred": activity_inferred(plan, activity, schedule),
    }


def contact_fields(person: Any) -> dict[str, Any]:
    """The stored form of one contact (a coordinator, a unit's contact ...)."""
    return {
        "name": person.name,
        "role": person.role,
        "language": str(person.language),
        "archived": False,
        "placeholder": bool(getattr(person, "placeholder", False)),
    }
