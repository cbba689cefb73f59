"""Routes: calendar feeds behind secret tokens, and the page their report
links lead to.

Every refusal is the same bare 404: a wrong, revoked or malformed token must
not tell an attacker which it was. A feed token only reads its feed: the
report page of a personal feed emails a fresh report link to the address on
file and shows the same answer whatever happened.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from lokflow.access import signing
from lokflow.access.tokens import hash_token
from lokflow.bootstrap import App
from lokflow.feeds.http_cache import CACHE_CONTROL, http_date, not_modified
from lokflow.feeds.link_requests import request_report_link
from lokflow.feeds.service import feed_contact, personal_feed, serve_feed
from lokflow.web.templating import language_of, render

router = APIRouter()
MEDIA_TYPE = "text/calendar; charset=utf-8"
# uvicorn's server log (with the token filter of lokflow.web.log_redaction).
LOG = logging.getLogger("uvicorn.error")


@router.api_route("/feeds/{token}.ics", methods=["GET", "HEAD"], include_in_schema=False)
def feed(token: str, request: Request) -> Response:
    app: App = request.app.state.lokflow
    with app.read() as session:
        rendered = serve_feed(session, app, token, app.feed_cache)
    if rendered is None:
        raise HTTPException(status_code=404)
    headers = {"ETag": rendered.etag, "Last-Modified": http_date(rendered.last_modified),
               "Cache-Control": CACHE_CONTROL,
               "Content-Disposition": 'inline; filename="lokflow.ics"'}
    if not_modified(request.headers.get("if-none-match"),
                    request.headers.get("if-modified-since"),
                    rendered.etag, rendered.last_modified):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(rendered.body))
        return Response(status_code=200, headers=headers, media_type=MEDIA_TYPE)
    return Response(rendered.body, headers=headers, media_type=MEDIA_TYPE)


def _link_page(request: Request, token: str, *, sent: bool = False, error: str | None = None,
               status_code: int = 200) -> HTMLResponse:
    app: App = request.app.state.lokflow
    query = "?lang=en" if language_of(request) == "en" else ""
    csrf = signing.sign(app.secret(), f"feed-link|{hash_token(token)}", app.now())
    return render(request, "feed_report_link.html", {
        "sent": sent, "error": error, "csrf": csrf,
        "action": f"/feeds/{token}/rapport{query}"}, status_code=status_code)


@router.get("/feeds/{token}/rapport", response_class=HTMLResponse, include_in_schema=False)
def report_link_page(token: str, request: Request) -> HTMLResponse:
    """A personal feed's report link: offers to email a new report link."""
    app: App = request.app.state.lokflow
    with app.read() as session:
        if personal_feed(session, app, token) is None:
            raise HTTPException(status_code=404)
    return _link_page(request, token)


@router.post("/feeds/{token}/rapport", response_class=HTMLResponse, include_in_schema=False)
def request_link(token: str, request: Request,
                 csrf: Annotated[str, Form(max_length=200)] = "") -> HTMLResponse:
    """Queue the email (at most one an hour); the answer never says whether it went."""
    app: App = request.app.state.lokflow
    with app.sessions.begin() as session:
        subscription = personal_feed(session, app, token)
        if subscription is None:
            raise HTTPException(status_code=404)
        if not signing.verify(app.secret(), f"feed-link|{hash_token(token)}", csrf, app.now()):
            return _link_page(request, token, error="feed_link_expired", status_code=403)
        outcome = request_report_link(session, subscription.row.organisation_id,
                                      feed_contact(subscription), app.now(), app.today())
        feed_id = subscription.row.id
    LOG.info("report link asked for through personal feed #%d: %s", feed_id, outcome)
    return _link_page(request, token, sent=True)
