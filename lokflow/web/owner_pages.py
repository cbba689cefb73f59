"""What every page of an owner's link shares: opening the link (an expired
one gets the page that offers a new link), the form's CSRF value, the link's
own paths, and the header with the municipality, its plan and coordinator."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from lokflow.access import signing
from lokflow.reporting.owner_access import LinkRefused, OwnerScope, open_link
from lokflow.reporting.owner_overview import OwnerOverview, owner_overview
from lokflow.web.deps import formats, lokflow_app
from lokflow.web.templating import language_of, render


class ExpiredLink(Exception):
    """The link is known but expired or revoked: show the new-link page."""

    def __init__(self, token: str) -> None:
        super().__init__("expired or revoked report link")
        self.token = token


def open_scope(session: Session, request: Request, token: str) -> OwnerScope:
    try:
        return open_link(session, token, lokflow_app(request).now())
    except LinkRefused as refused:
        if refused.status == 403:
            raise ExpiredLink(token) from None
        raise HTTPException(refused.status) from None


def csrf_for(request: Request, scope: OwnerScope) -> str:
    app = lokflow_app(request)
    return signing.sign(app.secret(), f"report|{scope.token_hash}", app.now())


def csrf_ok(request: Request, scope: OwnerScope, value: str | None) -> bool:
    app = lokflow_app(request)
    return signing.verify(app.secret(), f"report|{scope.token_hash}", value, app.now())


def lang_query(request: Request) -> str:
    return "?lang=en" if language_of(request) == "en" else ""


def base_path(token: str) -> str:
    return f"/rapport/{token}"


def overview_of(request: Request, session: Session, scope: OwnerScope) -> OwnerOverview:
    app = lokflow_app(request)
    return owner_overview(session, scope, app.today(), language_of(request))


def owner_render(request: Request, template: str, token: str, scope: OwnerScope,
                 overview: OwnerOverview, context: dict[str, Any],
                 status_code: int = 200) -> HTMLResponse:
    """An owner page with what every owner page shows."""
    return render(request, template, {
        "scope": scope, "header": overview.header, "overview": overview,
        "f": formats(request), "base": base_path(token), "lang_query": lang_query(request),
        "csrf": csrf_for(request, scope), **context}, status_code=status_code)
