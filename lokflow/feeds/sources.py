"""Which plans and activities one feed covers, read from the database.

plan: the plan's open activities; owner: those the unit answers for;
contact: those of every unit that lists the email as a contact (the same
scope as the person's report page); organisation: every open plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.feeds.subscriptions import FeedSpec
from lokflow.store import tables as t


@dataclass(frozen=True)
class FeedSources:
    organisation: t.Organisation
    plans: list[t.Plan]
    activities: list[t.Activity]
    unit_name: str | None = None
    person: str | None = None


def select_sources(session: Session, spec: FeedSpec) -> FeedSources | None:
    """What the feed shows now; None if its target no longer exists."""
    head, _, rest = spec.target.partition("/")
    if spec.kind in ("plan", "owner"):
        plan = session.scalar(select(t.Plan).where(t.Plan.slug == head,
                                                   t.Plan.archived.is_(False)))
        if plan is None:
            return None
        activities = _activities(session, [plan.id])
        if spec.kind == "plan":
            return FeedSources(plan.organisation, [plan], activities)
        unit = session.scalar(select(t.Unit).where(t.Unit.plan_id == plan.id, t.Unit.key == rest,
                                                   t.Unit.archived.is_(False)))
        if unit is None:
            return None
        return FeedSources(plan.organisation, [plan],
                           [a for a in activities if rest in a.owner_keys], unit_name=unit.name)
    organisation = session.scalar(select(t.Organisation).where(t.Organisation.slug == head))
    if organisation is None:
        return None
    plans = list(session.scalars(select(t.Plan).where(
        t.Plan.organisation_id == organisation.id, t.Plan.archived.is_(False))
        .order_by(t.Plan.slug)))
    if spec.kind == "organisation":
        return FeedSources(organisation, plans, _activities(session, [p.id for p in plans]))
    return _contact_sources(session, organisation, plans, rest)


def _contact_sources(
    session: Session, organisation: t.Organisation, plans: list[t.Plan], email: str
) -> FeedSources:
    contacts = list(session.scalars(select(t.Contact).where(
        t.Contact.plan_id.in_([p.id for p in plans]), t.Contact.kind == ContactKind.CONTACT,
        t.Contact.archived.is_(False), func.lower(t.Contact.email) == email.lower())
        .order_by(t.Contact.id)))
    units = {(c.plan_id, c.unit_key) for c in contacts}
    plan_ids = {plan_id for plan_id, _ in units}
    activities = [a for a in _activities(session, sorted(plan_ids))
                  if any((a.plan_id, key) in units for key in a.owner_keys)]
    return FeedSources(organisation, [p for p in plans if p.id in plan_ids], activities,
                       person=contacts[0].name if contacts else email)


def _activities(session: Session, plan_ids: list[int]) -> list[t.Activity]:
    return list(session.scalars(
        select(t.Activity).join(t.Plan)
        .where(t.Activity.plan_id.in_(plan_ids), t.Activity.archived.is_(False))
        .order_by(t.Plan.slug, t.Activity.position)))
