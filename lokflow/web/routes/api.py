"""The JSON API (/api/v1) for integrations: plans, activities with their latest
status, and status reports. Every call needs an API key
(`Authorization: Bearer <key>`, from `lokflow apikeys create`) and sees only
its own organisation (and plan, if the key is limited to one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from lokflow.services.api_keys import ApiCaller, api_caller, record_api_report
from lokflow.services.plan_overview import (
    PlanHidden,
    plan_overview,
    visible_activity,
    visible_plans,
)
from lokflow.services.status_reports import ReportInput, ReportRejected, reports_of
from lokflow.store import tables as t
from lokflow.web.api_models import (
    ActivityOut,
    PlanOut,
    ReportIn,
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
        overview = plan_overview(session, found, lokflow_app(request).today(), owner=owner,
                                 status=status_filter)
        return [activity_out(row) for row in overview.rows]


@router.get("/plans/{plan}/activities/{activity}", response_model=ActivityOut,
            responses=NOT_FOUND)
def get_activity(request: Request, who: Caller, plan: str, activity: str) -> ActivityOut:
    with _plan(request, who, plan) as (session, found):
        rows = plan_overview(session, found, lokflow_app(request).today()).rows
        for row in rows:
            if row.activity.key == activity:
                return activity_out(row)
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
             status_code=status.HTTP_201_CREATED,
             responses={**NOT_FOUND, 422: {"description": "The report breaks a rule."}})
def post_report(request: Request, who: Caller, plan: str, activity: str,
                body: ReportIn) -> ReportOut | JSONResponse:
    """Store a status report. A proposed date needs a reason; the coordinator
    accepts or rejects it."""
    app = lokflow_app(request)
    with _plan(request, who, plan, write=True) as (session, found):
        try:
            row = visible_activity(session, found, activity, include_archived=False)
        except PlanHidden:
            raise HTTPException(404) from None
        report = ReportInput(
            status=body.status, reporter_name=body.reporter_name, channel="api",
            progress=body.progress, comment=body.comment, obstacles=body.obstacles,
            proposed_date=body.proposed_date, proposed_reason=body.proposed_reason,
            reporter_email=body.reporter_email, occurrence_key=body.occurrence,
            submission_key=body.submission_key)
        try:
            saved = record_api_report(session, who, row, report, app.now(), app.today())
        except ReportRejected as rejected:  # checked before anything is written
            return JSONResponse({"detail": str(rejected)}, status_code=422)
        return report_out(saved, activity)
