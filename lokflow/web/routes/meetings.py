"""The coordinator's dialogue-meeting pages (login required):
`/samordnare/planer/{slug}/moten` lists the plan's meeting cycle; each
meeting's page shows its draft agenda (and its PDF), makes and sends it on
demand, and records the minutes and the decisions, which change the plan as
revisions linked to the meeting. Every POST carries the coordinator's CSRF
value and redirects (post/redirect/get)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from lokflow.agreement.agenda import SECTIONS, label
from lokflow.agreement.agenda_document import situation
from lokflow.agreement.agenda_mail import make_agenda, participants, queue_agenda
from lokflow.agreement.meeting_cycle import find_meeting, meeting_row, plan_document
from lokflow.agreement.meeting_decisions import (
    KINDS,
    Decision,
    DecisionRefused,
    decisions_of,
    record_decision,
    save_minutes,
)
from lokflow.domain.meetings import MeetingDay, days_are_assumed, meeting_days
from lokflow.reporting.free_text import TextRefused
from lokflow.store import tables as t
from lokflow.texts.meetings import meeting_words
from lokflow.web.coordinator_auth import Coordinator, Csrf, check_csrf
from lokflow.web.coordinator_pages import (
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import lokflow_app
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)
BASE = "/samordnare/planer/{slug}/moten"
Short = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=20000)]


def _cycle(plan: t.Plan, today: date) -> list[MeetingDay]:
    return meeting_days(plan_document(plan), date(today.year - 1, 1, 1),
                        date(today.year + 1, 12, 31))


def _day(plan: t.Plan, text: str, today: date) -> MeetingDay:
    """A day of the plan's cycle, or 404."""
    found = next((m for m in _cycle(plan, today) if m.day.isoformat() == text), None)
    if found is None:
        raise HTTPException(404)
    return found


@router.get(BASE, response_class=HTMLResponse)
def meetings(request: Request, slug: str) -> HTMLResponse:
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        rows = []
        for day in _cycle(plan, app.today()):
            meeting = find_meeting(session, plan.id, day.day)
            count = len(decisions_of(session, meeting.id)) if meeting else 0
            rows.append((day, meeting, count))
        cycle = plan_document(plan).follow_up.dialogue_meetings
        return page(request, who, "meetings.html", {
            "plan": plan, "rows": rows, "cycle": cycle,
            "assumed": cycle is not None and days_are_assumed(cycle)})


@router.get(BASE + "/{day}", response_class=HTMLResponse)
def meeting_page(request: Request, slug: str, day: str) -> HTMLResponse:
    with coordinator_read(request) as (session, who):
        return _page(request, session, who, slug, day, {})


def _page(request: Request, session: Session, who: Coordinator, slug: str, day: str,
          errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    app = lokflow_app(request)
    plan = plan_of(session, who, slug)
    chosen = _day(plan, day, app.today())
    meeting = find_meeting(session, plan.id, chosen.day)
    document = plan_document(plan)
    language = language_of(request)
    return page(request, who, "meeting.html", {
        "plan": plan, "day": chosen, "meeting": meeting, "agenda": meeting.agenda
        if meeting else None, "sections": SECTIONS, "mw": meeting_words(language),
        "label": lambda item: label(meeting.agenda if meeting else None, item, language),
        "situation": lambda item: situation(item, language),
        "decisions": decisions_of(session, meeting.id) if meeting else [],
        "activities": [(a.id, f"{a.number or a.id} {a.text[:80]}")
                       for _, a in document.activities()],
        "units": [(u.id, u.name) for u in document.units],
        "commitments": [(c.id, f"{c.number or c.id} {c.text[:80]}")
                        for c in document.commitments],
        "kinds": KINDS, "errors": errors, "notice": request.query_params.get("klart", ""),
        "made": request.query_params.get("n", "")}, status_code=status_code)


def _back(request: Request, slug: str, day: str, notice: str, extra: str = "") -> Response:
    query = lang_query(request)
    joined = f"{query}&" if query else "?"
    return RedirectResponse(f"{BASE.format(slug=slug)}/{day}{joined}klart={notice}{extra}",
                            status_code=303)


@router.get(BASE + "/{day}/dagordning.pdf")
def agenda_pdf(request: Request, slug: str, day: str) -> Response:
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        meeting = find_meeting(session, plan.id, _day(plan, day, app.today()).day)
        if meeting is None or meeting.agenda_pdf is None:
            raise HTTPException(404)
        return Response(meeting.agenda_pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="dagordning-{plan.slug}-{day}.pdf"'})


@router.post(BASE + "/{day}/dagordning")
def make(request: Request, slug: str, day: str, csrf: Csrf) -> Response:
    """Make (or make again) the agenda and queue it for the participants."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        meeting = meeting_row(session, plan, _day(plan, day, app.today()), app.settings.tz,
                              app.now())
        make_agenda(session, plan, meeting, app.today(), app.settings.tz, app.now(), again=True)
        queue_agenda(session, plan, meeting, app.now(), app.today())
        count = len(participants(plan_document(plan)))
    return _back(request, slug, day, "dagordning", f"&n={count}")


@router.post(BASE + "/{day}/protokoll")
def minutes(request: Request, slug: str, day: str, csrf: Csrf, text: LongText = "") -> Response:
    app = lokflow_app(request)
    try:
        with coordinator_session(request) as (session, who):
            check_csrf(request, who, csrf)
            plan = plan_of(session, who, slug)
            meeting = meeting_row(session, plan, _day(plan, day, app.today()),
                                  app.settings.tz, app.now())
            save_minutes(meeting, text, who.display_name, app.now())
    except TextRefused:  # the transaction was rolled back
        with coordinator_read(request) as (session, who):
            return _page(request, session, who, slug, day, {"minutes": "text"}, 422)
    return _back(request, slug, day, "protokoll")


@router.post(BASE + "/{day}/beslut")
def decide(request: Request, slug: str, day: str, csrf: Csrf, kind: Short,
           activity: Short = "", commitment: Short = "", decided_day: Short = "",
           owner: Short = "", text: Annotated[str, Form(max_length=4000)] = "") -> Response:
    app = lokflow_app(request)
    try:
        with coordinator_session(request) as (session, who):
            check_csrf(request, who, csrf)
            plan = plan_of(session, who, slug)
            chosen = _day(plan, day, app.today())
            decision = _decision(kind, activity, commitment, decided_day, owner, text)
            meeting = meeting_row(session, plan, chosen, app.settings.tz, app.now())
            record_decision(session, plan, meeting, decision, who.display_name, app.now())
    except (DecisionRefused, TextRefused) as refused:  # rolled back: nothing was written
        problems = refused.problems if isinstance(refused, DecisionRefused) else []
        code = refused.code if isinstance(refused, DecisionRefused) else "text"
        detail = "; ".join(p.text(language_of(request)) for p in problems[:3])
        with coordinator_read(request) as (session, who):
            return _page(request, session, who, slug, day,
                         {"decision": code or "plan", "detail": detail}, 422)
    return _back(request, slug, day, "beslut")


def _decision(kind: str, activity: str, commitment: str, day: str, owner: str,
              text: str) -> Decision:
    chosen = next((k for k in KINDS if k == kind), None)
    if chosen is None:
        raise DecisionRefused(code="activity")
    try:
        when = date.fromisoformat(day.strip()) if day.strip() else None
    except ValueError:
        raise DecisionRefused(code="day") from None
    if kind in ("new_date", "owner", "close") and not activity:
        raise DecisionRefused(code="activity")
    return Decision(chosen, activity=activity or None, commitment=commitment or None,
                    day=when, owner=owner or None, text=text.strip() or None)
