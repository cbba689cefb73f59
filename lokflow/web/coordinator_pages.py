"""What every coordinator page shares: a transaction with the logged-in
coordinator, the plans they may see, their activity lines, and the page
context."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from lokflow.plans.activity_names import activity_label as row_label
from lokflow.plans.activity_names import party_name
from lokflow.reporting.activity_columns import activity_label, party_text
from lokflow.reporting.activity_lines import ActivityLine
from lokflow.reporting.plan_overview import PlanHidden, visible_activity, visible_plan
from lokflow.store import tables as t
from lokflow.texts.vocabulary import PARTY_LABELS
from lokflow.web.coordinator_auth import Coordinator, csrf_value, require_coordinator
from lokflow.web.deps import formats, lokflow_app
from lokflow.web.templating import language_of, render


@contextmanager
def coordinator_session(request: Request) -> Iterator[tuple[Session, Coordinator]]:
    """One transaction, with the coordinator (or a redirect to the login page)."""
    with lokflow_app(request).sessions.begin() as session:
        yield session, require_coordinator(request, session)


@contextmanager
def coordinator_read(request: Request) -> Iterator[tuple[Session, Coordinator]]:
    """The same for a page that only reads: it never waits for the write lock."""
    with lokflow_app(request).read() as session:
        yield session, require_coordinator(request, session)


def plan_of(session: Session, who: Coordinator, slug: str) -> t.Plan:
    """The plan if this coordinator may see it; 404 otherwise, the same as no plan."""
    try:
        return visible_plan(session, slug, who.organisation_id)
    except PlanHidden:
        raise HTTPException(404) from None


def activity_of(session: Session, plan: t.Plan, key: str) -> t.Activity:
    try:
        return visible_activity(session, plan, key)
    except PlanHidden:
        raise HTTPException(404) from None


def lines_of(request: Request, session: Session,
             plans: Sequence[t.Plan]) -> dict[int, list[ActivityLine]]:
    """The activity lines of these plans (kept between requests, see line_cache)."""
    app = lokflow_app(request)
    return app.line_cache.lines(session, [p.id for p in plans], app.today())


def party_names(request: Request, plan: t.Plan | None = None) -> dict[str, str]:
    """Each party's name: the plan's own (`party_names`) on a page about one
    plan, else the common words (a page over several plans)."""
    language = language_of(request)
    names = plan.document.get("party_names") if plan is not None else None
    return {party: party_name(names, party, language) for party in PARTY_LABELS[language]}


def lang_query(request: Request) -> str:
    return "?lang=en" if language_of(request) == "en" else ""


def with_query(path: str, params: dict[str, str], request: Request) -> str:
    """A link to `path` with `params` (and the page's language)."""
    values = dict(params)
    if language_of(request) == "en":
        values["lang"] = "en"
    return f"{path}?{urlencode(values)}" if values else path


def page(request: Request, who: Coordinator, template: str, context: dict[str, Any],
         status_code: int = 200) -> HTMLResponse:
    language = language_of(request)
    plan = context.get("plan")
    return render(request, template, {
        "who": who, "csrf": csrf_value(request, who), "f": formats(request),
        "lq": lang_query(request),
        "parties": party_names(request, plan if isinstance(plan, t.Plan) else None),
        "line_label": lambda line: activity_label(line, language),
        "line_party": lambda line: party_text(line, language),
        "activity_name": lambda activity: row_label(activity, language), **context},
        status_code=status_code)
