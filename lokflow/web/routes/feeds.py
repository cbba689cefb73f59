"""Routes: calendar feeds behind secret tokens, and their report links.

Every refusal is the same bare 404: a wrong, revoked or malformed token must
not tell an attacker which it was.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from lokflow.bootstrap import App
from lokflow.feeds.http_cache import CACHE_CONTROL, http_date, not_modified
from lokflow.feeds.service import report_redirect, serve_feed

router = APIRouter()
MEDIA_TYPE = "text/calendar; charset=utf-8"


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


@router.get("/feeds/{token}/rapport", include_in_schema=False)
def report(token: str, request: Request) -> Response:
    """A personal feed's report link: opens a fresh personal report page."""
    app: App = request.app.state.lokflow
    with app.sessions.begin() as session:
        target = report_redirect(session, app, token)
    if target is None:
        raise HTTPException(status_code=404)
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
