"""One activity for the coordinator: its page, "Skicka påminnelse nu" (a
preview of the exact email, then the outbox) and a report recorded on an
owner's behalf. Every POST carries the coordinator's CSRF value and answers
with a redirect (post/redirect/get)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lokflow.delivery.preview import preview_emails
from lokflow.engine.coordinator_actions import (
    ActionRefused,
    new_action_id,
    owner_contacts,
    remind_activity,
    reminder_notices,
)
from lokflow.reporting.activity_page import activity_page
from lokflow.reporting.activity_words import describe_event, describe_schedule
from lokflow.reporting.report_queries import pending_changes
from lokflow.web.coordinator_auth import Csrf, check_csrf
from lokflow.web.coordinator_pages import (
    activity_of,
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import lokflow_app
from lokflow.web.on_behalf import behalf_routes
from lokflow.web.sending import send_soon
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)
router.include_router(behalf_routes)
ActionId = Annotated[str, Form(max_length=64)]


def activity_path(slug: str, key: str) -> str:
    return f"/samordnare/planer/{slug}/aktivitet/{key}"


@router.get("/samordnare/planer/{slug}/aktivitet/{key}", response_class=HTMLResponse)
def activity(request: Request, slug: str, key: str) -> HTMLResponse:
    """The activity: text, owners and contacts, timeline, every occurrence,
    reports and decisions, every notice sent, and its event log in words."""
    app, language = lokflow_app(request), language_of(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        row = activity_of(session, plan, key)
        found = activity_page(session, row, app.today())
        pending = [c for c, _ in pending_changes(session, plan.id) if c.activity_id == row.id]
        events = [(e, describe_event(e.kind, e.detail or {}, language))
                  for e in reversed(found.history.events)]
        return page(request, who, "coordinator_activity.html", {
            "plan": plan, "a": found, "h": found.history, "pending": pending,
            "schedule_words": describe_schedule(row.schedule, language),
            "events": events, "notice": request.query_params.get("klart", "") or (
                "beslut" if request.query_params.get("beslut") == "ok" else ""),
            "prefect_events": f"{app.settings.prefect_ui}/events?resource="
                              f"lokflow.activity.{plan.slug}.{row.key}",
            "prefect_runs": f"{app.settings.prefect_ui}/runs",
            "back_to": activity_path(slug, key), "show_events": False})


@router.get("/samordnare/planer/{slug}/aktivitet/{key}/paminn", response_class=HTMLResponse)
def remind_preview(request: Request, slug: str, key: str) -> HTMLResponse:
    """Who gets the reminder and the exact email, before anything is sent."""
    app = lokflow_app(request)
    action = new_action_id()
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        row = activity_of(session, plan, key)
        recipients = owner_contacts(session, row)
        notices = reminder_notices(session, row, action, who.display_name, app.today())
    with app.sessions() as scratch:  # rendered in a transaction that is rolled back
        emails = preview_emails(scratch, notices, app.settings, app.secret(), app.now(),
                                app.today())
    return page(request, who, "coordinator_remind.html", {
        "plan": plan, "activity": row, "recipients": recipients, "emails": emails,
        "action_id": action, "post_to": activity_path(slug, key) + "/paminn",
        "back": activity_path(slug, key), "round": None})


@router.post("/samordnare/planer/{slug}/aktivitet/{key}/paminn")
def remind(request: Request, background: BackgroundTasks, slug: str, key: str, csrf: Csrf,
           action: ActionId) -> Response:
    """Queue the reminder (once per action id: a double click sends once)."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        row = activity_of(session, plan, key)
        try:
            queued = remind_activity(session, row, action, who.display_name, app.now(),
                                     app.today())
        except ActionRefused as refused:
            return page(request, who, "coordinator_refused.html", {
                "plan": plan, "code": refused.code,
                "back": activity_path(slug, key)}, status_code=409)
    send_soon(background, app)
    done = f"paminnelse-{queued.items}" if queued.items else "paminnelse-igen"
    separator = "&" if lang_query(request) else "?"
    return RedirectResponse(f"{activity_path(slug, key)}{lang_query(request)}{separator}"
                            f"klart={done}", status_code=303)
