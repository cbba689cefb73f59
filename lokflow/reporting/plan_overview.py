"""The coordinator's view of a plan: every activity with its owners, latest
status, next date and overdue deadlines, filtered by owner, status and
principle. Coordinators see only their own organisation's plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer, joinedload

from lokflow.domain.occurrences import Occurrence, next_due
from lokflow.domain.overdue import overdue_occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.report_queries import (
    accepted_dates,
    latest_reports,
    latest_statuses,
    pending_counts,
)
from lokflow.store import tables as t

NO_STATUS = "none"


class PlanHidden(LookupError):
    """No such plan, or not one this person may see (the two look the same)."""


@dataclass(frozen=True)
class ActivityRow:
    activity: t.Activity
    owners: list[tuple[str, str]]
    latest: t.StatusReport | None
    next_due: date | None
    overdue: list[Occurrence]
    pending_dates: int


@dataclass(frozen=True)
class PlanOverview:
    plan: t.Plan
    rows: list[ActivityRow]
    owners: list[tuple[str, str]]
    principles: list[tuple[str, str]]


def _visible(organisation_id: int | None) -> Select[t.Plan]:
    """The plans query; a plan's whole document (tens of kB of JSON) is read
    only when something asks for it, not for a list of 300 plans."""
    query = (select(t.Plan).where(t.Plan.archived.is_(False)).order_by(t.Plan.slug)
             .options(defer(t.Plan.document), joinedload(t.Plan.organisation)))
    if organisation_id is not None:
        query = query.where(t.Plan.organisation_id == organisation_id)
    return query


def visible_plans(session: Session, organisation_id: int | None) -> list[t.Plan]:
    """Plans of the organisation; every plan for an admin (organisation None)."""
    return list(session.scalars(_visible(organisation_id)))


def visible_plan_ids(session: Session, organisation_id: int | None) -> list[int]:
    """The ids of `visible_plans`, in the same order, without loading the plans."""
    query = select(t.Plan.id).where(t.Plan.archived.is_(False)).order_by(t.Plan.slug)
    if organisation_id is not None:
        query = query.where(t.Plan.organisation_id == organisation_id)
    return list(session.scalars(query))


def visible_plan(session: Session, slug: str, organisation_id: int | None) -> t.Plan:
    found = session.scalar(_visible(organisation_id).where(t.Plan.slug == slug))
    if found is None:
        raise PlanHidden(slug)
    return found


def visible_activity(session: Session, plan: t.Plan, key: str,
                     include_archived: bool = True) -> t.Activity:
    """An activity of a plan already checked with `visible_plan`."""
    found = session.scalar(select(t.Activity).where(t.Activity.plan_id == plan.id,
                                                    t.Activity.key == key))
    if found is None or (found.archived and not include_archived):
        raise PlanHidden(key)
    return found


def plan_overview(session: Session, plan: t.Plan, today: date, *, owner: str | None = None,
                  status: str | None = None, principle: str | None = None,
                  overdue_only: bool = False) -> PlanOverview:
    """The plan's open activities, with filters (None or '' means any)."""
    activities = list(session.scalars(select(t.Activity).where(
        t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))
        .order_by(t.Activity.position)))
    units = {u.key: u.name for u in session.scalars(
        select(t.Unit).where(t.Unit.plan_id == plan.id).order_by(t.Unit.id))}
    principles = [(p.key, p.name) for p in session.scalars(
        select(t.Principle).where(t.Principle.plan_id == plan.id, t.Principle.archived.is_(False))
        .order_by(t.Principle.position))]
    rows = _rows(session, plan, activities, units, today)
    used_owners = {k for a in activities for k in a.owner_keys}
    chosen = [r for r in rows if _matches(r, owner, status, principle, overdue_only)]
    return PlanOverview(plan=plan, rows=chosen,
                        owners=[(k, n) for k, n in units.items() if k in used_owners],
                        principles=principles)


def _rows(session: Session, plan: t.Plan, activities: list[t.Activity],
          units: dict[str, str], today: date) -> list[ActivityRow]:
    ids = [a.id for a in activities]
    latest = latest_reports(session, ids)
    statuses, _ = latest_statuses(session, ids)
    moved = accepted_dates(session, ids)
    pending = pending_counts(session, ids)
    calendar = plan_calendar(plan)
    start = date(plan.period_start, 1, 1)
    rows = []
    for activity in activities:
        schedule = schedule_from_json(activity.schedule)
        resolved = {k for k, s in statuses.get(activity.id, {}).items() if Status(s).resolves}
        upcoming = next_due(schedule, calendar, today)
        rows.append(ActivityRow(
            activity=activity,
            owners=[(k, units.get(k, k)) for k in activity.owner_keys],
            latest=latest.get(activity.id),
            next_due=moved.get(activity.id, {}).get(upcoming.key, upcoming.due)
            if upcoming else None,
            overdue=overdue_occurrences(schedule, calendar, start, today, resolved,
                                        moved.get(activity.id, {})),
            pending_dates=pending.get(activity.id, 0)))
    return rows


def _matches(row: ActivityRow, owner: str | None, status: str | None, principle: str | None,
             overdue_only: bool) -> bool:
    if owner and owner not in row.activity.owner_keys:
        return False
    if status:
        current = row.latest.status if row.latest else NO_STATUS
        if current != status:
            return False
    if principle and row.activity.principle_key != principle:
        return False
    return not (overdue_only and not row.overdue)
