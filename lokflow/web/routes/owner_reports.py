"""The owner's personal report page, reached from the link in every reminder:
`/rapport/{token}` lists all of the owner's open activities in one form."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from lokflow.access import signing
from lokflow.agreement.discussion_flags import flag_activity
from lokflow.reporting.activity_history import activity_history
from lokflow.reporting.joint_confirmation import joint_states
from lokflow.reporting.owner_access import (
    LinkRefused,
    OutOfScope,
    OwnerScope,
    activity_in_scope,
    open_link,
)
from lokflow.reporting.owner_reports import owner_page, record_owner_reports
from lokflow.reporting.status_reports import ReportRejected
from lokflow.store import tables as t
from lokflow.texts.follow_up import joint_waiting_text
from lokflow.web.deps import digits, formats, lokflow_app, read_urlencoded
from lokflow.web.owner_calendar import owner_calendar, switch_off
from lokflow.web.report_form import ActivityEntry, ParsedForm, fresh_entries, parse_form
from lokflow.web.templating import language_of, render

router = APIRouter(include_in_schema=False)
MAX_BODY = 2_000_000


def _scope(session: Session, request: Request, token: str) -> OwnerScope:
    try:
        return open_link(session, token, lokflow_app(request).now())
    except LinkRefused as refused:
        raise HTTPException(refused.status) from None


def _csrf(request: Request, scope: OwnerScope) -> str:
    app = lokflow_app(request)
    return signing.sign(app.secret(), f"report|{scope.token_hash}", app.now())


def _form_page(request: Request, session: Session, scope: OwnerScope,
               entries: dict[int, ActivityEntry], errors: list[tuple[int, str, str]],
               status_code: int = 200, notice: str | None = None,
               calendar_notice: bool = False) -> HTMLResponse:
    plans = owner_page(session, scope, lokflow_app(request).today())
    calendar = owner_calendar(session, lokflow_app(request), scope, language_of(request))
    for card in (c for p in plans for c in p.cards):
        entries.setdefault(card.id, fresh_entries([card.id])[card.id])
    return render(request, "owner_report.html", {
        "scope": scope, "plans": plans, "entries": entries, "errors": errors,
        "labels": {c.id: c.number or c.key for p in plans for c in p.cards},
        "notice": notice, "csrf": _csrf(request, scope), "f": formats(request),
        "action": _action(request), "lang_query": _lang_query(request),
        "calendar": calendar, "calendar_notice": calendar_notice,
        "calendar_action": f"{request.url.path.rstrip('/')}/kalender{_lang_query(request)}"},
        status_code=status_code)


def _lang_query(request: Request) -> str:
    return "?lang=en" if language_of(request) == "en" else ""


def _action(request: Request) -> str:
    return f"{request.url.path}{_lang_query(request)}"


@router.get("/rapport/{token}", response_class=HTMLResponse)
def report_form(request: Request, token: str) -> HTMLResponse:
    """The form: every open activity of the owner, with its latest status."""
    with lokflow_app(request).read() as session:
        scope = _scope(session, request, token)
        return _form_page(request, session, scope, {}, [])


@router.post("/rapport/{token}", response_class=HTMLResponse)
async def submit_reports(request: Request, token: str) -> HTMLResponse:
    """Store every filled-in activity of the form at once, then confirm."""
    items = await read_urlencoded(request, MAX_BODY)
    return await run_in_threadpool(_submit, request, token, items)


def _submit(request: Request, token: str, items: list[tuple[str, str]]) -> HTMLResponse:
    app = lokflow_app(request)
    with app.sessions.begin() as session:
        scope = _scope(session, request, token)
        parsed = parse_form(items, scope.name, scope.email, app.today())
        if not signing.verify(app.secret(), f"report|{scope.token_hash}", parsed.csrf, app.now()):
            return _form_page(request, session, scope, parsed.entries, [], 403, "err_csrf")
        if parsed.errors or not parsed.reports:
            return _refused(request, session, scope, parsed)
        try:
            saved = record_owner_reports(session, scope, parsed.reports, app.now(), app.today())
            for activity, report in saved:
                if activity.id in parsed.to_discuss:
                    flag_activity(session, activity, scope.name, app.now(), report.comment)
        except OutOfScope:
            raise HTTPException(403) from None
        except ReportRejected:  # the form's own checks make this unreachable
            raise HTTPException(422) from None
        return render(request, "owner_saved.html", {
            "saved": saved, "f": formats(request), "back": _action(request),
            "joint": _joint_waiting(session, saved, language_of(request))})


def _joint_waiting(session: Session, saved: list[tuple[t.Activity, t.StatusReport]],
                   language: str) -> dict[int, str]:
    """Issue 17: a joint activity one party called done waits for the other."""
    states = joint_states(session, [a for a, _ in saved], {a.id: r for a, r in saved})
    return {key: joint_waiting_text(s.done_by, s.waiting_for, language)
            for key, s in states.items()}


def _refused(request: Request, session: Session, scope: OwnerScope,
             parsed: ParsedForm) -> HTMLResponse:
    """Re-show the form with the owner's input and every error; refuse foreign ids."""
    try:
        for activity_id in parsed.entries:
            if parsed.entries[activity_id].filled:
                activity_in_scope(session, scope, activity_id)
    except OutOfScope:
        raise HTTPException(403) from None
    notice = None if parsed.errors else "err_nothing"
    return _form_page(request, session, scope, parsed.entries, parsed.errors, 422, notice)


@router.post("/rapport/{token}/kalender", response_class=HTMLResponse)
async def switch_calendar_off(request: Request, token: str) -> HTMLResponse:
    """The owner switches their calendar link off; the page shows the new one."""
    items = dict(await read_urlencoded(request, 10_000))
    return await run_in_threadpool(_switch, request, token, items)


def _switch(request: Request, token: str, items: dict[str, str]) -> HTMLResponse:
    app = lokflow_app(request)
    with app.sessions.begin() as session:
        scope = _scope(session, request, token)
        if not signing.verify(app.secret(), f"report|{scope.token_hash}", items.get("csrf", ""),
                              app.now()):
            return _form_page(request, session, scope, {}, [], 403, "err_csrf")
        feed_id = items.get("feed", "")
        if not digits(feed_id) or not switch_off(session, app, scope, int(feed_id)):
            raise HTTPException(403)
        return _form_page(request, session, scope, {}, [], calendar_notice=True)


@router.get("/rapport/{token}/aktivitet/{activity_id}", response_class=HTMLResponse)
def owner_history(request: Request, token: str, activity_id: str) -> HTMLResponse:
    """One of the owner's activities with all its reports and date changes."""
    with lokflow_app(request).read() as session:
        scope = _scope(session, request, token)
        try:
            if not digits(activity_id):
                raise OutOfScope(activity_id)
            activity = activity_in_scope(session, scope, int(activity_id))
        except OutOfScope:
            raise HTTPException(403) from None
        return render(request, "activity_history.html", {
            "h": activity_history(session, activity), "f": formats(request),
            "show_events": False,
            "back": f"/rapport/{token}{_lang_query(request)}"})
