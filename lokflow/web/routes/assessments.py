"""A party's own assessment of the annual follow-up, reached from the
personal link in the assessor's email: `/bedomning/{token}` shows the form
(a scale and free text for the agreement as a whole and each principle),
a POST saves it and redirects back (post/redirect/get). Works without
JavaScript; every POST carries a CSRF value bound to the link."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from lokflow.access import signing
from lokflow.agreement.discussion_flags import flag_principle
from lokflow.reporting.assessment_access import PATH, AssessorScope, open_assessment_link
from lokflow.reporting.assessments import (
    OVERALL,
    SCALE,
    Entry,
    current_entries,
    parse_entry,
    record_assessments,
    submitted,
    targets,
)
from lokflow.reporting.owner_access import LinkRefused
from lokflow.reporting.report_input import SUBMISSION_KEY
from lokflow.store import tables as t
from lokflow.texts.follow_up import scale_text
from lokflow.web.deps import formats, lokflow_app, read_urlencoded
from lokflow.web.templating import language_of, render

router = APIRouter(include_in_schema=False)
MAX_BODY = 200_000  # a dozen principles of 2000 characters each, with room to spare


def field_name(key: str, field: str) -> str:
    """The form's name of one target's field: `helhet-scale`, `p-dialog-text`."""
    return f"helhet-{field}" if key == OVERALL else f"p-{key}-{field}"


def _scope(session: Session, request: Request, token: str) -> AssessorScope:
    try:
        return open_assessment_link(session, token, lokflow_app(request).now())
    except LinkRefused as refused:
        raise HTTPException(refused.status) from None


def _csrf(request: Request, scope: AssessorScope) -> str:
    app = lokflow_app(request)
    return signing.sign(app.secret(), f"assessment|{scope.token_hash}", app.now())


def _lang_query(request: Request) -> str:
    return "?lang=en" if language_of(request) == "en" else ""


def _page(request: Request, session: Session, scope: AssessorScope,
          values: dict[str, Entry], errors: list[tuple[str, str, str]], *,
          status_code: int = 200, notice: str | None = None) -> HTMLResponse:
    plan = session.get_one(t.Plan, scope.plan_id)
    return render(request, "assessment_form.html", {
        "scope": scope, "plan": plan, "targets": targets(session, scope.plan_id, scope.year),
        "values": values, "errors": errors, "error_fields": {f for _, f, _ in errors},
        "notice": notice, "csrf": _csrf(request, scope), "scale": SCALE,
        "key": secrets.token_urlsafe(16), "name": field_name, "f": formats(request),
        "scale_words": lambda step: scale_text(step, language_of(request)),
        "last": submitted(session, scope.plan_id, scope.year).get(scope.party),
        "action": f"{PATH}/{request.path_params['token']}{_lang_query(request)}"},
        status_code=status_code)


@router.get(PATH + "/{token}", response_class=HTMLResponse)
def assessment_form(request: Request, token: str) -> HTMLResponse:
    """The party's current assessment, ready to change."""
    with lokflow_app(request).read() as session:
        scope = _scope(session, request, token)
        saved = request.query_params.get("sparat")
        notice = {"1": "as_saved", "0": "as_saved_none"}.get(saved or "")
        return _page(request, session, scope, current_entries(session, scope), [],
                     notice=notice)


@router.post(PATH + "/{token}")
async def save_assessment(request: Request, token: str) -> Response:
    items = await read_urlencoded(request, MAX_BODY, max_fields=500)
    return await run_in_threadpool(_save, request, token, dict(reversed(items)))


def _save(request: Request, token: str, form: dict[str, str]) -> Response:
    app = lokflow_app(request)
    with app.sessions.begin() as session:
        scope = _scope(session, request, token)
        entries, errors = _entries(session, scope, form)
        if not signing.verify(app.secret(), f"assessment|{scope.token_hash}", form.get("csrf"),
                              app.now()):
            return _page(request, session, scope, entries, [], status_code=403,
                         notice="err_csrf")
        if errors:
            return _page(request, session, scope, entries, errors, status_code=422)
        key = form.get("key", "")
        written = record_assessments(
            session, scope, list(entries.values()),
            key if SUBMISSION_KEY.fullmatch(key) else secrets.token_urlsafe(16), app.now())
        for target in targets(session, scope.plan_id, scope.year):  # "ta upp på dialogmötet"
            if form.get(field_name(target.key, "discuss")) == "1":
                flag_principle(session, scope.plan_id, target.key, scope.name, app.now(),
                               entries[target.key].text)
    query = _lang_query(request)
    saved = f"sparat={1 if written else 0}"
    return RedirectResponse(f"{PATH}/{token}{query}{'&' if query else '?'}{saved}",
                            status_code=303)


def _entries(session: Session, scope: AssessorScope, form: dict[str, str]
             ) -> tuple[dict[str, Entry], list[tuple[str, str, str]]]:
    """Every target's posted fields, and (target, field, text key) per error."""
    entries, errors = {}, []
    for target in targets(session, scope.plan_id, scope.year):
        entry, broken = parse_entry(target.key, form.get(field_name(target.key, "scale"), ""),
                                    form.get(field_name(target.key, "text"), ""))
        entries[target.key] = entry
        errors += [(target.key, field, f"err_{code}") for field, code in broken.items()]
    return entries, errors
