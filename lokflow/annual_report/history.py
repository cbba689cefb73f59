"""Reads, in a handful of bulk queries, everything an annual report is built
from: a plan's activities and what its owners said, decided and were sent up
to one moment (`as_of`). The rows come back as plain frozen dataclasses so the
report rules after this point never touch the database; that is what makes a
snapshot a pure function of (history, year, as_of)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.occurrences import PlanCalendar
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.timelines import AnySchedule
from lokflow.engine.outbox import MessageStatus
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.joint_confirmation import words_of
from lokflow.store import tables as t


@dataclass(frozen=True)
class ReportRow:
    """One status report, as the owner gave it."""

    id: int
    occurrence: str
    status: str
    progress: int | None
    comment: str | None
    obstacles: str | None
    reporter: str
    at: datetime


@dataclass(frozen=True)
class DateChangeRow:
    """An accepted new date for one occurrence, with the owner's reason."""

    occurrence: str
    original: date | None
    proposed: date
    reason: str
    decided_by: str | None
    decided_at: datetime


@dataclass(frozen=True)
class EscalationRow:
    """One escalation notice decided for an overdue occurrence."""

    occurrence: str
    level: int
    planned_day: date
    recipient: str
    sent: bool


@dataclass(frozen=True)
class ActivityRow:
    id: int
    key: str
    number: str | None
    text: str
    party: str
    principle: str | None
    commitment_key: str
    owner_keys: tuple[str, ...]
    partners: tuple[str, ...]
    timeline: str
    timeline_note: str | None
    schedule: AnySchedule
    reports: tuple[ReportRow, ...] = ()
    moves: tuple[DateChangeRow, ...] = ()
    escalations: tuple[EscalationRow, ...] = ()
    inferred: tuple[str, ...] = ()
    joint_words: tuple[tuple[str, str, str], ...] = ()
    """(occurrence, party, status) of each party's latest word on a joint activity."""


@dataclass(frozen=True)
class CommitmentRow:
    key: str
    number: str | None
    party: str
    principle: str | None
    text: str


@dataclass(frozen=True)
class PlanHistory:
    """A plan as loaded, with each activity's history up to `as_of`."""

    plan_id: int
    slug: str
    document: dict[str, Any]
    organisation: str
    calendar: PlanCalendar
    units: dict[str, str]
    coordinators: tuple[str, ...]
    principles: tuple[tuple[str, str, str | None], ...]
    commitments: tuple[CommitmentRow, ...]
    activities: tuple[ActivityRow, ...]
    as_of: datetime


def load_history(session: Session, plan: t.Plan, as_of: datetime) -> PlanHistory:
    """Everything about `plan` known at `as_of`; archived activities are left out."""
    rows = list(session.scalars(
        select(t.Activity).where(t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))
        .order_by(t.Activity.position, t.Activity.id)))
    ids = [row.id for row in rows]
    reports = _reports(session, ids, as_of)
    moves = _moves(session, ids, as_of)
    escalations = _escalations(session, ids, as_of)
    words = words_of(session, ids, as_of)
    commitments = {c.id: c for c in session.scalars(
        select(t.Commitment).where(t.Commitment.plan_id == plan.id))}
    activities = tuple(
        ActivityRow(
            id=row.id, key=row.key, number=row.number, text=row.text, party=row.party,
            principle=row.principle_key, commitment_key=commitments[row.commitment_id].key,
            owner_keys=tuple(row.owner_keys), partners=tuple(row.partners),
            timeline=row.timeline, timeline_note=row.timeline_note,
            schedule=schedule_from_json(row.schedule),
            reports=tuple(reports.get(row.id, ())), moves=tuple(moves.get(row.id, ())),
            escalations=tuple(escalations.get(row.id, ())),
            inferred=tuple(row.inferred or ()),
            joint_words=tuple((occurrence, party, said)
                              for (activity_id, occurrence), found in sorted(words.items())
                              if activity_id == row.id
                              for party, said in sorted(found.items())))
        for row in rows)
    used = {a.commitment_key for a in activities}
    return PlanHistory(
        plan_id=plan.id, slug=plan.slug, document=plan.document,
        organisation=plan.organisation.name, calendar=plan_calendar(plan),
        **_directory(session, plan.id),
        commitments=tuple(
            CommitmentRow(c.key, c.number, c.party, c.principle_key, c.text)
            for c in sorted(commitments.values(), key=lambda c: (c.position, c.id))
            if c.key in used),
        activities=activities,
        as_of=as_of,
    )


def _directory(session: Session, plan_id: int) -> dict[str, Any]:
    """Unit names, coordinators and principles of a plan, as loaded now."""
    return {
        "units": {u.key: u.name for u in session.scalars(
            select(t.Unit).where(t.Unit.plan_id == plan_id).order_by(t.Unit.id))},
        "coordinators": tuple(session.scalars(
            select(t.Contact.name).where(t.Contact.plan_id == plan_id,
                                         t.Contact.kind == ContactKind.COORDINATOR,
                                         t.Contact.archived.is_(False))
            .order_by(t.Contact.id))),
        "principles": tuple((p.key, p.name, p.description) for p in session.scalars(
            select(t.Principle).where(t.Principle.plan_id == plan_id,
                                      t.Principle.archived.is_(False))
            .order_by(t.Principle.position))),
    }


def _reports(session: Session, ids: list[int], as_of: datetime) -> dict[int, list[ReportRow]]:
    found: dict[int, list[ReportRow]] = defaultdict(list)
    query = (select(t.StatusReport)
             .where(t.StatusReport.activity_id.in_(ids), t.StatusReport.created_at <= as_of)
             .order_by(t.StatusReport.created_at, t.StatusReport.id))
    for r in session.scalars(query):
        found[r.activity_id].append(ReportRow(
            id=r.id, occurrence=r.occurrence_key, status=r.status, progress=r.progress,
            comment=r.comment, obstacles=r.obstacles, reporter=r.reporter_name,
            at=r.created_at))
    return found


def _moves(session: Session, ids: list[int], as_of: datetime) -> dict[int, list[DateChangeRow]]:
    found: dict[int, list[DateChangeRow]] = defaultdict(list)
    query = (select(t.DateChange)
             .where(t.DateChange.activity_id.in_(ids), t.DateChange.decision == "accepted",
                    t.DateChange.decided_at <= as_of)
             .order_by(t.DateChange.decided_at, t.DateChange.id))
    for c in session.scalars(query):
        assert c.decided_at is not None
        found[c.activity_id].append(DateChangeRow(
            occurrence=c.occurrence_key, original=c.original_due, proposed=c.proposed_date,
            reason=c.reason, decided_by=c.decided_by, decided_at=c.decided_at))
    return found


def _escalations(session: Session, ids: list[int],
                 as_of: datetime) -> dict[int, list[EscalationRow]]:
    found: dict[int, list[EscalationRow]] = defaultdict(list)
    query = (select(t.OutboxItem, t.OutboxMessage.status, t.OutboxMessage.sent_at)
             .outerjoin(t.OutboxMessage, t.OutboxItem.message_id == t.OutboxMessage.id)
             .where(t.OutboxItem.activity_id.in_(ids), t.OutboxItem.kind == "escalation",
                    t.OutboxItem.created_at <= as_of)
             .order_by(t.OutboxItem.planned_day, t.OutboxItem.level, t.OutboxItem.id))
    for item, status, sent_at in session.execute(query):
        assert item.activity_id is not None
        found[item.activity_id].append(EscalationRow(
            occurrence=item.occurrence_key or "", level=item.level,
            planned_day=item.planned_day, recipient=item.recipient_name,
            sent=status == MessageStatus.SENT and sent_at is not None and sent_at <= as_of))
    return found
