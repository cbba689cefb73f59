"""The JSON API's request and response shapes (they make the OpenAPI docs at
/docs). Status names are the English ones: not_started, in_progress, done,
delayed, paused, cancelled."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from lokflow.domain.statuses import Status
from lokflow.reporting.plan_overview import ActivityRow
from lokflow.store import tables as t


class PlanOut(BaseModel):
    slug: str = Field(examples=["tierp"])
    title: str
    short_name: str
    organisation: str
    period_start: int
    period_end: int | None


class ReportOut(BaseModel):
    id: int
    activity: str = Field(description="The activity's id in its plan.")
    occurrence: str = Field(description="Which occurrence: 'deadline', a year, or a check-in.")
    status: Status
    progress: int | None
    comment: str | None
    obstacles: str | None
    proposed_date: date | None
    proposed_reason: str | None
    reporter_name: str
    channel: str
    created_at: datetime


class ActivityOut(BaseModel):
    id: str = Field(examples=["kommun-1.1"])
    number: str | None
    text: str
    owners: list[str] = Field(description="Names of the responsible units.")
    owner_ids: list[str]
    principle: str | None
    timeline: str = Field(description="The timeline as written in the plan.")
    next_due: date | None
    overdue_since: date | None = Field(description="The earliest passed, unresolved deadline.")
    pending_dates: int = Field(description="Proposed new dates waiting for a decision.")
    latest: ReportOut | None


class ReportIn(BaseModel):
    """A status report. Send the same `submission_key` again to retry safely:
    the report is stored once."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    reporter_name: str = Field(min_length=1, max_length=200)
    reporter_email: EmailStr | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    comment: str | None = Field(default=None, max_length=2000)
    obstacles: str | None = Field(default=None, max_length=2000)
    proposed_date: date | None = Field(default=None, description="Needs proposed_reason.")
    proposed_reason: str | None = Field(default=None, max_length=2000)
    occurrence: str | None = Field(default=None, max_length=64,
                                   description="Default: the occurrence due now.")
    submission_key: str | None = Field(default=None, min_length=8, max_length=64,
                                       pattern=r"^[A-Za-z0-9_.:-]+$")


def plan_out(plan: t.Plan) -> PlanOut:
    return PlanOut(slug=plan.slug, title=plan.title, short_name=plan.short_name,
                   organisation=plan.organisation.name, period_start=plan.period_start,
                   period_end=plan.period_end)


def report_out(report: t.StatusReport, activity_key: str) -> ReportOut:
    return ReportOut(
        id=report.id, activity=activity_key, occurrence=report.occurrence_key,
        status=Status(report.status), progress=report.progress, comment=report.comment,
        obstacles=report.obstacles, proposed_date=report.proposed_date,
        proposed_reason=report.proposed_reason, reporter_name=report.reporter_name,
        channel=report.channel, created_at=report.created_at)


def activity_out(row: ActivityRow) -> ActivityOut:
    activity = row.activity
    return ActivityOut(
        id=activity.key, number=activity.number, text=activity.text,
        owners=[name for _, name in row.owners], owner_ids=[key for key, _ in row.owners],
        principle=activity.principle_key, timeline=activity.timeline, next_due=row.next_due,
        overdue_since=row.overdue[0].due if row.overdue else None,
        pending_dates=row.pending_dates,
        latest=report_out(row.latest, activity.key) if row.latest else None)
