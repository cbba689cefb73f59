"""Read-side queries over status reports and proposed dates, in bulk, for the
owner page, the coordinator pages, the API and the CLI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session

from lokflow.domain.statuses import Status
from lokflow.store import tables as t
from lokflow.store.tables import UTCDateTime


def latest_reports(session: Session, activity_ids: Collection[int]) -> dict[int, t.StatusReport]:
    """The newest report of each activity (over all its occurrences)."""
    found: dict[int, t.StatusReport] = {}
    if not activity_ids:
        return found
    query = (select(t.StatusReport)
             .where(t.StatusReport.activity_id.in_(list(activity_ids)))
             .order_by(t.StatusReport.created_at, t.StatusReport.id))
    for report in session.scalars(query):
        found[report.activity_id] = report
    return found


def date_changes_of(session: Session, activity_id: int) -> list[t.DateChange]:
    return list(session.scalars(select(t.DateChange).where(
        t.DateChange.activity_id == activity_id).order_by(t.DateChange.created_at,
                                                          t.DateChange.id)))


def pending_counts(session: Session, activity_ids: Collection[int]) -> dict[int, int]:
    """How many proposed dates of each activity wait for a decision."""
    counts: dict[int, int] = {}
    if not activity_ids:
        return counts
    for activity_id in session.scalars(select(t.DateChange.activity_id).where(
            t.DateChange.activity_id.in_(list(activity_ids)),
            t.DateChange.decision == "pending")):
        counts[activity_id] = counts.get(activity_id, 0) + 1
    return counts


def pending_changes(session: Session, plan_id: int) -> list[tuple[t.DateChange, t.Activity]]:
    """Proposed dates of a plan that wait for the coordinator, oldest first."""
    query = (select(t.DateChange, t.Activity).join(t.Activity)
             .where(t.Activity.plan_id == plan_id, t.DateChange.decision == "pending")
             .order_by(t.DateChange.created_at, t.DateChange.id))
    return [(change, activity) for change, activity in session.execute(query)]


def date_change_in_plan(session: Session, plan_id: int, change_id: int) -> t.DateChange | None:
    """A proposed date of this plan (None for another plan's, or none at all)."""
    return session.scalar(select(t.DateChange).join(t.Activity).where(
        t.DateChange.id == change_id, t.Activity.plan_id == plan_id))


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
        .order_by(t.StatusReport.id)
    )
    for activity_id, occurrence, status, created in session.execute(query):
        latest[activity_id][occurrence] = status
        last_day[activity_id] = created.date()
    return latest, last_day


def accepted_dates(session: Session, activity_ids: Collection[int]) -> dict[int, dict[str, date]]:
    return accepted_dates_where(session, t.Activity.id.in_(list(activity_ids)))

def resolved_occurrences(session: Session, activities: Any) -> dict[int, frozenset[str]]:
    """Occurrences whose latest (last recorded) report is done or cancelled."""
    latest = (select(func.max(t.StatusReport.id).label("id"))
              .join(t.Activity, t.Activity.id == t.StatusReport.activity_id)
              .where(activities)
              .group_by(t.StatusReport.activity_id, t.StatusReport.occurrence_key)).subquery()
    query = (select(t.StatusReport.activity_id, t.StatusReport.occurrence_key)
             .join(latest, latest.c.id == t.StatusReport.id)
             .where(t.StatusReport.status.in_([s.value for s in Status if s.resolves])))
    found: dict[int, set[str]] = defaultdict(set)
    for activity_id, occurrence in session.execute(query):
        found[activity_id].add(occurrence)
    return {k: frozenset(v) for k, v in found.items()}


def last_report_days(session: Session, activities: Any, zone: ZoneInfo) -> dict[int, date]:
    """The local day of each activity's latest report."""
    latest = type_coerce(func.max(t.StatusReport.created_at), UTCDateTime)
    query = (select(t.StatusReport.activity_id, latest)
             .join(t.Activity, t.Activity.id == t.StatusReport.activity_id)
             .where(activities).group_by(t.StatusReport.activity_id))
    return {activity_id: at.astimezone(zone).date()
            for activity_id, at in session.execute(query)}


def accepted_dates_where(session: Session, activities: Any) -> dict[int, dict[str, date]]:
    moved: dict[int, dict[str, date]] = defaultdict(dict)
    query = (select(t.DateChange)
             .join(t.Activity, t.Activity.id == t.DateChange.activity_id)
             .where(activities, t.DateChange.decision == "accepted")
             .order_by(t.DateChange.decided_at, t.DateChange.id))
    for change in session.scalars(query):
        moved[change.activity_id][change.occurrence_key] = change.proposed_date
    return moved
