"""Coordinator decisions: accept or reject proposed dates (with a reason the
owners are told), and open (with a deadline and a preview of who gets
what), remind, follow and close a plan's reporting round. Every POST carries
the coordinator's CSRF value and answers with a redirect (post/redirect/get)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lokflow.engine.coordinator_actions import ActionRefused, decide_and_tell
from lokflow.engine.reporting_rounds import (
    RoundError,
    close_round,
    open_round,
    round_notices_now,
)
from lokflow.reporting.report_queries import date_change_in_plan, pending_changes
from lokflow.reporting.status_reports import ReportRejected
from lokflow.web.coordinator_auth import Csrf, check_csrf, safe_next
from lokflow.web.coordinator_pages import (
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import DbId, lokflow_app
from lokflow.web.round_pages import chosen_deadline, round_context, round_routes
from lokflow.web.sending import send_soon

router = APIRouter(include_in_schema=False)
router.include_router(round_routes)


@router.get("/samordnare/planer/{slug}/datum", response_class=HTMLResponse)
def dates(request: Request, slug: str) -> HTMLResponse:
    """Proposed new dates waiting for a decision."""
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        return page(request, who, "coordinator_dates.html", {
            "plan": plan, "pending": pending_changes(session, plan.id),
            "decided": request.query_params.get("beslut") == "ok", "decide_error": None,
            "back_to": f"/samordnare/planer/{slug}/datum"})


@router.post("/samordnare/planer/{slug}/datum/{change_id}")
def decide(request: Request, background: BackgroundTasks, slug: str, change_id: DbId,
           decision: Annotated[Literal["accept", "reject"], Form()], csrf: Csrf,
           reason: Annotated[str, Form(max_length=4000)] = "",
           next: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Accept or reject one proposal, with a reason; the owners get an email.
    An accepted date moves reminders and calendars."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        change = date_change_in_plan(session, plan.id, change_id)
        if change is None:
            raise HTTPException(404)
        try:
            decide_and_tell(session, change, decision == "accept", reason, who.display_name,
                            app.now(), app.today())
        except ReportRejected:
            raise HTTPException(409) from None
        except ActionRefused as refused:  # refused before anything was written
            return page(request, who, "coordinator_dates.html", {
                "plan": plan, "pending": pending_changes(session, plan.id), "decided": False,
                "decide_error": (change_id, refused.code),
                "back_to": f"/samordnare/planer/{slug}/datum"}, status_code=422)
    send_soon(background, app)
    target = safe_next(next) if next else f"/samordnare/planer/{slug}/datum"
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}beslut=ok", status_code=303)


@router.get("/samordnare/planer/{slug}/omgang", response_class=HTMLResponse)
def round_page(request: Request, slug: str,
               year: Annotated[str, Query(max_length=4)] = "",
               deadline: Annotated[str, Query(max_length=10)] = "") -> HTMLResponse:
    """The round's response rate per owner and who is missing; with no round,
    the form that opens one with its deadline, and a preview of who gets what."""
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        context = round_context(request, session, plan, year, deadline)
        return page(request, who, "coordinator_round.html", context)


@router.post("/samordnare/planer/{slug}/omgang")
def round_action(request: Request, background: BackgroundTasks, slug: str, csrf: Csrf,
                 action: Annotated[Literal["open", "close"], Form()],
                 year: Annotated[int, Form(ge=2000, le=2100)],
                 deadline: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Open a round now (every owner is asked at once) or close it."""
    app = lokflow_app(request)
    asked = 0
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        try:
            if action == "open":
                row = open_round(session, plan, year, app.now(), app.today(),
                                 chosen_deadline(deadline),
                                 recent_days=app.settings.round_recent_days)
                asked = round_notices_now(session, row, app.now(), app.today()).items
            else:
                close_round(session, plan, year, app.now())
        except RoundError as error:  # raised before anything is written
            context = round_context(request, session, plan, str(year), deadline)
            return page(request, who, "coordinator_round.html",
                        {**context, "error": f"err_round_{error.code}"}, 409)
    if asked:
        send_soon(background, app)
    query = lang_query(request)
    query = f"{query}&year={year}" if query else f"?year={year}"
    opened = f"&oppnad={asked}" if action == "open" else ""
    return RedirectResponse(f"/samordnare/planer/{slug}/omgang{query}{opened}",
                            status_code=303)
