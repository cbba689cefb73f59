"""Gathers, in a few bulk queries, what the decision function needs to know
about each activity: schedule, policy, recipients, reports and moved dates."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.due_actions import ActivityFacts, EscalationStep, Person
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.report_queries import (
    accepted_dates_where,
    last_report_days,
    resolved_occurrences,
)
from lokflow.store import tables as t


def person(contact: t.Contact) -> Person:
    return Person(email=contact.email, name=contact.name, language=contact.language)


def _escalation(policy: dict[str, Any]) -> tuple[EscalationStep, ...]:
    return tuple(
        EscalationStep(level=s["level"], to=s["to"], days_after=s["days_after"],
                       working_day=s.get("working_day", False))
        for s in policy["escalation"]
    )


class _Parsed:
    """Schedules, policies and owner lists repeat across thousands of
    activities: read them as JSON text and parse each distinct text once."""

    def __init__(self) -> None:
        self.schedules: dict[str, Any] = {}
        self.policies: dict[str, tuple[Any, ...]] = {}
        self.owners: dict[str, tuple[str, ...]] = {}

    def schedule(self, text: str) -> Any:
        if text not in self.schedules:
            self.schedules[text] = schedule_from_json(json.loads(text))
        return self.schedules[text]

    def policy(self, text: str) -> tuple[Any, ...]:
        if text not in self.policies:
            data = json.loads(text)
            self.policies[text] = (tuple(data["reminders"]["days_before"]),
                                   tuple(data["reminders"]["working_days_before"]),
                                   _escalation(data), data.get("enabled", True))
        return self.policies[text]

    def owner_keys(self, text: str) -> tuple[str, ...]:
        if text not in self.owners:
            self.owners[text] = tuple(json.loads(text))
        return self.owners[text]


def _recipient_groups(contacts: list[t.Contact]) -> dict[str, Any]:
    """Per plan: each unit's contacts and escalation contacts, coordinators, steering."""
    units: dict[str, list[Person]] = defaultdict(list)
    escalation: dict[str, list[Person]] = defaultdict(list)
    coordinators: list[Person] = []
    steering: list[Person] = []
    for contact in contacts:
        if contact.kind == ContactKind.CONTACT:
            units[contact.unit_key].append(person(contact))
        elif contact.kind == ContactKind.ESCALATION:
            escalation[contact.unit_key].append(person(contact))
        elif contact.kind == ContactKind.COORDINATOR:
            coordinators.append(person(contact))
        elif contact.kind == ContactKind.STEERING:
            steering.append(person(contact))
    return {"units": units, "escalation": escalation,
            "coordinators": tuple(sorted(set(coordinators))),
            "steering_group": tuple(sorted(set(steering or coordinators)))}


@dataclass
class FactRows:
    """The raw rows the decision needs, fetched in a few column queries."""

    plans: list[t.Plan]
    activities: list[Any]
    contacts: list[t.Contact]
    resolved: dict[int, frozenset[str]]
    last_day: dict[int, date]
    moved: dict[int, dict[str, date]]


def fetch_fact_rows(session: Session, zone: ZoneInfo,
                    plans: Collection[str] | None = None) -> FactRows:
    plan_query = select(t.Plan).where(t.Plan.archived.is_(False))
    if plans:
        plan_query = plan_query.where(t.Plan.slug.in_(list(plans)))
    plan_rows = list(session.scalars(plan_query))
    plan_ids = [p.id for p in plan_rows]
    active = (t.Activity.archived.is_(False)) & t.Activity.plan_id.in_(plan_ids)
    rows = session.execute(
        select(t.Activity.id, t.Activity.plan_id, cast(t.Activity.owner_keys, Text),
               cast(t.Activity.schedule, Text), cast(t.Activity.policy, Text))
        .where(active).order_by(t.Activity.id)).all()
    contacts = list(session.scalars(select(t.Contact).where(
        t.Contact.archived.is_(False), t.Contact.plan_id.in_(plan_ids))))
    return FactRows(plan_rows, list(rows), contacts, resolved_occurrences(session, active),
                    last_report_days(session, active, zone), accepted_dates_where(session, active))


def active_activities(session: Session, plans: Collection[str] | None = None) -> Any:
    """The where-clause of the active activities of `plans` (or of all plans)."""
    plan_query = select(t.Plan.id).where(t.Plan.archived.is_(False))
    if plans:
        plan_query = plan_query.where(t.Plan.slug.in_(list(plans)))
    return t.Activity.archived.is_(False) & t.Activity.plan_id.in_(plan_query)


def load_facts(session: Session, zone: ZoneInfo,
               plans: Collection[str] | None = None) -> list[ActivityFacts]:
    """Facts of every active activity (of `plans`, or of all plans): this is
    the daily sweep's hot path, so rows come as columns and repeated JSON is
    parsed once."""
    return build_facts(fetch_fact_rows(session, zone, plans))


def build_facts(rows: FactRows) -> list[ActivityFacts]:
    calendars = {p.id: plan_calendar(p) for p in rows.plans}
    contacts: dict[int, list[t.Contact]] = defaultdict(list)
    for contact in rows.contacts:
        contacts[contact.plan_id].append(contact)
    groups = {plan_id: _recipient_groups(found) for plan_id, found in contacts.items()}
    parsed = _Parsed()
    audiences: dict[tuple[int, tuple[str, ...]], dict[str, tuple[Person, ...]]] = {}
    facts = []
    for activity_id, plan_id, owner_text, schedule, policy in rows.activities:
        owners = (plan_id, parsed.owner_keys(owner_text))
        if owners not in audiences:
            audiences[owners] = _audiences(groups.get(plan_id), owners[1])
        days_before, working_days_before, escalation, enabled = parsed.policy(policy)
        facts.append(ActivityFacts(
            activity_id=activity_id, schedule=parsed.schedule(schedule),
            calendar=calendars[plan_id], recipients=audiences[owners],
            days_before=days_before, working_days_before=working_days_before,
            escalation=escalation, enabled=enabled,
            resolved=rows.resolved.get(activity_id, frozenset()),
            last_reported=rows.last_day.get(activity_id),
            moved=rows.moved.get(activity_id, {})))
    return facts


def _audiences(
    groups: dict[str, Any] | None, owner_keys: tuple[str, ...]
) -> dict[str, tuple[Person, ...]]:
    if groups is None:
        return {}
    return {
        "owners": tuple(sorted({p for k in owner_keys for p in groups["units"].get(k, [])})),
        "escalation_contacts": tuple(sorted(
            {p for k in owner_keys for p in groups["escalation"].get(k, [])})),
        "coordinators": groups["coordinators"],
        "steering_group": groups["steering_group"],
    }
