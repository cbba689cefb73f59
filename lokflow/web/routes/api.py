"""The JSON API (/api/v1) for integrations: plans, activities with their latest
status, and status reports. Every call needs an API key
(`Authorization: Bearer <key>`, from `lokflow apikeys create`) and sees only
its own organisation (and plan, if the key is limited to one). Errors are
JSON: `detail` (a code), `message` (Swedish, or English by `?lang=en` or
Accept-Language) and, for 422, `errors` per field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from lokflow.access.api_keys import ApiCaller, api_caller
from lokflow.reporting.api_reports import record_api_report
from lokflow.reporting.overdue import overdue_by_activity
from lokflow.reporting.plan_overview import (
    PlanHidden,
    plan_overview,
    visible_activity,
    visible_plans,
)
from lokflow.reporting.report_input import Problem, ReportRejected, parse_report
from lokflow.reporting.status_reports import reports_of
from lokflow.store import tables as t
from lokflow.web.api_models import (
    ActivityOut,
    ApiError,
    PlanOut,
    ReportOut,
    activity_out,
    plan_out,
    report_out,
)
from lokflow.web.deps import lokflow_app

router = APIRouter(prefix="/api/v1", tags=["status reports"])
bearer = HTTPBearer(auto_error=False, description="An API key from `lokflow apikeys create`.")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such plan or activity in this key's organisation."}}


def caller(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
           ) -> ApiCaller:
    """The organisation an API key speaks for; 401 without a live key."""
    app = lokflow_app(request)
    found = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        with app.read() as session:
            found = api_caller(session, credentials.credentials, app.now())
    if found is None:
        raise HTTPException(401, headers={"WWW-Authenticate": "Bearer"})
    return found


Caller = Annotated[ApiCaller, Depends(caller)]


@contextmanager
def _plan(request: Request, who: ApiCaller, slug: str,
          write: bool = False) -> Iterator[tuple[Session, t.Plan]]:
    app = lokflow_app(request)
    with app.sessions.begin() if write else app.read() as session:
        plans = [p for p in visible_plans(session, who.organisation_id)
                 if p.slug == slug and who.plan_id in (None, p.id)]
        if not plans:
            raise HTTPException(404)
        yield session, plans[0]


@router.get("/plans", response_model=list[PlanOut])
def list_plans(request: Request, who: Caller) -> list[PlanOut]:
    """The plans of the key's organisation."""
    with lokflow_app(request).read() as session:
        return [plan_out(p) for p in visible_plans(session, who.organisation_id)
                if who.plan_id in (None, p.id)]


@router.get("/plans/{plan}/activities", response_model=list[ActivityOut], responses=NOT_FOUND)
def list_activities(request: Request, who: Caller, plan: str,
                    owner: Annotated[str | None, Query(max_length=64)] = None,
                    status_filter: Annotated[str | None, Query(alias="status", max_length=20)]
                    = None) -> list[ActivityOut]:
    """The plan's open activities with their latest status; filter by owner unit
    id or by status (`none`: never reported)."""
    with _plan(request, who, plan) as (session, found):
        app = lokflow_app(request)
        overview = plan_overview(session, found, app.today(), owner=owner,
                                 status=status_filter)
        late = overdue_by_activity(session, app.today(), app.settings.tz, plans=[found.slug])
        return [activity_out(row, late.get(row.activity.id)) for row in overview.rows]


@router.get("/plans/{plan}/activities/{activity}", response_model=ActivityOut,
            responses=NOT_FOUND)
def get_activity(request: Request, who: Caller, plan: str, activity: str) -> ActivityOut:
    with _plan(request, who, plan) as (session, found):
        app = lokflow_app(request)
        rows = plan_overview(session, found, app.today()).rows
        for row in rows:
            if row.activity.key == activity:
                late = overdue_by_activity(session, app.today(), app.settings.tz,
                                           activity_ids=[row.activity.id])
                return activity_out(row, late.get(row.activity.id))
        raise HTTPException(404)


@router.get("/plans/{plan}/activities/{activity}/reports", response_model=list[ReportOut],
            responses=NOT_FOUND)
def list_reports(request: Request, who: Caller, plan: str, activity: str) -> list[ReportOut]:
    """Every report of the activity, oldest first (history is append-only)."""
    with _plan(request, who, plan) as (session, found):
        try:
            row = visible_activity(session, found, activity)
        except PlanHidden:
            raise HTTPException(404) from None
        return [report_out(r, activity) for r in reports_of(session, row.id)]


@router.post("/plans/{plan}/activities/{activity}/reports", response_model=ReportOut,
             status_code=status.HTTP_201_CREATED, responses={
                 **NOT_FOUND, 401: {"model": ApiError, "description": "No live API key."},
                 413: {"model": ApiError, "description": "The body is over 256 KiB."},
                 422: {"model": ApiError, "description": "The report breaks a rule."}})
async def post_report(request: Request, who: Caller, plan: str, activity: str) -> ReportOut:
    """Store a status report (body: ReportIn). A proposed date needs a reason;
    the coordinator accepts or rejects it. The key is checked before the body
    is read."""
    values = json_object(await request.body())
    return await run_in_threadpool(_store_report, request, who, plan, activity, values)


def json_object(body: bytes) -> dict[str, object]:
    """The body as a JSON object (UTF-8), or ReportRejected (422)."""
    try:
        found = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):  # also bad UTF-8 and 4,300+ digit numbers
        raise ReportRejected([Problem("body", "json_invalid")]) from None
    if not isinstance(found, dict):
        raise ReportRejected([Problem("body", "json_not_object")])
    return found


def _store_report(request: Request, who: ApiCaller, plan: str, activity: str,
                  values: dict[str, object]) -> ReportOut:
    app = lokflow_app(request)
    report = parse_report(values, channel="api", today=app.today())
    with _plan(request, who, plan, write=True) as (session, found):
        try:
            row = visible_activity(session, found, activity, include_archived=False)
        except PlanHidden:
            raise HTTPException(404) from None
        saved = record_api_report(session, who, row, report, app.now(), app.today())
        return report_out(saved, activity)
