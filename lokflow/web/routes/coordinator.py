"""Coordinator pages (login required): logging in and out, the
organisation's dashboard and each plan's. Tables and exports are in
`coordinator_tables`, an activity's page and actions in
`coordinator_activity`, dates and rounds in `coordinator_decisions`, annual
reports in `annual_reports`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from lokflow.access.logins import log_in
from lokflow.reporting.activity_query import ActivityQuery
from lokflow.reporting.dashboard import (
    PlanRow,
    plan_dashboard,
    plan_row,
    total_counts,
    total_parties,
)
from lokflow.reporting.plan_overview import visible_plan_ids
from lokflow.reporting.table_export import WRITERS
from lokflow.store import tables as t
from lokflow.texts.pages import PAGE_TEXTS
from lokflow.web.coordinator_auth import (
    Coordinator,
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
from lokflow.web.coordinator_pages import (
    coordinator_read,
    coordinator_session,
    lines_of,
    page,
    party_names,
    plan_of,
    with_query,
)
from lokflow.web.coordinator_tables import PlanSort, download, plans_table
from lokflow.web.dashboard_charts import bars, dashboard_charts
from lokflow.web.deps import lokflow_app
from lokflow.web.paging import PARAM as PAGE
from lokflow.web.paging import Paging
from lokflow.web.routes import (
    coordinator_activity,
    coordinator_decisions,
    coordinator_tables,
)
from lokflow.web.templating import language_of, render

router = APIRouter(include_in_schema=False)
for _pages in (coordinator_decisions, coordinator_tables, coordinator_activity):
    router.include_router(_pages.router)
Text = Annotated[str, Form(max_length=1024)]
PLANS_PER_PAGE = 50


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


def plan_rows(request: Request, session: Session, who: Coordinator) -> list[PlanRow]:
    """Every visible plan's row, kept with its lines until they change."""
    app = lokflow_app(request)
    found = app.line_cache.derived(
        session, visible_plan_ids(session, who.organisation_id), app.today(), "plan_row",
        lambda plan_id, lines: plan_row(session.get_one(t.Plan, plan_id), lines, app.today()))
    return list(found.values())


@router.get("/samordnare", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """The organisation's dashboard: every plan's numbers, totals and statuses."""
    app = lokflow_app(request)
    chosen = PlanSort.parse(request.query_params)
    language = language_of(request)
    with coordinator_read(request) as (session, who):
        rows = plan_rows(request, session, who)
        by_party = total_parties(rows, party_names(request))
        shown = chosen.apply(rows)
        paging = Paging.of(request.query_params, len(shown), PLANS_PER_PAGE)
        return page(request, who, "coordinator_plans.html", {
            "rows": paging.slice(shown), "shown": len(shown), "paging": paging,
            "page_link": lambda n: with_query("/samordnare", {**chosen.params(), PAGE: str(n)},
                                              request),
            "sort": chosen, "total": len(rows),
            "counts": total_counts(rows, app.today()),
            "activities": sum(r.activities for r in rows), "by_party": by_party,
            "party_chart": bars(by_party, PAGE_TEXTS[language]["dash_by_party"], language),
            "table_link": lambda q: with_query("/samordnare/aktiviteter", q.params(), request),
            "sort_link": lambda key: with_query("/samordnare", chosen.link(key), request),
            "export_link": lambda name: with_query(f"/samordnare/planer.{name}",
                                                   chosen.params(), request)})


@router.get("/samordnare/planer.{format_name}")
def export_plans(request: Request, format_name: str) -> Response:
    """The organisation's plan table as CSV or XLSX (the columns of the page)."""
    chosen = PlanSort.parse(request.query_params)
    if format_name not in WRITERS:
        raise HTTPException(404)
    with coordinator_read(request) as (session, who):
        table = plans_table(chosen.apply(plan_rows(request, session, who)),
                            language_of(request))
    return download(table, format_name, "lokflow-planer")


@router.get("/samordnare/planer/{slug}", response_class=HTMLResponse)
def overview(request: Request, slug: str) -> HTMLResponse:
    """A plan at a glance: the numbers that need the coordinator, the open
    round's progress, statuses per party and principle, the oldest overdue."""
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        lines = lines_of(request, session, [plan])[plan.id]
        found = plan_dashboard(session, plan, lines, app.today(),
                               party_names(request, plan))
        base = f"/samordnare/planer/{slug}"
        return page(request, who, "coordinator_plan.html", {
            "d": found, "plan": plan, "today": app.today(),
            "table_link": lambda q: with_query(base + "/aktiviteter", q.params(), request),
            "blank": ActivityQuery(), "overdue_query": ActivityQuery(overdue=True, sort="overdue"),
            "round_query": lambda owner: ActivityQuery(round=True, owner=owner),
            "charts": dashboard_charts(found, language_of(request))})
