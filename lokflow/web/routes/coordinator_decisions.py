"""Coordinator decisions: accept or reject proposed dates, and open, follow
and close a plan's reporting round. Every POST carries the coordinator's
CSRF value and answers with a redirect (post/redirect/get)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lokflow.engine.reporting_rounds import (
    RoundError,
    close_round,
    current_year,
    find_round,
    open_round,
    round_status,
)
from lokflow.reporting.report_queries import date_change_in_plan, pending_changes
from lokflow.reporting.status_reports import ReportRejected, decide_date
from lokflow.web.coordinator_auth import check_csrf, safe_next
from lokflow.web.coordinator_pages import (
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import DbId, digits, lokflow_app

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]


@router.get("/samordnare/planer/{slug}/datum", response_class=HTMLResponse)
def dates(request: Request, slug: str) -> HTMLResponse:
    """Proposed new dates waiting for a decision."""
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        return page(request, who, "coordinator_dates.html", {
            "plan": plan, "pending": pending_changes(session, plan.id),
            "decided": request.query_params.get("beslut") == "ok"})


@router.post("/samordnare/planer/{slug}/datum/{change_id}")
def decide(request: Request, slug: str, change_id: DbId,
           decision: Annotated[Literal["accept", "reject"], Form()], csrf: Csrf,
           next: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Accept or reject one proposal; an accepted date moves reminders and calendars."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        change = date_change_in_plan(session, plan.id, change_id)
        if change is None:
            raise HTTPException(404)
        try:
            decide_date(session, change, decision == "accept", who.display_name, app.now())
        except ReportRejected:
            raise HTTPException(409) from None
    target = safe_next(next) if next else f"/samordnare/planer/{slug}/datum"
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}beslut=ok", status_code=303)


@router.get("/samordnare/planer/{slug}/omgang", response_class=HTMLResponse)
def round_page(request: Request, slug: str,
               year: Annotated[str, Query(max_length=4)] = "") -> HTMLResponse:
    """The round's response rate per owner, and who is missing."""
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        chosen = int(year) if digits(year) and len(year) == 4 else current_year(
            session, plan, app.today())
        status = round_status(session, plan, chosen) if find_round(session, plan, chosen) else None
        return page(request, who, "coordinator_round.html", {
            "plan": plan, "year": chosen, "status": status, "error": None})


@router.post("/samordnare/planer/{slug}/omgang")
def round_action(request: Request, slug: str, csrf: Csrf,
                 action: Annotated[Literal["open", "close"], Form()],
                 year: Annotated[int, Form(ge=2000, le=2100)]) -> Response:
    """Open a round now (asks every owner today) or close it (no more notices)."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        try:
            if action == "open":
                open_round(session, plan, year, app.now(), app.today())
            else:
                close_round(session, plan, year, app.now())
        except RoundError as error:  # raised before anything is written
            return page(request, who, "coordinator_round.html", {
                "plan": plan, "year": year, "status": None, "error": str(error)}, 409)
    query = lang_query(request)
    query = f"{query}&year={year}" if query else f"?year={year}"
    return RedirectResponse(f"/samordnare/planer/{slug}/omgang{query}", status_code=303)
