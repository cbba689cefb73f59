"""A report a coordinator records on an owner's behalf (given by phone, at a
meeting, by email): the same rules as every other report, the coordinator
as reporter, and the channel and the owner's name kept with it."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from lokflow.reporting.activity_page import occurrence_states, owners_of
from lokflow.reporting.activity_words import occurrence_words
from lokflow.reporting.report_input import BEHALF_CHANNELS, MAX_NAME, ReportRejected, parse_report
from lokflow.reporting.status_reports import current_occurrence, record_report
from lokflow.store import tables as t
from lokflow.web.coordinator_auth import Coordinator, check_csrf
from lokflow.web.coordinator_pages import (
    activity_of,
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import lokflow_app, read_urlencoded
from lokflow.web.templating import language_of

behalf_routes = APIRouter(include_in_schema=False)
FORM_LIMIT = 64 * 1024
FIELDS = ("status", "progress", "comment", "obstacles", "proposed_date", "proposed_reason",
          "occurrence", "submission_key")


def _path(slug: str, key: str) -> str:
    return f"/samordnare/planer/{slug}/aktivitet/{key}"


def _context(session: Session, request: Request, activity: t.Activity,
             values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    app, language = lokflow_app(request), language_of(request)
    states = occurrence_states(session, activity, app.today())
    current = current_occurrence(session, activity, app.today())
    choices = [(s.key, f"{occurrence_words(s.key, language)} ({s.due.isoformat()})")
               for s in states]
    if current not in {key for key, _ in choices}:
        choices.insert(0, (current, occurrence_words(current, language)))
    names = [c.name for o in owners_of(session, activity) for c in o.contacts]
    return {"activity": activity, "values": {"occurrence": current, **values},
            "errors": errors, "channels": BEHALF_CHANNELS, "occurrences": choices,
            "names": list(dict.fromkeys(names)), "action": _path(activity.plan.slug,
                                                                 activity.key) + "/rapport"}


@behalf_routes.get("/samordnare/planer/{slug}/aktivitet/{key}/rapport",
                   response_class=HTMLResponse)
def behalf_form(request: Request, slug: str, key: str) -> HTMLResponse:
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        row = activity_of(session, plan, key)
        values = {"submission_key": secrets.token_urlsafe(16)}
        return page(request, who, "coordinator_on_behalf.html",
                    {"plan": plan, **_context(session, request, row, values, {})})


def _problems(values: dict[str, str], occurrences: set[str]) -> dict[str, str]:
    errors = {}
    name = values.get("on_behalf_of", "").strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        errors["on_behalf_of"] = "err_behalf_owner"
    if values.get("channel") not in BEHALF_CHANNELS:
        errors["channel"] = "err_behalf_channel"
    if values.get("occurrence") not in occurrences:
        errors["occurrence"] = "err_behalf_occurrence"
    return errors


@behalf_routes.post("/samordnare/planer/{slug}/aktivitet/{key}/rapport")
async def behalf(request: Request, slug: str, key: str) -> Response:
    """Record the report (the form is read with a hard size cap first)."""
    values = dict(await read_urlencoded(request, FORM_LIMIT, max_fields=20))
    return await run_in_threadpool(_record, request, slug, key, values)


def _record(request: Request, slug: str, key: str, values: dict[str, str]) -> Response:
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, values.get("csrf"))
        plan = plan_of(session, who, slug)
        row = activity_of(session, plan, key)
        allowed = {k for k, _ in _context(session, request, row, {}, {})["occurrences"]}
        errors = _problems(values, allowed)
        report_values: dict[str, object] = {f: values.get(f, "") for f in FIELDS}
        report_values["reporter_name"] = who.display_name
        given = values.get("channel", "")
        channel = given if given in BEHALF_CHANNELS else "other"
        try:
            entry = parse_report(report_values, channel=channel, today=app.today())
        except ReportRejected as rejected:
            errors.update({p.field: f"err_{p.code}" for p in rejected.problems})
        if errors:
            return _again(session, request, who, plan, row, values, errors)
        record_report(session, row, entry, app.now(), app.today(),
                      on_behalf_of=values["on_behalf_of"].strip())
    return RedirectResponse(f"{_path(slug, key)}{lang_query(request)}"
                            f"{'&' if lang_query(request) else '?'}klart=rapport",
                            status_code=303)


def _again(session: Session, request: Request, who: Coordinator, plan: t.Plan,
           row: t.Activity, values: dict[str, str], errors: dict[str, str]) -> HTMLResponse:
    shown = {k: v for k, v in values.items() if k != "csrf"}
    return page(request, who, "coordinator_on_behalf.html",
                {"plan": plan, **_context(session, request, row, shown, errors)},
                status_code=422)
