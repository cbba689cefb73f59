"""The owner's page as data, and saving everything an owner sent at once.

A department answers for all of its activities in one form; the whole form
is stored in one transaction, so it is saved completely or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from lokflow.domain.occurrences import next_due
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.owner_access import OutOfScope, OwnerScope, scope_activities
from lokflow.reporting.report_queries import accepted_dates, latest_reports, pending_counts
from lokflow.reporting.status_reports import MAX_NAME, ReportInput, record_report
from lokflow.store import tables as t


@dataclass(frozen=True)
class ActivityCard:
    """One activity as the owner sees it above its form."""

    id: int
    key: str
    number: str | None
    text: str
    commitment: str
    timeline: str
    next_due: date | None
    latest: t.StatusReport | None
    pending_dates: int


@dataclass(frozen=True)
class PlanCards:
    slug: str
    name: str
    cards: list[ActivityCard]


def owner_page(session: Session, scope: OwnerScope, today: date) -> list[PlanCards]:
    """The owner's open activities, grouped by plan, with their latest status."""
    activities = scope_activities(session, scope)
    ids = [a.id for a in activities]
    latest = latest_reports(session, ids)
    pending = pending_counts(session, ids)
    moved = accepted_dates(session, ids)
    groups: dict[int, PlanCards] = {}
    for activity in activities:
        group = groups.setdefault(activity.plan_id, PlanCards(
            activity.plan.slug, activity.plan.short_name, []))
        group.cards.append(ActivityCard(
            id=activity.id, key=activity.key, number=activity.number, text=activity.text,
            commitment=activity.commitment.text, timeline=activity.timeline,
            next_due=_next_due(activity, moved.get(activity.id, {}), today),
            latest=latest.get(activity.id), pending_dates=pending.get(activity.id, 0)))
    return list(groups.values())


def _next_due(activity: t.Activity, moved: Mapping[str, date], today: date) -> date | None:
    found = next_due(schedule_from_json(activity.schedule), plan_calendar(activity.plan), today)
    if found is None:
        return None
    return moved.get(found.key, found.due)


def submission_key(scope: OwnerScope, activity_id: int, form_key: str) -> str:
    """The dedupe key of one activity's part of a form, namespaced by link so
    nobody can block another owner's report by reusing their key."""
    digest = hashlib.sha256(f"{scope.token_hash}|{activity_id}|{form_key}".encode()).hexdigest()
    return f"web-{digest[:48]}"


def record_owner_reports(
    session: Session, scope: OwnerScope, reports: Mapping[int, ReportInput],
    now: datetime, today: date,
) -> list[tuple[t.Activity, t.StatusReport]]:
    """Store one report per activity; every activity must be the owner's own.
    The form's per-activity key makes a second submit of the same form a no-op."""
    allowed = {a.id: a for a in scope_activities(session, scope)}
    if any(activity_id not in allowed for activity_id in reports):
        raise OutOfScope(sorted(set(reports) - set(allowed)))
    saved = []
    for activity_id, report in reports.items():
        key = report.submission_key
        report = replace(report, reporter_name=report.reporter_name[:MAX_NAME],
                         submission_key=submission_key(scope, activity_id, key) if key else None)
        saved.append((allowed[activity_id],
                      record_report(session, allowed[activity_id], report, now, today)))
    return saved
