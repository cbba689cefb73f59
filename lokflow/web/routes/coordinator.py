"""Coordinator pages (login required): the plans, each plan's activities with
latest status and filters, the overdue list and each activity's history.
Decisions on dates and reporting rounds are in `coordinator_decisions`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lokflow.access.logins import log_in
from lokflow.reporting.activity_history import activity_history
from lokflow.reporting.plan_overview import (
    NO_STATUS,
    PlanHidden,
    plan_overview,
    visible_activity,
    visible_plans,
)
from lokflow.reporting.report_queries import pending_changes
from lokflow.web.coordinator_auth import (
    browser_value,
    check_csrf,
    current_coordinator,
    log_out,
    login_csrf,
    login_csrf_ok,
    remember_browser,
    safe_next,
    session_cookie,
)
from lokflow.web.coordinator_pages import coordinator_read, coordinator_session, page, plan_of
from lokflow.web.deps import lokflow_app
from lokflow.web.routes import coordinator_decisions
from lokflow.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(coordinator_decisions.router)
Text = Annotated[str, Form(max_length=1024)]


def _login_page(request: Request, next_path: str, error: str | None = None,
                status_code: int = 200) -> HTMLResponse:
    """The form, with a CSRF value bound to this browser's pre-session cookie."""
    browser = browser_value(request)
    page = render(request, "login.html", {
        "next": safe_next(next_path), "error": error,
        "csrf": login_csrf(request, browser)}, status_code=status_code)
    remember_browser(request, page, browser)
    return page


@router.get("/samordnare/logga-in", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/samordnare") -> Response:
    with lokflow_app(request).read() as session:
        if current_coordinator(request, session) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next)


@router.post("/samordnare/logga-in", response_class=HTMLResponse)
def login(request: Request, username: Text, password: Text, csrf: Text = "",
          next: Text = "/samordnare") -> Response:
    """Count the attempt, check the password, and on success start a session."""
    app = lokflow_app(request)
    if not login_csrf_ok(request, csrf):
        return _login_page(request, next, "err_csrf", 403)
    client = request.client.host if request.client else "unknown"
    result = log_in(app.sessions, client, username, password, app.now(),
                    timedelta(hours=app.settings.session_hours))
    if result.retry_after is not None:
        refused = _login_page(request, next, "login_blocked", 429)
        refused.headers["Retry-After"] = str(result.retry_after)
        return refused
    if result.session_value is None:
        return _login_page(request, next, "login_failed", 401)
    response = RedirectResponse(safe_next(next), status_code=303)
    session_cookie(request, response, result.session_value)
    return response


@router.post("/samordnare/logga-ut")
def logout(request: Request, csrf: Text = "") -> Response:
    """End the session on the server, not just in this browser."""
    response = RedirectResponse("/samordnare/logga-in", status_code=303)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        log_out(request, session, response)
    return response


@router.get("/samordnare", response_class=HTMLResponse)
def plans(request: Request) -> HTMLResponse:
    """The plans this coordinator may see, with overdue and pending counts."""
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        found = [plan_overview(session, p, app.today())
                 for p in visible_plans(session, who.organisation_id)]
        return page(request, who, "coordinator_plans.html", {"overviews": found})


@router.get("/samordnare/planer/{slug}", response_class=HTMLResponse)
def overview(request: Request, slug: str,
             owner: Annotated[str, Query(max_length=64)] = "",
             status: Annotated[str, Query(max_length=20)] = "",
             principle: Annotated[str, Query(max_length=64)] = "",
             overdue: Annotated[str, Query(max_length=5)] = "") -> HTMLResponse:
    """All activities of a plan with latest status, filtered by owner, status, principle."""
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        found = plan_overview(session, plan, app.today(), owner=owner, status=status,
                              principle=principle, overdue_only=bool(overdue))
        return page(request, who, "coordinator_plan.html", {
            "o": found, "plan": plan, "no_status": NO_STATUS,
            "chosen": {"owner": owner, "status": status, "principle": principle,
                       "overdue": bool(overdue)}})


@router.get("/samordnare/planer/{slug}/forsenade", response_class=HTMLResponse)
def overdue_list(request: Request, slug: str) -> HTMLResponse:
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        found = plan_overview(session, plan, app.today(), overdue_only=True)
        rows = sorted(found.rows, key=lambda r: r.overdue[0].due)
        return page(request, who, "coordinator_overdue.html", {"plan": plan, "rows": rows})


@router.get("/samordnare/planer/{slug}/aktivitet/{key}", response_class=HTMLResponse)
def history(request: Request, slug: str, key: str) -> HTMLResponse:
    """Every report, date change and event of one activity."""
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        try:
            activity = visible_activity(session, plan, key)
        except PlanHidden:
            raise HTTPException(404) from None
        pending = [c for c, _ in pending_changes(session, plan.id) if c.activity_id == activity.id]
        return page(request, who, "coordinator_activity.html", {
            "plan": plan, "h": activity_history(session, activity), "pending": pending,
            "show_events": True})
