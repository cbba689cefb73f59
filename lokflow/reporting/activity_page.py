"""Everything about one activity for the coordinator's activity page: its
owners and their contacts, its timeline as written and as read, every
occurrence with its state, its reports, proposals and decisions, every
notice sent about it, and its event log in words."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.occurrences import occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.activity_history import ActivityHistory, activity_history
from lokflow.reporting.escalation_levels import escalation_levels
from lokflow.reporting.report_queries import accepted_dates, latest_statuses
from lokflow.reporting.sent_log import SentNotice, SentQuery, sent_log
from lokflow.store import tables as t

AHEAD = timedelta(days=2 * 366)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str | None


@dataclass(frozen=True)
class Owner:
    key: str
    name: str
    contacts: list[Contact]
    escalation: list[Contact]


@dataclass(frozen=True)
class OccurrenceState:
    key: str
    kind: str
    due: date
    moved_from: date | None
    state: str
    status: str | None
    escalation: int


@dataclass(frozen=True)
class ActivityPage:
    activity: t.Activity
    history: ActivityHistory
    owners: list[Owner]
    principle: str | None
    occurrences: list[OccurrenceState]
    notices: list[SentNotice]
    notices_total: int


def owners_of(session: Session, activity: t.Activity) -> list[Owner]:
    units = {u.key: u for u in session.scalars(select(t.Unit).where(
        t.Unit.plan_id == activity.plan_id))}
    people: dict[tuple[str, str], list[Contact]] = defaultdict(list)
    for c in session.scalars(select(t.Contact).where(
            t.Contact.plan_id == activity.plan_id, t.Contact.archived.is_(False),
            t.Contact.unit_key.in_(activity.owner_keys)).order_by(t.Contact.id)):
        people[(c.unit_key, c.kind)].append(Contact(c.name, c.email, c.role))
    return [Owner(key, units[key].name if key in units else key,
                  people[(key, ContactKind.CONTACT)], people[(key, ContactKind.ESCALATION)])
            for key in activity.owner_keys]


def occurrence_states(session: Session, activity: t.Activity,
                      today: date) -> list[OccurrenceState]:
    """Every occurrence from the plan's start to two years ahead, with what
    became of it: done, cancelled, reported, overdue or upcoming."""
    calendar = plan_calendar(activity.plan)
    start = date(activity.plan.period_start, 1, 1)
    statuses, _ = latest_statuses(session, [activity.id])
    latest = statuses.get(activity.id, {})
    moved = accepted_dates(session, [activity.id]).get(activity.id, {})
    levels = escalation_levels(session, [activity.plan_id])
    found = []
    for o in occurrences(schedule_from_json(activity.schedule), calendar, start, today + AHEAD):
        due = moved.get(o.key, o.due)
        status = latest.get(o.key)
        found.append(OccurrenceState(
            key=o.key, kind=o.kind, due=due, moved_from=o.due if due != o.due else None,
            state=_state(o.kind, due, status, today), status=status,
            escalation=levels.get((activity.id, o.key), 0)))
    return sorted(found, key=lambda s: s.due)


def _state(kind: str, due: date, status: str | None, today: date) -> str:
    if status and Status(status).resolves:
        return status
    if status:
        return "overdue" if kind == "deadline" and due < today else "reported"
    if due >= today:
        return "upcoming"
    return "overdue" if kind == "deadline" else "passed"


def activity_page(session: Session, activity: t.Activity, today: date) -> ActivityPage:
    principle = None
    if activity.principle_key:
        principle = session.scalar(select(t.Principle.name).where(
            t.Principle.plan_id == activity.plan_id, t.Principle.key == activity.principle_key))
    notices, total = sent_log(session, activity.plan_id, SentQuery(activity_id=activity.id),
                              limit=200)
    return ActivityPage(activity=activity, history=activity_history(session, activity),
                        owners=owners_of(session, activity), principle=principle,
                        occurrences=occurrence_states(session, activity, today),
                        notices=notices, notices_total=total)
