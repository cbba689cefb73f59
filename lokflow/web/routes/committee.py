"""The coordinator's page for the committee's document (login required):
`/samordnare/planer/{slug}/arsrapport` holds the year's summary,
highlights, proposed decision and case number that the next compiled
annual report carries, shows whether each party has given its own
assessment, and publishes stored reports on the plan's public page. Every
POST carries the coordinator's CSRF value and redirects (post/redirect/get)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.evaluations import is_evaluation_year
from lokflow.domain.plan_document import PlanDocument
from lokflow.engine.reporting_rounds import current_year
from lokflow.reporting.assessment_access import assessors
from lokflow.reporting.assessments import submitted
from lokflow.reporting.committee_notes import (
    Notes,
    notes_of,
    parse_notes,
    save_notes,
    set_published,
    stored_reports,
)
from lokflow.reporting.parties import CIVIL_SOCIETY, MUNICIPALITY
from lokflow.store import tables as t
from lokflow.web.coordinator_auth import Coordinator, Csrf, check_csrf
from lokflow.web.coordinator_pages import (
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import MAX_ID, digits, lokflow_app

router = APIRouter(include_in_schema=False)
BASE = "/samordnare/planer/{slug}/arsrapport"
Year = Annotated[int, Form(ge=1990, le=2200)]
LongText = Annotated[str, Form(max_length=4000)]
ReportId = Annotated[int, Form(ge=1, le=MAX_ID)]
PARTIES = (MUNICIPALITY, CIVIL_SOCIETY)


def _target(request: Request, slug: str, year: int, extra: str = "") -> str:
    query = lang_query(request)
    joined = f"{query}&" if query else "?"
    return f"{BASE.format(slug=slug)}{joined}year={year}{extra}"


@router.get(BASE, response_class=HTMLResponse)
def committee(request: Request, slug: str,
              year: Annotated[str, Query(max_length=4)] = "") -> HTMLResponse:
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        chosen = int(year) if digits(year) and len(year) == 4 else current_year(
            session, plan, app.today())
        return _page(request, session, who, plan, chosen, notes_of(session, plan.id, chosen),
                     {}, saved=request.query_params.get("sparat") == "1")


def _page(request: Request, session: Session, who: Coordinator, plan: t.Plan, year: int,
          notes: Notes, errors: dict[str, str], *, saved: bool = False,
          status_code: int = 200) -> HTMLResponse:
    row = session.scalar(select(t.CommitteeNotes).where(
        t.CommitteeNotes.plan_id == plan.id, t.CommitteeNotes.year == year))
    named = {party for party, _ in assessors(plan)}
    return page(request, who, "coordinator_committee.html", {
        "plan": plan, "year": year, "notes": notes, "errors": errors, "saved": saved,
        "row": row, "given": submitted(session, plan.id, year), "parties": PARTIES,
        "named": named, "reports": stored_reports(session, plan.id, year),
        "public": bool(plan.document.get("public")),
        # issue 17, part two: an evaluation year links its evaluation report
        "evaluation": is_evaluation_year(PlanDocument.model_validate(plan.document), year)},
        status_code=status_code)


@router.post(BASE)
def save(request: Request, slug: str, csrf: Csrf, year: Year, summary: LongText = "",
         highlights: LongText = "", proposed_decision: LongText = "",
         case_number: Annotated[str, Form(max_length=400)] = "") -> Response:
    """Save the year's notes; the next compiled report carries them."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        notes, errors = parse_notes({"summary": summary, "highlights": highlights,
                                     "proposed_decision": proposed_decision,
                                     "case_number": case_number})
        if errors:
            typed = Notes(summary, highlights, proposed_decision, case_number)
            return _page(request, session, who, plan, year, typed, errors, status_code=422)
        save_notes(session, plan.id, year, notes, who.display_name, app.now())
    return RedirectResponse(_target(request, slug, year, "&sparat=1"), status_code=303)


@router.post(BASE + "/publicera")
def publish(request: Request, slug: str, csrf: Csrf, year: Year, report: ReportId,
            action: Annotated[Literal["publish", "withdraw"], Form()]) -> Response:
    """Show a stored report on the plan's public page, or take it away."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        plan = plan_of(session, who, slug)
        if not set_published(session, plan.id, report, action == "publish", who.display_name,
                             app.now()):
            raise HTTPException(404)
    return RedirectResponse(_target(request, slug, year), status_code=303)
