"""Read-side views of plans and activities for the CLI, the web app and feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.occurrences import Occurrence, PlanCalendar, next_due, occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.timelines import MonthDay
from lokflow.store import tables as t


class ActivityNotFound(LookupError):
    pass


@dataclass(frozen=True)
class PlanSummary:
    slug: str
    short_name: str
    organisation: str
    title: str
    period: str
    activities: int
    archived: int


@dataclass(frozen=True)
class OwnerView:
    key: str
    name: str
    contacts: list[tuple[str, str]]


@dataclass(frozen=True)
class ActivityView:
    plan: str
    plan_name: str
    id: str
    number: str | None
    title: str
    party: str
    principle: str | None
    commitment: str
    commitment_number: str | None
    owners: list[OwnerView]
    responsible_as_written: str | None
    executor: str | None
    partners: list[str]
    timeline: str
    timeline_note: str | None
    schedule: dict[str, Any]
    next_due: Occurrence | None
    archived: bool
    revision: int
    commissioner: str | None = None
    inferred: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "party": self.party,
            "principle": self.principle,
            "commitment": self.commitment,
            "owners": [o.name for o in self.owners],
            "owner_ids": [o.key for o in self.owners],
            "partners": self.partners,
            "executor": self.executor,
            "timeline": self.timeline,
            "schedule": self.schedule,
            "next_due": self.next_due.due.isoformat() if self.next_due else None,
            "commissioner": self.commissioner,
            "inferred": list(self.inferred),
        }


def plan_calendar(plan: t.Plan) -> PlanCalendar:
    annual = MonthDay.parse(plan.document["follow_up"]["annual_date"])
    end = date(plan.period_end, 12, 31) if plan.period_end else None
    per_year = plan.document.get("policy", {}).get("reminders", {}).get("checkins_per_year", 2)
    return PlanCalendar(annual_date=annual, period_end=end, checkins_per_year=per_year)


def list_plans(session: Session) -> list[PlanSummary]:
    counts: dict[int, int] = dict(
        session.execute(
            select(t.Activity.plan_id, func.count())
            .where(t.Activity.archived.is_(False))
            .group_by(t.Activity.plan_id)
        ).all()
    )
    archived: dict[int, int] = dict(
        session.execute(
            select(t.Activity.plan_id, func.count())
            .where(t.Activity.archived.is_(True))
            .group_by(t.Activity.plan_id)
        ).all()
    )
    plans = session.scalars(select(t.Plan).order_by(t.Plan.slug)).all()
    return [
        PlanSummary(
            slug=p.slug,
            short_name=p.short_name,
            organisation=p.organisation.name,
            title=p.title,
            period=f"{p.period_start}–{p.period_end or ''}",
            activities=counts.get(p.id, 0),
            archived=archived.get(p.id, 0),
        )
        for p in plans
    ]


def list_activities(
    session: Session,
    today: date,
    *,
    plan: str | None = None,
    owner: str | None = None,
    due_before: date | None = None,
    include_archived: bool = False,
) -> list[ActivityView]:
    query = select(t.Activity).join(t.Plan).order_by(t.Plan.slug, t.Activity.position)
    if plan:
        query = query.where(t.Plan.slug == plan)
    if not include_archived:
        query = query.where(t.Activity.archived.is_(False))
    views = _views(session, list(session.scalars(query)), today)
    if owner:
        wanted = owner.casefold()
        views = [
            v
            for v in views
            if any(wanted in (o.key.casefold(), o.name.casefold()) for o in v.owners)
        ]
    if due_before:
        views = [v for v in views if v.next_due and v.next_due.due < due_before]
    return views


def activity_by_ref(session: Session, plan: str, ref: str) -> t.Activity:
    """An activity by plan slug and id, or by the source's number where that is
    unambiguous (how `lokflow show`, `report` and `history` look it up)."""
    rows = list(session.scalars(select(t.Activity).join(t.Plan).where(
        t.Plan.slug == plan, t.Activity.key == ref)))
    if not rows:
        rows = list(session.scalars(select(t.Activity).join(t.Plan).where(
            t.Plan.slug == plan, t.Activity.number == ref, t.Activity.archived.is_(False))))
    if len(rows) > 1:
        ids = ", ".join(r.key for r in rows)
        raise ActivityNotFound(f"{ref!r} is ambiguous in plan {plan!r}: use one of {ids}")
    if not rows:
        raise ActivityNotFound(f"no activity {ref!r} in plan {plan!r}")
    return rows[0]


def find_activity(session: Session, today: date, plan: str, ref: str) -> ActivityView:
    """The view of one activity, looked up as `activity_by_ref` does."""
    return _views(session, [activity_by_ref(session, plan, ref)], today)[0]


def upcoming(view: ActivityView, plan: t.Plan, start: date, end: date) -> list[Occurrence]:
    return occurrences(schedule_from_json(view.schedule), plan_calendar(plan), start, end)


def _views(session: Session, rows: list[t.Activity], today: date) -> list[ActivityView]:
    units = {(u.plan_id, u.key): u for u in session.scalars(select(t.Unit))}
    contacts: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for c in session.scalars(
        select(t.Contact).where(t.Contact.archived.is_(False),
                                t.Contact.kind == ContactKind.CONTACT)
    ):
        contacts.setdefault((c.plan_id, c.unit_key), []).append((c.name, c.email))
    views = []
    for row in rows:
        owners = [
            OwnerView(key, units[(row.plan_id, key)].name, contacts.get((row.plan_id, key), []))
            for key in row.owner_keys
        ]
        calendar = plan_calendar(row.plan)
        views.append(
            ActivityView(
                plan=row.plan.slug,
                plan_name=row.plan.short_name,
                id=row.key,
                number=row.number,
                title=row.text,
                party=row.party,
                principle=row.principle_key,
                commitment=row.commitment.text,
                commitment_number=row.commitment.number,
                owners=owners,
                responsible_as_written=row.responsible_as_written,
                executor=row.executor,
                partners=list(row.partners),
                timeline=row.timeline,
                timeline_note=row.timeline_note,
                schedule=row.schedule,
                next_due=next_due(schedule_from_json(row.schedule), calendar, today),
                archived=row.archived,
                revision=row.revision,
                commissioner=row.commissioner,
                inferred=tuple(row.inferred or ()),
            )
        )
    return views
