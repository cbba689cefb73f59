"""Gathers, in a few bulk queries, what the decision function needs to know
about each activity: schedule, policy, recipients, reports and moved dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.due_actions import ActivityFacts, EscalationStep, Person
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.services.activity_queries import plan_calendar
from lokflow.store import tables as t


def active_activities(session: Session, plans: Collection[str] | None = None) -> list[t.Activity]:
    query = (
        select(t.Activity)
        .join(t.Plan)
        .where(t.Activity.archived.is_(False), t.Plan.archived.is_(False))
        .order_by(t.Activity.id)
    )
    if plans:
        query = query.where(t.Plan.slug.in_(list(plans)))
    return list(session.scalars(query))


def contacts_by_plan(session: Session, plan_ids: Collection[int]) -> dict[int, list[t.Contact]]:
    found: dict[int, list[t.Contact]] = defaultdict(list)
    query = select(t.Contact).where(
        t.Contact.archived.is_(False), t.Contact.plan_id.in_(list(plan_ids))
    )
    for contact in session.scalars(query):
        found[contact.plan_id].append(contact)
    return found


def person(contact: t.Contact) -> Person:
    return Person(email=contact.email, name=contact.name, language=contact.language)


def recipients_of(activity: t.Activity, contacts: list[t.Contact]) -> dict[str, tuple[Person, ...]]:
    owners = set(activity.owner_keys)
    pick: dict[str, list[Person]] = {
        "owners": [], "escalation_contacts": [], "coordinators": [], "steering_group": []}
    for contact in contacts:
        if contact.kind == "contact" and contact.unit_key in owners:
            pick["owners"].append(person(contact))
        elif contact.kind == "escalation" and contact.unit_key in owners:
            pick["escalation_contacts"].append(person(contact))
        elif contact.kind == "coordinator":
            pick["coordinators"].append(person(contact))
        elif contact.kind == "steering":
            pick["steering_group"].append(person(contact))
    if not pick["steering_group"]:
        pick["steering_group"] = list(pick["coordinators"])
    return {audience: tuple(sorted(set(people))) for audience, people in pick.items()}


def latest_statuses(
    session: Session, activity_ids: Collection[int]
) -> tuple[dict[int, dict[str, str]], dict[int, date]]:
    """Latest status per (activity, occurrence), and the day of each activity's
    latest report."""
    latest: dict[int, dict[str, str]] = defaultdict(dict)
    last_day: dict[int, date] = {}
    query = (
        select(t.StatusReport.activity_id, t.StatusReport.occurrence_key,
               t.StatusReport.status, t.StatusReport.created_at)
        .where(t.StatusReport.activity_id.in_(list(activity_ids)))
        .order_by(t.StatusReport.created_at, t.StatusReport.id)
    )
    for activity_id, occurrence, status, created in session.execute(query):
        latest[activity_id][occurrence] = status
        last_day[activity_id] = created.date()
    return latest, last_day


def accepted_dates(session: Session, activity_ids: Collection[int]) -> dict[int, dict[str, date]]:
    moved: dict[int, dict[str, date]] = defaultdict(dict)
    query = (
        select(t.DateChange)
        .where(t.DateChange.activity_id.in_(list(activity_ids)),
               t.DateChange.decision == "accepted")
        .order_by(t.DateChange.decided_at, t.DateChange.id)
    )
    for change in session.scalars(query):
        moved[change.activity_id][change.occurrence_key] = change.proposed_date
    return moved


def _escalation(policy: dict[str, Any]) -> tuple[EscalationStep, ...]:
    return tuple(
        EscalationStep(level=s["level"], to=s["to"], days_after=s["days_after"],
                       working_day=s.get("working_day", False))
        for s in policy["escalation"]
    )


def load_facts(session: Session, plans: Collection[str] | None = None) -> list[ActivityFacts]:
    activities = active_activities(session, plans)
    ids = [a.id for a in activities]
    contacts = contacts_by_plan(session, {a.plan_id for a in activities})
    statuses, last_day = latest_statuses(session, ids)
    moved = accepted_dates(session, ids)
    calendars = {a.plan_id: plan_calendar(a.plan) for a in activities}
    facts = []
    for activity in activities:
        policy = activity.policy
        resolved = frozenset(
            occurrence for occurrence, status in statuses.get(activity.id, {}).items()
            if Status(status).resolves
        )
        facts.append(ActivityFacts(
            activity_id=activity.id,
            schedule=schedule_from_json(activity.schedule),
            calendar=calendars[activity.plan_id],
            recipients=recipients_of(activity, contacts.get(activity.plan_id, [])),
            days_before=tuple(policy["reminders"]["days_before"]),
            working_days_before=tuple(policy["reminders"]["working_days_before"]),
            escalation=_escalation(policy),
            enabled=policy.get("enabled", True),
            resolved=resolved,
            last_reported=last_day.get(activity.id),
            moved=moved.get(activity.id, {}),
        ))
    return facts
