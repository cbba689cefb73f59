"""The coordinator's renegotiation page (login required):
`/samordnare/planer/{slug}/omforhandla` shows every activity with what
happens to it in the new version (carried over, changed, closed; defaults
from the reports), previews the change report, and creates the new version
on request. The same use case as `lokflow renegotiate`."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from lokflow.agreement.evaluation import (
    NotAnEvaluationYear,
    evaluation_data,
    evaluation_html,
    evaluation_pdf,
)
from lokflow.agreement.meeting_cycle import plan_document
from lokflow.agreement.renegotiation import (
    Choice,
    RenegotiationRefused,
    apply_renegotiation,
    default_choices,
    outcome_counts,
    renegotiate,
)
from lokflow.store import tables as t
from lokflow.texts.renegotiation import renegotiation_words
from lokflow.web.coordinator_auth import Coordinator, check_csrf
from lokflow.web.coordinator_pages import coordinator_read, coordinator_session, page, plan_of
from lokflow.web.deps import lokflow_app, read_urlencoded
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)
BASE = "/samordnare/planer/{slug}/omforhandla"
YEAR = re.compile(r"^\d{4}$")
ACTIONS = ("carry", "change", "close")


@router.get(BASE, response_class=HTMLResponse)
def form(request: Request, slug: str) -> HTMLResponse:
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        start = str(max(app.today().year + 1, plan.period_start + 1))
        return _page(request, session, who, plan, default_choices(session, plan),
                     {"start": start, "end": ""}, None, [])


def _page(request: Request, session: Session, who: Coordinator, plan: t.Plan,
          choices: dict[str, Choice], period: dict[str, str], preview: Any,
          errors: list[str], status_code: int = 200) -> HTMLResponse:
    document = plan_document(plan)
    return page(request, who, "renegotiation.html", {
        "plan": plan, "document": document, "choices": choices, "period": period,
        "preview": preview, "errors": errors, "actions": ACTIONS,
        "rw": renegotiation_words(language_of(request)),
        "counts": outcome_counts(preview) if preview else None}, status_code=status_code)


@router.post(BASE, response_class=HTMLResponse)
async def post(request: Request, slug: str) -> Response:
    items = dict(await read_urlencoded(request, 512 * 1024, max_fields=5000))
    return await run_in_threadpool(_post, request, slug, items)


@router.get("/samordnare/planer/{slug}/utvardering-{year}.{kind}")
def evaluation_report(request: Request, slug: str, year: str, kind: str) -> Response:
    """The evaluation report of an evaluation year, as PDF or HTML (issue 17)."""
    if not YEAR.match(year) or kind not in ("pdf", "html"):
        raise HTTPException(404)
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        try:
            data = evaluation_data(session, plan, int(year), app.now(), app.settings.tz)
        except NotAnEvaluationYear:
            raise HTTPException(404) from None
    language = language_of(request)
    if kind == "pdf":
        return Response(evaluation_pdf(data, language), media_type="application/pdf",
                        headers={"Content-Disposition":
                                 f'inline; filename="utvardering-{slug}-{year}.pdf"'})
    return HTMLResponse(evaluation_html(data, language))


def _choices(items: dict[str, str], defaults: dict[str, Choice]) -> dict[str, Choice]:
    found = {}
    for key, default in defaults.items():
        action = items.get(f"a-{key}-action", default.action)
        reason = items.get(f"a-{key}-reason", default.reason or "").strip()[:2000] or None
        changes = {name: items[f"a-{key}-{name}"].strip()[:4000] for name in ("text", "timeline")
                   if items.get(f"a-{key}-{name}", "").strip()}
        found[key] = Choice(action if action in ACTIONS else "carry", reason,  # type: ignore[arg-type]
                            changes if action == "change" else {})
    return found


def _post(request: Request, slug: str, items: dict[str, str]) -> Response:
    app = lokflow_app(request)
    period = {"start": items.get("start", "").strip(), "end": items.get("end", "").strip()}
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, items.get("csrf", ""))
        plan = plan_of(session, who, slug)
        choices = _choices(items, default_choices(session, plan))
        if not YEAR.match(period["start"]) or (period["end"] and not YEAR.match(period["end"])):
            return _page(request, session, who, plan, choices, period, None, ["period"], 422)
        end = int(period["end"]) if period["end"] else None
        try:
            result = renegotiate(plan_document(plan), int(period["start"]), end, choices)
        except RenegotiationRefused as refused:
            problems = [p.text(language_of(request)) for p in refused.problems[:5]]
            return _page(request, session, who, plan, choices, period, None,
                         problems or [str(refused)], 422)
        if items.get("action") != "apply":
            return _page(request, session, who, plan, choices, period, result, [])
        if session.query(t.Plan).filter_by(slug=result.document.slug).one_or_none():
            return _page(request, session, who, plan, choices, period, result, ["exists"], 409)
        apply_renegotiation(session, result, who.display_name, app.now())
    return RedirectResponse(f"/samordnare/planer/{result.document.slug}/historik",
                            status_code=303)
