"""The page an expired or revoked report link opens: the owner types their
email and, if it is a contact of the municipality's plans, a new link goes
there. The answer is the same whatever happened, requests are rate limited
per link and per address, and each is logged without the link or address."""

from __future__ import annotations

import logging

from email_validator import EmailNotValidError, validate_email
from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lokflow.access import login_throttle, signing, tokens
from lokflow.feeds.link_requests import request_report_link
from lokflow.reporting.owner_access import refused_link
from lokflow.web.deps import lokflow_app
from lokflow.web.owner_pages import lang_query
from lokflow.web.templating import render

LOG = logging.getLogger("uvicorn.error")
LIMITED = "rate limited"


def _purpose(token: str) -> str:
    return f"new-link|{tokens.hash_token(token)}"


def expired_page(request: Request, token: str, *, sent: bool = False, error: str | None = None,
                 email: str = "", status_code: int = 403) -> HTMLResponse:
    app = lokflow_app(request)
    return render(request, "owner_expired.html", {
        "sent": sent, "error": error, "email": email,
        "csrf": signing.sign(app.secret(), _purpose(token), app.now()),
        "action": f"/rapport/{token}/ny-lank{lang_query(request)}"}, status_code=status_code)


def ask_for_new_link(request: Request, token: str, fields: dict[str, str]) -> Response:
    """Queue a new link for a contact's address (at most one an hour per
    address, ten asks per link in 15 minutes); answer the same either way."""
    app = lokflow_app(request)
    typed = fields.get("email", "").strip()[:320]
    if not signing.verify(app.secret(), _purpose(token), fields.get("csrf"), app.now()):
        return expired_page(request, token, error="err_csrf", email=typed)
    try:
        address = validate_email(typed, check_deliverability=False).normalized
    except EmailNotValidError:
        return expired_page(request, token, error="err_email_format", email=typed,
                            status_code=422)
    with app.sessions.begin() as session:
        row = refused_link(session, token)
        if row is None:
            raise HTTPException(404)
        link_id, organisation_id = row.id, row.organisation_id
        counted = login_throttle.reserve(session, f"new-link:{link_id}",
                                         f"new-link:{address.lower()}", app.now())
        outcome = LIMITED if isinstance(counted, login_throttle.Refused) else (
            request_report_link(session, organisation_id, address, app.now(), app.today()))
    LOG.info("new report link asked for with expired link #%d: %s", link_id, outcome)
    return RedirectResponse(f"/rapport/{token}/ny-lank{lang_query(request)}", status_code=303)


def sent_page(request: Request, token: str) -> HTMLResponse:
    """After the request (Post/Redirect/Get): the same answer whatever happened."""
    with lokflow_app(request).read() as session:
        if refused_link(session, token) is None:
            raise HTTPException(404)
    return expired_page(request, token, sent=True, status_code=200)
