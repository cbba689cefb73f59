"""Recording status reports and deciding proposed dates.

Every channel (web form, CLI, JSON API) parses its input with
`report_input.parse_report` and calls `record_report`, which checks the rules
again (and that a named occurrence is the activity's own). History is
append-only: reports are never edited, and every proposed or decided date is
kept with its reason and written to the activity's history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokflow.domain.occurrences import Occurrence, occurrence_for_report, occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting import joint_confirmation
from lokflow.reporting.report_input import (
    MAX_NAME,
    MAX_TEXT,
    Problem,
    ReportInput,
    ReportRejected,
    as_values,
    parse_report,
)
from lokflow.reporting.report_queries import latest_statuses
from lokflow.store import tables as t

__all__ = ["MAX_NAME", "MAX_TEXT", "ReportInput", "ReportRejected", "decide_date",
           "history", "record_report", "reports_of"]


def checked(session: Session, activity: t.Activity, report: ReportInput,
            today: date) -> ReportInput:
    """The report after the rules of `report_input`, and its occurrence, if
    named, must be one of the activity's: checked before anything is written."""
    report = parse_report(as_values(report), channel=report.channel, today=today)
    key = report.occurrence_key
    if key is not None and key not in occurrence_keys(activity) and key != current_occurrence(
            session, activity, today):
        raise ReportRejected([Problem("occurrence", "occurrence_unknown")])
    return report


def current_occurrence(session: Session, activity: t.Activity, today: date) -> str:
    statuses, _ = latest_statuses(session, [activity.id])
    resolved = frozenset(k for k, s in statuses.get(activity.id, {}).items()
                         if Status(s).resolves)
    return occurrence_for_report(schedule_from_json(activity.schedule),
                                 plan_calendar(activity.plan), today, resolved)


def _all_occurrences(activity: t.Activity) -> list[Occurrence]:
    """Every occurrence of the activity over its plan's period (and a year around it)."""
    calendar = plan_calendar(activity.plan)
    start = date(activity.plan.period_start - 1, 1, 1)
    end = date((activity.plan.period_end or activity.plan.period_start + 20) + 1, 12, 31)
    return occurrences(schedule_from_json(activity.schedule), calendar, start, end)


def occurrence_keys(activity: t.Activity) -> set[str]:
    return {o.key for o in _all_occurrences(activity)}


def original_due(activity: t.Activity, occurrence_key: str) -> date | None:
    for occurrence in _all_occurrences(activity):
        if occurrence.key == occurrence_key:
            return occurrence.due
    return None


def record_report(
    session: Session, activity: t.Activity, report: ReportInput, now: datetime, today: date,
    on_behalf_of: str | None = None,
) -> t.StatusReport:
    """Store one report (and its proposed date). A repeated `submission_key`
    returns the first report instead of storing a second one. A coordinator
    who records what an owner said names the owner in `on_behalf_of`."""
    report = checked(session, activity, report, today)
    if report.submission_key:
        existing = session.scalar(select(t.StatusReport).where(
            t.StatusReport.submission_key == report.submission_key))
        if existing is not None:
            return existing
    occurrence = report.occurrence_key or current_occurrence(session, activity, today)
    joint = joint_confirmation.settle(session, activity, occurrence, report.status.value,
                                      report.reporter_email, report.channel)
    row = t.StatusReport(
        activity_id=activity.id, occurrence_key=occurrence,
        status=joint.stored if joint else report.status.value,
        progress=report.progress, comment=report.comment, obstacles=report.obstacles,
        proposed_date=report.proposed_date, proposed_reason=report.proposed_reason,
        reporter_name=report.reporter_name, reporter_email=report.reporter_email,
        channel=report.channel, submission_key=report.submission_key, created_at=now,
        on_behalf_of=on_behalf_of,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same form, submitted twice at once
        existing = session.scalar(select(t.StatusReport).where(
            t.StatusReport.submission_key == report.submission_key))
        if existing is None:
            raise
        return existing
    session.add(t.ActivityEvent(
        activity_id=activity.id, at=now, kind="report",
        detail={"report": row.id, "status": row.status, "occurrence": occurrence,
                "reporter": row.reporter_name, "channel": row.channel,
                **({"on_behalf_of": on_behalf_of} if on_behalf_of else {})}))
    if joint is not None:
        joint_confirmation.remember(session, row, joint, now)
    if report.proposed_date and report.proposed_reason:
        change = t.DateChange(
            activity_id=activity.id, occurrence_key=occurrence, report_id=row.id,
            original_due=original_due(activity, occurrence),
            proposed_date=report.proposed_date, reason=report.proposed_reason,
            decision="pending", created_at=now)
        session.add(change)
        session.flush()
        session.add(t.ActivityEvent(
            activity_id=activity.id, at=now, kind="date_proposed",
            detail={"change": change.id, "occurrence": occurrence,
                    "proposed": report.proposed_date.isoformat(),
                    "reason": report.proposed_reason}))
    return row


def decide_date(
    session: Session, change: t.DateChange, accept: bool, decided_by: str, now: datetime,
    reason: str | None = None,
) -> t.DateChange:
    """A coordinator accepts or rejects a proposed date, with the reason the
    owner is told; decided once."""
    if change.decision != "pending":
        raise ReportRejected([Problem("decision", f"already_{change.decision}")])
    change.decision = "accepted" if accept else "rejected"
    change.decided_by = decided_by
    change.decided_at = now
    change.decision_reason = reason
    session.add(t.ActivityEvent(
        activity_id=change.activity_id, at=now, kind=f"date_{change.decision}",
        detail={"change": change.id, "occurrence": change.occurrence_key,
                "proposed": change.proposed_date.isoformat(), "by": decided_by,
                **({"reason": reason} if reason else {})}))
    return change


def history(session: Session, activity_id: int) -> list[t.ActivityEvent]:
    return list(session.scalars(select(t.ActivityEvent).where(
        t.ActivityEvent.activity_id == activity_id).order_by(t.ActivityEvent.at,
                                                            t.ActivityEvent.id)))


def reports_of(session: Session, activity_id: int) -> list[t.StatusReport]:
    return list(session.scalars(select(t.StatusReport).where(
        t.StatusReport.activity_id == activity_id).order_by(t.StatusReport.created_at,
                                                           t.StatusReport.id)))
