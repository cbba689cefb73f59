"""The reporting round's page parts: what it shows with and without an open
round (the opening form with its deadline, and the preview of who gets
what), and reminding everyone still missing, with the exact email first."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from lokflow.delivery.preview import PreviewEmail, preview_emails
from lokflow.domain.round_actions import missing_contacts, round_actions
from lokflow.engine.coordinator_actions import (
    ActionRefused,
    new_action_id,
    remind_round,
    round_recipients,
    round_reminder_notices,
)
from lokflow.engine.outbox import Notice
from lokflow.engine.reporting_rounds import (
    OPEN,
    RoundError,
    RoundStatus,
    current_year,
    find_round,
    planned_deadline,
    preview_round,
    round_status,
)
from lokflow.store import tables as t
from lokflow.web.coordinator_auth import check_csrf
from lokflow.web.coordinator_pages import (
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import digits, lokflow_app
from lokflow.web.sending import send_soon

round_routes = APIRouter(include_in_schema=False)


def chosen_deadline(text: str) -> date | None:
    """A deadline typed in the form (empty: the plan's follow-up day)."""
    if not text:
        return None
    try:
        if len(text) == 10 and text.isascii():
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise RoundError(f"{text!r} is not a date", "deadline_invalid")


def _preview_emails(request: Request, status: RoundStatus) -> list[PreviewEmail]:
    """The request the first person would get (the others differ only in name)."""
    app = lokflow_app(request)
    actions = round_actions(status.facts, set(), app.today())
    requests = [a for a in actions if a.kind == "round_request"][:1]
    notices = [Notice(key=a.key, plan_id=status.plan.id, kind=a.kind, stage="request",
                      recipient=a.recipient, planned_day=a.planned_day, due=a.due,
                      detail={"year": status.round.year, "missing": []}) for a in requests]
    with app.sessions() as scratch:
        return preview_emails(scratch, notices, app.settings, app.secret(), app.now(),
                              app.today())


def round_context(request: Request, session: Session, plan: t.Plan, year_text: str,
                  deadline_text: str) -> dict[str, Any]:
    app = lokflow_app(request)
    year = int(year_text) if digits(year_text) and len(year_text) == 4 else current_year(
        session, plan, app.today())
    row = find_round(session, plan, year)
    planned = planned_deadline(session, plan, year)
    context: dict[str, Any] = {
        "plan": plan, "year": year, "error": None, "planned": planned,
        "planned_passed": planned <= app.today(), "recent_days": app.settings.round_recent_days,
        "status": round_status(session, plan, year) if row else None,
        "deadline": deadline_text or (planned.isoformat() if planned > app.today() else ""),
        "preview": None, "emails": [], "opened": request.query_params.get("oppnad")}
    if (row is not None and row.status == OPEN) or not deadline_text:
        return context
    try:
        deadline = chosen_deadline(deadline_text)
    except RoundError as error:
        return {**context, "error": f"err_round_{error.code}"}
    if deadline is None or deadline <= app.today():
        return {**context, "error": "err_round_deadline_passed"}
    preview = preview_round(session, plan, year, deadline, app.now(), app.today(),
                            app.settings.round_recent_days)
    return {**context, "preview": preview, "people": missing_contacts(preview.facts),
            "emails": _preview_emails(request, preview)}


@round_routes.get("/samordnare/planer/{slug}/omgang/paminn", response_class=HTMLResponse)
def round_remind_preview(request: Request, slug: str) -> HTMLResponse:
    app = lokflow_app(request)
    action = new_action_id()
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        try:
            row, recipients = round_recipients(session, plan)
        except ActionRefused as refused:
            return page(request, who, "coordinator_refused.html", {
                "plan": plan, "code": refused.code,
                "back": f"/samordnare/planer/{slug}/omgang"}, status_code=409)
        notices = round_reminder_notices(row, recipients, action, who.display_name,
                                         app.today())
    with app.sessions() as scratch:
        emails = preview_emails(scratch, notices[:1], app.settings, app.secret(), app.now(),
                                app.today())
    return page(request, who, "coordinator_remind.html", {
        "plan": plan, "activity": None, "recipients": recipients, "emails": emails,
        "action_id": action, "post_to": f"/samordnare/planer/{slug}/omgang/paminn",
        "back": f"/samordnare/planer/{slug}/omgang", "round": row})


@round_routes.post("/samordnare/planer/{slug}/omgang/paminn")
def round_remind(request: Request, background: BackgroundTasks, slug: str,
                 csrf: Annotated[str, Form(max_length=200)],
                 action: Annotated[str, Form(max_length=64)]) -> Response:
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        try:
            queued = remind_round(session, plan, action, who.display_name, app.now(),
                                  app.today())
        except ActionRefused as refused:
            return page(request, who, "coordinator_refused.html", {
                "plan": plan, "code": refused.code,
                "back": f"/samordnare/planer/{slug}/omgang"}, status_code=409)
    send_soon(background, app)
    query = lang_query(request)
    return RedirectResponse(f"/samordnare/planer/{slug}/omgang{query}"
                            f"{'&' if query else '?'}paminda={queued.items}", status_code=303)
