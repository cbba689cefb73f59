"""Recording status reports and deciding proposed dates.

Every channel (web form, CLI, JSON API) calls `record_report`. History is
append-only: reports are never edited, and every proposed or decided date is
kept with its reason and written to the activity's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokflow.domain.occurrences import occurrence_for_report, occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.report_queries import latest_statuses
from lokflow.store import tables as t

MAX_TEXT = 2000
MAX_NAME = 200
CHANNELS = ("web", "cli", "api")


class ReportRejected(ValueError):
    """The report breaks a rule; the message says which, for the person typing."""


@dataclass(frozen=True)
class ReportInput:
    status: Status
    reporter_name: str
    channel: str
    progress: int | None = None
    comment: str | None = None
    obstacles: str | None = None
    proposed_date: date | None = None
    proposed_reason: str | None = None
    reporter_email: str | None = None
    occurrence_key: str | None = None
    submission_key: str | None = None


def _clean(text: str | None, limit: int, name: str) -> str | None:
    if text is None:
        return None
    text = text.replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ReportRejected(f"{name} is longer than {limit} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise ReportRejected(f"{name} contains control characters")
    return text or None


def validate(report: ReportInput) -> ReportInput:
    if report.channel not in CHANNELS:
        raise ReportRejected(f"unknown channel {report.channel!r}")
    if report.progress is not None and not 0 <= report.progress <= 100:
        raise ReportRejected("progress must be between 0 and 100")
    name = _clean(report.reporter_name, MAX_NAME, "reporter")
    if not name:
        raise ReportRejected("the reporter's name is required")
    reason = _clean(report.proposed_reason, MAX_TEXT, "reason")
    if report.proposed_date and not reason:
        raise ReportRejected("a proposed new date needs a reason")
    if reason and not report.proposed_date:
        raise ReportRejected("a reason was given without a proposed new date")
    return ReportInput(
        status=report.status, reporter_name=name, channel=report.channel,
        progress=report.progress, comment=_clean(report.comment, MAX_TEXT, "comment"),
        obstacles=_clean(report.obstacles, MAX_TEXT, "obstacles"),
        proposed_date=report.proposed_date, proposed_reason=reason,
        reporter_email=_clean(report.reporter_email, 320, "email"),
        occurrence_key=_clean(report.occurrence_key, 64, "occurrence"),
        submission_key=_clean(report.submission_key, 100, "submission key"),
    )


def current_occurrence(session: Session, activity: t.Activity, today: date) -> str:
    statuses, _ = latest_statuses(session, [activity.id])
    resolved = frozenset(k for k, s in statuses.get(activity.id, {}).items()
                         if Status(s).resolves)
    return occurrence_for_report(schedule_from_json(activity.schedule),
                                 plan_calendar(activity.plan), today, resolved)


def original_due(activity: t.Activity, occurrence_key: str) -> date | None:
    calendar = plan_calendar(activity.plan)
    start = date(activity.plan.period_start - 1, 1, 1)
    end = date((activity.plan.period_end or activity.plan.period_start + 20) + 1, 12, 31)
    for occurrence in occurrences(schedule_from_json(activity.schedule), calendar, start, end):
        if occurrence.key == occurrence_key:
            return occurrence.due
    return None


def record_report(
    session: Session, activity: t.Activity, report: ReportInput, now: datetime, today: date
) -> t.StatusReport:
    """Store one report (and its proposed date). A repeated `submission_key`
    returns the first report instead of storing a second one."""
    report = validate(report)
    if report.submission_key:
        existing = session.scalar(select(t.StatusReport).where(
            t.StatusReport.submission_key == report.submission_key))
        if existing is not None:
            return existing
    occurrence = report.occurrence_key or current_occurrence(session, activity, today)
    row = t.StatusReport(
        activity_id=activity.id, occurrence_key=occurrence, status=report.status.value,
        progress=report.progress, comment=report.comment, obstacles=report.obstacles,
        proposed_date=report.proposed_date, proposed_reason=report.proposed_reason,
        reporter_name=report.reporter_name, reporter_email=report.reporter_email,
        channel=report.channel, submission_key=report.submission_key, created_at=now,
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
                "reporter": row.reporter_name, "channel": row.channel}))
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
    session: Session, change: t.DateChange, accept: bool, decided_by: str, now: datetime
) -> t.DateChange:
    """A coordinator accepts or rejects a proposed date; decided once."""
    if change.decision != "pending":
        raise ReportRejected(f"this proposal was already {change.decision}")
    change.decision = "accepted" if accept else "rejected"
    change.decided_by = decided_by
    change.decided_at = now
    session.add(t.ActivityEvent(
        activity_id=change.activity_id, at=now, kind=f"date_{change.decision}",
        detail={"change": change.id, "occurrence": change.occurrence_key,
                "proposed": change.proposed_date.isoformat(), "by": decided_by}))
    return change


def history(session: Session, activity_id: int) -> list[t.ActivityEvent]:
    return list(session.scalars(select(t.ActivityEvent).where(
        t.ActivityEvent.activity_id == activity_id).order_by(t.ActivityEvent.at,
                                                            t.ActivityEvent.id)))


def reports_of(session: Session, activity_id: int) -> list[t.StatusReport]:
    return list(session.scalars(select(t.StatusReport).where(
        t.StatusReport.activity_id == activity_id).order_by(t.StatusReport.created_at,
                                                           t.StatusReport.id)))
