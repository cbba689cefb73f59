"""The JSON API for what a coordinator does on the web: the dashboard, the
activity table and its export, the sent log, and (with a key of scope
`coordinator`) reminding now, recording a report on an owner's behalf,
deciding proposed dates, opening and reminding rounds and compiling the
annual report. A `report` key gets 403 on those."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from lokflow.access.api_keys import ApiCaller
from lokflow.annual_report.archive import document, list_reports
from lokflow.annual_report.formats import FORMATS, file_name
from lokflow.reporting.activity_columns import activity_table, columns
from lokflow.reporting.activity_query import ActivityQuery
from lokflow.reporting.dashboard import plan_dashboard
from lokflow.reporting.plan_overview import PlanHidden, visible_activity, visible_plans
from lokflow.reporting.report_input import Problem, ReportRejected
from lokflow.reporting.sent_log import SentQuery, sent_log
from lokflow.reporting.table_export import MEDIA_TYPES, WRITERS
from lokflow.store import tables as t
from lokflow.texts.pages import PAGE_TEXTS
from lokflow.texts.vocabulary import PARTY_LABELS
from lokflow.web.api_actions import ACTIONS, ActionContext
from lokflow.web.deps import DbId, lokflow_app
from lokflow.web.errors import api_language
from lokflow.web.routes.api import NOT_FOUND, Caller, json_object

router = APIRouter(prefix="/api/v1", tags=["coordinators"])
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND, 403: {"description": "The key's scope is `report`, not `coordinator`."}}


@contextmanager
def plan_for(request: Request, who: ApiCaller, slug: str,
             write: bool = False) -> Iterator[tuple[Session, t.Plan]]:
    app = lokflow_app(request)
    with app.sessions.begin() if write else app.read() as session:
        found = [p for p in visible_plans(session, who.organisation_id)
                 if p.slug == slug and who.plan_id in (None, p.id)]
        if not found:
            raise HTTPException(404)
        yield session, found[0]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@router.get("/plans/{plan}/dashboard", responses=NOT_FOUND)
def dashboard(request: Request, who: Caller, plan: str) -> dict[str, Any]:
    """The plan's numbers (each with the table query that lists them), the open
    round's progress per owner, and statuses per party and principle."""
    app = lokflow_app(request)
    with plan_for(request, who, plan) as (session, found):
        lines = app.line_cache.lines(session, [found.id], app.today())[found.id]
        d = plan_dashboard(session, found, lines, app.today(), PARTY_LABELS["en"])
        progress = d.round
        return {
            "plan": found.slug, "activities": d.activities,
            "counts": {c.name: {"value": c.value, "query": c.query.params()} for c in d.counts},
            "round": None if progress is None else {
                "year": progress.year, "deadline": progress.deadline.isoformat(),
                "answered": progress.answered, "total": progress.total,
                "owners": [{"id": o.key, "name": o.name, "answered": o.answered,
                            "total": o.total} for o in progress.owners]},
            "by_party": {b.key: b.counts for b in d.parties},
            "by_principle": {b.key: b.counts for b in d.principles},
            "escalations": {str(level): n for level, n in d.escalations.items()}}


@router.get("/plans/{plan}/table", responses=NOT_FOUND)
def table(request: Request, who: Caller, plan: str) -> list[dict[str, Any]]:
    """The activity table of the web, with its filters and sort as query
    parameters (q, owner, party, principle, status, overdue, round, pending,
    within, from, to, sort, order)."""
    query, problems = ActivityQuery.parse(request.query_params)
    if problems:
        raise ReportRejected([Problem(name, "invalid_value") for name in problems])
    app = lokflow_app(request)
    with plan_for(request, who, plan) as (session, found):
        lines = app.line_cache.lines(session, [found.id], app.today())[found.id]
        return [{"id": a.key, "number": a.number, "text": a.text, "party": a.party,
                 "principle": a.principle, "owner_ids": [k for k, _ in a.owners],
                 "status": a.status, "progress": a.progress,
                 "next_due": _iso(a.next_due), "overdue_since": _iso(a.overdue_since),
                 "overdue_count": a.overdue_count, "escalation_level": a.escalation,
                 "pending_dates": a.pending_dates, "in_round": a.in_round,
                 "answered_in_round": a.answered}
                for a in query.apply(lines, app.today())]


@router.get("/plans/{plan}/table.{format_name}", responses=NOT_FOUND)
def export(request: Request, who: Caller, plan: str, format_name: str) -> Response:
    """The same table as CSV or XLSX, with the web page's columns."""
    if format_name not in WRITERS:
        raise HTTPException(404)
    query, problems = ActivityQuery.parse(request.query_params)
    if problems:
        raise ReportRejected([Problem(name, "invalid_value") for name in problems])
    app, language = lokflow_app(request), api_language(request)
    with plan_for(request, who, plan) as (session, found):
        lines = app.line_cache.lines(session, [found.id], app.today())[found.id]
        data = WRITERS[format_name](activity_table(
            query.apply(lines, app.today()), columns(False), language,
            lambda _: found.short_name, found.short_name, app.settings.tz))
    return Response(data, media_type=MEDIA_TYPES[format_name], headers={
        "Content-Disposition": f'attachment; filename="lokflow-{plan}-aktiviteter.'
                               f'{format_name}"'})


@router.get("/plans/{plan}/notices", responses=NOT_FOUND)
def notices(request: Request, who: Caller, plan: str,
            activity: str | None = None) -> list[dict[str, Any]]:
    """What the plan sent, newest first (kind, status, q, from, to filter it)."""
    query, problems = SentQuery.parse(request.query_params)
    if problems:
        raise ReportRejected([Problem(name, "invalid_value") for name in problems])
    with plan_for(request, who, plan) as (session, found):
        if activity is not None:
            try:
                row = visible_activity(session, found, activity)
            except PlanHidden:
                raise HTTPException(404) from None
            query = SentQuery(query.kind, query.status, query.text, query.day_from,
                              query.day_to, row.id)
        found_notices, _ = sent_log(session, found.id, query, limit=1000)
        return [{"day": n.planned_day.isoformat(), "kind": n.kind, "level": n.level,
                 "recipient": n.recipient_email, "activity": n.activity_key,
                 "due": _iso(n.due), "status": n.status,
                 "sent_at": n.sent_at.isoformat() if n.sent_at else None}
                for n in found_notices]


async def _post(request: Request, background: BackgroundTasks, who: ApiCaller, plan: str,
                name: str, **path: str) -> Response:
    """Check the key's scope, then read the body, then act in a worker thread."""
    if not who.coordinates:
        raise HTTPException(403)
    body = await request.body()
    values = {**(json_object(body) if body.strip() else {}), **path}
    return await run_in_threadpool(_act, request, background, who, plan, name, values)


def _act(request: Request, background: BackgroundTasks, who: ApiCaller, plan: str, name: str,
         values: dict[str, object]) -> Response:
    app = lokflow_app(request)
    with plan_for(request, who, plan, write=True) as (session, found):
        outcome = ACTIONS[name](ActionContext(app, session, found, f"{who.label} (API)",
                                              values, background))
    if outcome.status >= 400:
        words = PAGE_TEXTS[api_language(request)]
        return JSONResponse({"detail": outcome.code, "message": words.get(
            f"err_{outcome.code}", words["error_other"])}, status_code=outcome.status)
    return JSONResponse(outcome.body, status_code=outcome.status)


@router.post("/plans/{plan}/activities/{activity}/reminders", responses=FORBIDDEN)
async def remind(request: Request, background: BackgroundTasks, who: Caller, plan: str,
                 activity: str) -> Response:
    """Remind the activity's owners now. Body: `{"action_id": "...", "preview": false}`;
    the same action_id queues once. With preview, the exact emails, nothing sent."""
    return await _post(request, background, who, plan, "remind", activity=activity)


@router.post("/plans/{plan}/activities/{activity}/reports-on-behalf", status_code=201,
             responses=FORBIDDEN)
async def on_behalf(request: Request, background: BackgroundTasks, who: Caller, plan: str,
                    activity: str) -> Response:
    """A report an owner gave by phone, meeting or email: a status report's body
    plus `on_behalf_of` and `channel` (phone, meeting, email, other)."""
    return await _post(request, background, who, plan, "on_behalf", activity=activity)


@router.post("/plans/{plan}/date-changes/{change}/decision", responses=FORBIDDEN)
async def decide(request: Request, background: BackgroundTasks, who: Caller, plan: str,
                 change: str) -> Response:
    """Body: `{"decision": "accept"|"reject", "reason": "..."}`; the owners get an email."""
    return await _post(request, background, who, plan, "decide", change=change)


@router.post("/plans/{plan}/rounds", responses=FORBIDDEN)
async def open_round_now(request: Request, background: BackgroundTasks, who: Caller,
                         plan: str) -> Response:
    """Open the round. Body: `{"year": 2027, "deadline": "2027-11-15", "preview": false}`
    (all optional); the owners are asked at once."""
    return await _post(request, background, who, plan, "open_round")


@router.post("/plans/{plan}/rounds/reminders", responses=FORBIDDEN)
async def remind_round_now(request: Request, background: BackgroundTasks, who: Caller,
                           plan: str) -> Response:
    """Remind everyone missing in the open round. Body: `{"action_id": "..."}`."""
    return await _post(request, background, who, plan, "remind_round")


@router.post("/plans/{plan}/annual-reports", status_code=201, responses=FORBIDDEN)
async def compile_report(request: Request, background: BackgroundTasks, who: Caller,
                         plan: str) -> Response:
    """Compile the annual report. Body: `{"year": 2024, "language": "sv"}`; returns
    the stored version (a new one only if the content changed) and its downloads."""
    return await _post(request, background, who, plan, "compile")


@router.get("/plans/{plan}/annual-reports", responses=NOT_FOUND)
def annual_reports(request: Request, who: Caller, plan: str) -> list[dict[str, Any]]:
    """The plan's stored annual reports, newest first, with their versions."""
    with plan_for(request, who, plan) as (session, found):
        return [{"id": r.id, "year": r.year, "language": r.language, "version": r.version,
                 "latest": r.version == r.versions, "compiled_at": r.created_at.isoformat(),
                 "downloads": {name: f"/api/v1/plans/{plan}/annual-reports/{r.id}.{name}"
                               for name in FORMATS}}
                for r in list_reports(session, plan_slug=found.slug)]


@router.get("/plans/{plan}/annual-reports/{report_id}.{format_name}", responses=NOT_FOUND)
def annual_report(request: Request, who: Caller, plan: str, report_id: DbId,
                  format_name: str) -> Response:
    """One stored report as PDF, HTML, Markdown or XLSX."""
    if format_name not in FORMATS:
        raise HTTPException(404)
    with plan_for(request, who, plan) as (session, found):
        report = session.get(t.AnnualReport, report_id)
        if report is None or report.plan_id != found.id:
            raise HTTPException(404)
        data = document(report, format_name)
        name = file_name(found.slug, report.year, format_name, report.language)
    return Response(data, media_type=FORMATS[format_name].media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})
