"""Whose page the owner is on: the municipality, its plans, the coordinator to
ask, and the reporting round that is open now with its deadline. The same
facts head every owner page and sign every email about reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.reporting.owner_access import OwnerScope
from lokflow.store import tables as t

ROUND_OPEN = "open"
LATELY = timedelta(days=30)
"""Without an open round, a report this recent marks an activity as answered."""


@dataclass(frozen=True)
class Coordinator:
    name: str
    email: str


@dataclass(frozen=True)
class OpenRound:
    plan_id: int
    plan_name: str
    opened_at: datetime
    deadline: date


@dataclass(frozen=True)
class OwnerHeader:
    organisation: str
    plan_names: list[str]
    coordinators: list[Coordinator]
    rounds: list[OpenRound] = field(default_factory=list)

    @property
    def coordinator(self) -> Coordinator | None:
        return self.coordinators[0] if self.coordinators else None

    def round_deadline(self, plan_id: int) -> date | None:
        return next((r.deadline for r in self.rounds if r.plan_id == plan_id), None)

    def reported_since(self, plan_id: int, today: date) -> datetime:
        """Reports since this moment count as this period's answer."""
        found = next((r.opened_at for r in self.rounds if r.plan_id == plan_id), None)
        return found or datetime.combine(today - LATELY, time(), tzinfo=UTC)


def owner_header(session: Session, scope: OwnerScope, plans: Mapping[int, t.Plan],
                 today: date) -> OwnerHeader:
    """The header of an owner's pages; `plans` are those the owner has
    activities in (with none, every plan the link may see)."""
    if not plans:
        query = select(t.Plan).where(t.Plan.organisation_id == scope.organisation_id,
                                     t.Plan.archived.is_(False)).order_by(t.Plan.slug)
        if scope.plan_id is not None:
            query = query.where(t.Plan.id == scope.plan_id)
        plans = {p.id: p for p in session.scalars(query)}
    organisation = session.get(t.Organisation, scope.organisation_id)
    ordered = sorted(plans.values(), key=lambda p: p.slug)
    return OwnerHeader(
        organisation=organisation.name if organisation else "",
        plan_names=[p.short_name for p in ordered],
        coordinators=_coordinators(session, [p.id for p in ordered]),
        rounds=_open_rounds(session, {p.id: p for p in ordered}, today))


def _coordinators(session: Session, plan_ids: list[int]) -> list[Coordinator]:
    found: dict[str, Coordinator] = {}
    for contact in session.scalars(
            select(t.Contact).where(t.Contact.plan_id.in_(plan_ids),
                                    t.Contact.kind == ContactKind.COORDINATOR,
                                    t.Contact.archived.is_(False)).order_by(t.Contact.id)):
        found.setdefault(contact.email.lower(), Coordinator(contact.name, contact.email))
    return list(found.values())


def _open_rounds(session: Session, plans: Mapping[int, t.Plan], today: date) -> list[OpenRound]:
    rows = session.scalars(select(t.ReportingRound).where(
        t.ReportingRound.plan_id.in_(list(plans)), t.ReportingRound.status == ROUND_OPEN,
        t.ReportingRound.opens_on <= today).order_by(t.ReportingRound.deadline))
    return [OpenRound(r.plan_id, plans[r.plan_id].short_name, r.opened_at, r.deadline)
            for r in rows]
