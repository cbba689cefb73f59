"""What every coordinator page shares: a transaction with the logged-in
coordinator, the plans they may see, and the page context."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from lokflow.reporting.plan_overview import PlanHidden, visible_plan
from lokflow.store import tables as t
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


def lang_query(request: Request) -> str:
    return "?lang=en" if language_of(request) == "en" else ""


def page(request: Request, who: Coordinator, template: str, context: dict[str, Any],
         status_code: int = 200) -> HTMLResponse:
    return render(request, template, {
        "who": who, "csrf": csrf_value(request, who), "f": formats(request),
        "lq": lang_query(request), **context}, status_code=status_code)
