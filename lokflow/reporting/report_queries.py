"""Read-side queries over status reports and proposed dates, in bulk, for the
owner page, the coordinator pages, the API and the CLI."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.plans.plan_queries import ActivityNotFound
from lokflow.store import tables as t


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


def activity_row(session: Session, plan: str, ref: str) -> t.Activity:
    """An activity row by plan slug and id, or by the source's number where that
    is unambiguous (as `lokflow show` looks it up)."""
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


def date_change_in_plan(session: Session, plan_id: int, change_id: int) -> t.DateChange | None:
    """A proposed date of this plan (None for another plan's, or none at all)."""
    return session.scalar(select(t.DateChange).join(t.Activity).where(
        t.DateChange.id == change_id, t.Activity.plan_id == plan_id))
