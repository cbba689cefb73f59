"""The owner's pages, reached from the link in every reminder: `/rapport/{token}`
is an overview of the owner's activities grouped by what to do; each has a
short form of its own; a save redirects back to the overview (Post/Redirect/
Get), which then says what was saved and what happens next."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from lokflow.agreement.discussion_flags import flag_activity
from lokflow.domain.statuses import Status
from lokflow.reporting.activity_history import activity_history
from lokflow.reporting.joint_confirmation import joint_states
from lokflow.reporting.owner_access import OutOfScope, OwnerScope, activity_in_scope
from lokflow.reporting.owner_next_steps import next_steps
from lokflow.reporting.owner_overview import GROUPS, OwnerItem, OwnerOverview
from lokflow.reporting.owner_reports import (
    Saved,
    record_owner_reports,
    same_status_reports,
    saved_reports,
)
from lokflow.reporting.report_input import SUBMISSION_KEY
from lokflow.reporting.status_reports import ReportRejected
from lokflow.texts.follow_up import joint_waiting_text
from lokflow.web.deps import digits, formats, lokflow_app, read_urlencoded
from lokflow.web.owner_calendar import owner_calendar
from lokflow.web.owner_link_page import expired_page
from lokflow.web.owner_pages import (
    ExpiredLink,
    base_path,
    csrf_ok,
    lang_query,
    open_scope,
    overview_of,
    owner_render,
)
from lokflow.web.report_form import ActivityEntry, fresh_entries, parse_form
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)
MAX_BODY = 2_000_000
SAVED_SEPARATOR = "."


def offers_new_link(handler: Callable[..., Response]) -> Callable[..., Response]:
    """An expired or revoked link gets the page that sends a new one (403)."""
    @wraps(handler)
    def guarded(request: Request, token: str, *args: Any, **kwargs: Any) -> Response:
        try:
            return handler(request, token, *args, **kwargs)
        except ExpiredLink:
            return expired_page(request, token, status_code=403)
    return guarded


@router.get("/rapport/{token}", response_class=HTMLResponse)
@offers_new_link
def overview_page(request: Request, token: str) -> Response:
    """The overview; `?sparat=1.2` adds the confirmation of those reports."""
    with lokflow_app(request).read() as session:
        scope = open_scope(session, request, token)
        return _overview(request, session, token, scope,
                         _saved_ids(request.query_params.get("sparat", "")),
                         calendar_notice=request.query_params.get("kalender") == "ny")


def _saved_ids(text: str) -> list[int]:
    parts = text.split(SAVED_SEPARATOR)[:200] if text else []
    return [int(p) for p in parts if digits(p)]


def _overview(request: Request, session: Session, token: str, scope: OwnerScope,
              saved_ids: list[int], *, notice: str | None = None, same_error: str | None = None,
              chosen: frozenset[int] = frozenset(), calendar_notice: bool = False,
              status_code: int = 200) -> HTMLResponse:
    app = lokflow_app(request)
    overview = overview_of(request, session, scope)
    saved = saved_reports(session, scope, saved_ids)
    steps = next_steps(saved, overview, app.today(), language_of(request)) if saved else []
    calendar = owner_calendar(session, app, scope, language_of(request))
    return owner_render(request, "owner_report.html", token, scope, overview, {
        "saved": saved, "steps": steps, "groups": GROUPS, "notice": notice,
        "joint": _joint_waiting(session, saved, language_of(request)),
        "labels": {i.id: i.label for i in overview.items}, "same_error": same_error,
        "chosen": chosen, "form_key": secrets.token_urlsafe(16), "calendar": calendar,
        "calendar_notice": calendar_notice}, status_code=status_code)


@router.get("/rapport/{token}/aktivitet/{activity_id}/rapportera", response_class=HTMLResponse)
@offers_new_link
def short_form(request: Request, token: str, activity_id: str) -> Response:
    """One activity's short form: status, progress, comment, and a new date
    where the occurrence has a deadline."""
    with lokflow_app(request).read() as session:
        scope = open_scope(session, request, token)
        overview = overview_of(request, session, scope)
        item = overview.item(int(activity_id)) if digits(activity_id) else None
        if item is None:
            raise HTTPException(403)
        entry = fresh_entries([item.id])[item.id]
        return _form(request, token, scope, overview, item, entry)


def _form(request: Request, token: str, scope: OwnerScope, overview: OwnerOverview,
          item: OwnerItem, entry: ActivityEntry, status_code: int = 200,
          notice: str | None = None) -> HTMLResponse:
    return owner_render(request, "owner_activity.html", token, scope, overview, {
        "item": item, "e": entry, "notice": notice, "about": _about(request, item),
        "statuses": formats(request).statuses()}, status_code=status_code)


def _about(request: Request, item: OwnerItem) -> str:
    """Which occurrence the form reports on, in words."""
    f = formats(request)
    words = f.words()
    shown = item.occurrence
    if shown is None:
        return words["form_about_none"]
    if item.overdue_since is not None:
        return words["form_about_overdue"].format(date=f.long(shown.due))
    kind = "checkin" if shown.kind == "checkin" else "deadline"
    return words[f"form_about_{kind}"].format(date=f.long(shown.due))


@router.post("/rapport/{token}", response_class=HTMLResponse)
async def submit_reports(request: Request, token: str) -> Response:
    """Store what a short form (or an older whole-page form) sent, then
    redirect to the overview with the confirmation."""
    items = await read_urlencoded(request, MAX_BODY)
    return await run_in_threadpool(_submit, request, token, items)


@offers_new_link
def _submit(request: Request, token: str, items: list[tuple[str, str]]) -> Response:
    app = lokflow_app(request)
    with app.sessions.begin() as session:
        scope = open_scope(session, request, token)
        parsed = parse_form(items, scope.name, scope.email, app.today())
        overview = overview_of(request, session, scope)
        try:
            for activity_id, entry in parsed.entries.items():
                if entry.filled:
                    activity_in_scope(session, scope, activity_id)
        except OutOfScope:
            raise HTTPException(403) from None
        entries = list(parsed.entries.values())
        first = next((e for e in entries if e.filled), entries[0] if entries else None)
        item = overview.item(first.activity_id) if first else None
        if not csrf_ok(request, scope, parsed.csrf):
            return _refused(request, session, token, scope, overview, item, first, 403,
                            "err_csrf")
        if parsed.errors or not parsed.reports:
            if not parsed.errors and first is not None:
                first.errors["status"] = "err_status_required"  # a short form sent empty
            broken = next((e for e in parsed.entries.values() if e.errors), first)
            shown = overview.item(broken.activity_id) if broken else None
            return _refused(request, session, token, scope, overview, shown, broken, 422,
                            None)
        try:
            saved = record_owner_reports(session, scope, parsed.reports, app.now(), app.today(),
                                         overview)
        except ReportRejected as rejected:
            assert first is not None
            first.errors.update({_form_field(p.field): f"err_{p.code}"
                                 for p in rejected.problems})
            return _refused(request, session, token, scope, overview, item, first, 422, None)
        for done in saved:  # "ta upp på dialogmötet" (issue 17): a flag beside the report
            if done.activity.id in parsed.to_discuss:
                flag_activity(session, done.activity, scope.name, app.now(), done.report.comment)
    return _to_overview(request, token, [s.report.id for s in saved])


def _joint_waiting(session: Session, saved: list[Saved],
                   language: str) -> dict[int, str]:
    """Issue 17: a joint activity one party called done waits for the other."""
    states = joint_states(session, [s.activity for s in saved],
                         {s.activity.id: s.report for s in saved})
    return {key: joint_waiting_text(s.done_by, s.waiting_for, language)
            for key, s in states.items()}


def _form_field(field: str) -> str:
    return {"proposed_date": "new_date", "proposed_reason": "reason"}.get(field, "status")


def _refused(request: Request, session: Session, token: str, scope: OwnerScope,
             overview: OwnerOverview, item: OwnerItem | None, entry: ActivityEntry | None,
             status_code: int, notice: str | None) -> HTMLResponse:
    """The form again with what was typed and every error; no entry at all
    (an empty post) shows the overview with the notice."""
    if item is None or entry is None:
        return _overview(request, session, token, scope, [],
                         notice=notice or "err_nothing", status_code=status_code)
    return _form(request, token, scope, overview, item, entry, status_code, notice)


def _to_overview(request: Request, token: str, report_ids: list[int]) -> RedirectResponse:
    query = f"sparat={SAVED_SEPARATOR.join(str(i) for i in report_ids)}"
    if language_of(request) == "en":
        query += "&lang=en"
    return RedirectResponse(f"{base_path(token)}?{query}#main", status_code=303)


@router.post("/rapport/{token}/samma", response_class=HTMLResponse)
async def same_status(request: Request, token: str) -> Response:
    """The same status for every ticked activity, each on its own occurrence."""
    items = await read_urlencoded(request, 100_000)
    return await run_in_threadpool(_same, request, token, items)


@offers_new_link
def _same(request: Request, token: str, items: list[tuple[str, str]]) -> Response:
    app = lokflow_app(request)
    fields = dict(items)
    chosen = frozenset(int(v) for k, v in items if k == "same" and digits(v))
    with app.sessions.begin() as session:
        scope = open_scope(session, request, token)
        if not csrf_ok(request, scope, fields.get("csrf")):
            return _overview(request, session, token, scope, [], notice="err_csrf",
                             chosen=chosen, status_code=403)
        error = _same_error(chosen, fields.get("status", ""))
        if error:
            return _overview(request, session, token, scope, [], same_error=error,
                             chosen=chosen, status_code=422)
        key = fields.get("key", "")
        overview = overview_of(request, session, scope)
        try:
            reports = same_status_reports(
                overview, sorted(chosen), Status(fields["status"]), scope.name, scope.email,
                key if SUBMISSION_KEY.fullmatch(key) else secrets.token_urlsafe(16))
            saved = record_owner_reports(session, scope, reports, app.now(), app.today())
        except OutOfScope:
            raise HTTPException(403) from None
    return _to_overview(request, token, [s.report.id for s in saved])


def _same_error(chosen: frozenset[int], status: str) -> str | None:
    if not chosen:
        return "err_same_none"
    if status not in Status._value2member_map_:
        return "err_same_status"
    return None


@router.get("/rapport/{token}/aktivitet/{activity_id}", response_class=HTMLResponse)
@offers_new_link
def owner_history(request: Request, token: str, activity_id: str) -> Response:
    """One of the owner's activities with all its reports and date changes."""
    with lokflow_app(request).read() as session:
        scope = open_scope(session, request, token)
        try:
            if not digits(activity_id):
                raise OutOfScope(activity_id)
            activity = activity_in_scope(session, scope, int(activity_id))
        except OutOfScope:
            raise HTTPException(403) from None
        overview = overview_of(request, session, scope)
        item = overview.item(activity.id)
        return owner_render(request, "owner_history.html", token, scope, overview, {
            "h": activity_history(session, activity), "show_events": False,
            "label": item.label if item else activity.key,
            "back": f"{base_path(token)}{lang_query(request)}"})
