"""Saving what an owner sent from their page: one activity's short form, or
the same status for several activities at once.

Everything one post sends is stored in one transaction, so it is saved
completely or not at all; a per-form key makes a second submit a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.statuses import Status
from lokflow.reporting.owner_access import OutOfScope, OwnerScope, scope_activities
from lokflow.reporting.owner_overview import OwnerOverview
from lokflow.reporting.report_input import Problem
from lokflow.reporting.status_reports import MAX_NAME, ReportInput, ReportRejected, record_report
from lokflow.store import tables as t

MAX_SHOWN = 200
"""At most this many saved reports are named on one confirmation."""


@dataclass(frozen=True)
class Saved:
    activity: t.Activity
    report: t.StatusReport


def submission_key(scope: OwnerScope, activity_id: int, form_key: str) -> str:
    """The dedupe key of one activity's part of a form, namespaced by link so
    nobody can block another owner's report by reusing their key."""
    digest = hashlib.sha256(f"{scope.token_hash}|{activity_id}|{form_key}".encode()).hexdigest()
    return f"web-{digest[:48]}"


def record_owner_reports(
    session: Session, scope: OwnerScope, reports: Mapping[int, ReportInput],
    now: datetime, today: date, overview: OwnerOverview | None = None,
) -> list[Saved]:
    """Store one report per activity; every activity must be the owner's own.
    A proposed date is refused for an occurrence that offers none (ongoing or
    on-demand work), as the form never shows the field there."""
    allowed = {a.id: a for a in scope_activities(session, scope)}
    if any(activity_id not in allowed for activity_id in reports):
        raise OutOfScope(sorted(set(reports) - set(allowed)))
    saved = []
    for activity_id, report in reports.items():
        if overview is not None:
            report = _on_shown_occurrence(overview, activity_id, report)
        key = report.submission_key
        report = replace(report, reporter_name=report.reporter_name[:MAX_NAME],
                         submission_key=submission_key(scope, activity_id, key) if key else None)
        saved.append(Saved(allowed[activity_id],
                           record_report(session, allowed[activity_id], report, now, today)))
    return saved


def _on_shown_occurrence(overview: OwnerOverview, activity_id: int,
                         report: ReportInput) -> ReportInput:
    """A report without an occurrence is about the one the page shows; a new
    date only for a shown occurrence that has a deadline."""
    item = overview.item(activity_id)
    shown = item.occurrence if item else None
    if report.occurrence_key is None and shown is not None:
        report = replace(report, occurrence_key=shown.key)
    if report.proposed_date is not None and (
            shown is None or not shown.allows_new_date or report.occurrence_key != shown.key):
        raise ReportRejected([Problem("proposed_date", "date_not_offered")])
    return report


def same_status_reports(overview: OwnerOverview, activity_ids: Collection[int], status: Status,
                        reporter: str, email: str, form_key: str) -> dict[int, ReportInput]:
    """One report per chosen activity, each on the occurrence its form shows."""
    found = {}
    for activity_id in activity_ids:
        item = overview.item(activity_id)
        if item is None:
            raise OutOfScope(activity_id)
        found[activity_id] = ReportInput(
            status=status, reporter_name=reporter[:MAX_NAME], channel="web",
            reporter_email=email, occurrence_key=item.occurrence.key if item.occurrence else None,
            submission_key=f"same-{form_key}"[:64])
    return found


def saved_reports(session: Session, scope: OwnerScope, report_ids: Collection[int]) -> list[Saved]:
    """Reports of this link's own activities, by id (for the confirmation)."""
    if not report_ids:
        return []
    allowed = {a.id: a for a in scope_activities(session, scope)}
    rows = session.scalars(select(t.StatusReport).where(
        t.StatusReport.id.in_(list(report_ids)[:MAX_SHOWN]),
        t.StatusReport.activity_id.in_(list(allowed))).order_by(t.StatusReport.id))
    return [Saved(allowed[r.activity_id], r) for r in rows
            if (r.reporter_email or "").lower() == scope.email]
