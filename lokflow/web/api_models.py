"""The JSON API's request and response shapes (they make the OpenAPI docs at
/docs). The request body is documentation only: reports are checked by the
one set of rules in `services.report_input`. Status names are the English
ones: not_started, in_progress, done, delayed, paused, cancelled."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from lokflow.domain.statuses import Status
from lokflow.reporting.overdue import OverdueOccurrence
from lokflow.reporting.plan_overview import ActivityRow
from lokflow.reporting.report_input import MAX_NAME, MAX_TEXT, SUBMISSION_KEY
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


class OverdueOut(BaseModel):
    """A passed deadline without a `done` or `cancelled` report."""

    occurrence: str = Field(description="Which occurrence: 'deadline' or a year.")
    due: date = Field(description="Overdue since this date (an accepted new date applied).")
    days_overdue: int
    escalation_level: int = Field(description="The highest escalation level sent (0: none).")
    escalated_to: str | None = Field(description="Who that level went to, e.g. "
                                                 "'escalation_contacts'.")
    last_notice: date | None = Field(description="The last day a notice about it was sent.")


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
    overdue: list[OverdueOut] = Field(default_factory=list,
                                      description="Every overdue occurrence, earliest first.")
    inferred: list[str] = Field(default_factory=list, examples=[["timeline"]], description=(
        "Fields whose value the action plan does not give (inferred by whoever wrote the "
        "plan file): timeline, annual_date, dates, per_year, owners, executor."))


class ReportIn(BaseModel):
    """A status report. Send the same `submission_key` again to retry safely:
    the report is stored once. The rules are those of every channel (see
    `lokflow.reporting.report_input`); a broken rule answers 422 with a code per
    field and its message in the request's language."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    reporter_name: str = Field(min_length=1, max_length=MAX_NAME)
    reporter_email: EmailStr | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    comment: str | None = Field(default=None, max_length=MAX_TEXT)
    obstacles: str | None = Field(default=None, max_length=MAX_TEXT)
    proposed_date: date | None = Field(
        default=None, description="Today or later, at most ten years ahead; needs "
                                  "proposed_reason.")
    proposed_reason: str | None = Field(default=None, max_length=MAX_TEXT,
                                        description="Needs proposed_date.")
    occurrence: str | None = Field(
        default=None, max_length=64,
        description="One of the activity's occurrences ('deadline', a year, "
                    "checkin-YYYY-MM-DD). Default: the occurrence due now.")
    submission_key: str | None = Field(default=None, min_length=8, max_length=64,
                                       pattern=SUBMISSION_KEY.pattern)


class Problem(BaseModel):
    field: str = Field(examples=["proposed_date"])
    code: str = Field(examples=["date_range"], description="The rule, for programs.")
    message: str = Field(description="The rule, for people: Swedish, or English with "
                                     "`?lang=en` or `Accept-Language: en`.")


class ApiError(BaseModel):
    """Every error of the API: a machine code and a message; 422 lists the problems."""

    detail: str = Field(examples=["invalid"])
    message: str
    errors: list[Problem] | None = None


def document_report_body(spec: dict[str, Any]) -> None:
    """Put ReportIn into the OpenAPI document as the body of posted reports. The
    route reads its body itself, after checking the API key, so FastAPI cannot
    see it."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for model in (ReportIn, ApiError):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(found.pop("$defs", {}))
        schemas[model.__name__] = found
    body = {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ReportIn"}}}}
    for path in spec.get("paths", {}).values():
        if "post" in path and path["post"].get("operationId", "").startswith("post_report"):
            path["post"]["requestBody"] = body


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


def activity_out(row: ActivityRow, overdue: list[OverdueOccurrence] | None = None
                 ) -> ActivityOut:
    activity = row.activity
    return ActivityOut(
        id=activity.key, number=activity.number, text=activity.text,
        owners=[name for _, name in row.owners], owner_ids=[key for key, _ in row.owners],
        principle=activity.principle_key, timeline=activity.timeline, next_due=row.next_due,
        overdue_since=row.overdue[0].due if row.overdue else None,
        pending_dates=row.pending_dates,
        latest=report_out(row.latest, activity.key) if row.latest else None,
        overdue=[OverdueOut(occurrence=o.occurrence, due=o.since, days_overdue=o.days,
                            escalation_level=o.level, escalated_to=o.level_to,
                            last_notice=o.last_notice) for o in overdue or []],
        inferred=list(activity.inferred or []))
