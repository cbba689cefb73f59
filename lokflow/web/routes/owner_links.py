"""The owner's link pages apart from reporting: asking for a new link when
the old one expired, and switching the personal calendar link off (asked
for on a page of its own, away from the report form)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lokflow.web.deps import digits, lokflow_app, read_urlencoded
from lokflow.web.owner_calendar import owner_calendar, switch_off
from lokflow.web.owner_link_page import ask_for_new_link, sent_page
from lokflow.web.owner_pages import base_path, csrf_ok, open_scope, overview_of, owner_render
from lokflow.web.routes.owner_reports import offers_new_link
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)


@router.post("/rapport/{token}/ny-lank", response_class=HTMLResponse)
async def new_link(request: Request, token: str) -> Response:
    fields = dict(await read_urlencoded(request, 10_000, max_fields=10))
    return await run_in_threadpool(ask_for_new_link, request, token, fields)


@router.get("/rapport/{token}/ny-lank", response_class=HTMLResponse)
def new_link_sent(request: Request, token: str) -> HTMLResponse:
    return sent_page(request, token)


@router.get("/rapport/{token}/kalender", response_class=HTMLResponse)
@offers_new_link
def calendar_off_page(request: Request, token: str) -> Response:
    """Asks before the calendar link is switched off."""
    app = lokflow_app(request)
    with app.read() as session:
        scope = open_scope(session, request, token)
        calendar = owner_calendar(session, app, scope, language_of(request))
        if calendar is None:
            raise HTTPException(404)
        return owner_render(request, "owner_calendar_off.html", token, scope,
                            overview_of(request, session, scope), {"calendar": calendar})


@router.post("/rapport/{token}/kalender", response_class=HTMLResponse)
async def switch_calendar_off(request: Request, token: str) -> Response:
    """The owner switches their calendar link off; the overview shows the new one."""
    items = dict(await read_urlencoded(request, 10_000))
    return await run_in_threadpool(_switch, request, token, items)


@offers_new_link
def _switch(request: Request, token: str, items: dict[str, str]) -> Response:
    app = lokflow_app(request)
    with app.sessions.begin() as session:
        scope = open_scope(session, request, token)
        if not csrf_ok(request, scope, items.get("csrf")):
            calendar = owner_calendar(session, app, scope, language_of(request))
            return owner_render(request, "owner_calendar_off.html", token, scope,
                                overview_of(request, session, scope),
                                {"calendar": calendar, "notice": "err_csrf"}, status_code=403)
        feed_id = items.get("feed", "")
        if not digits(feed_id) or not switch_off(session, app, scope, int(feed_id)):
            raise HTTPException(403)
    query = "&lang=en" if language_of(request) == "en" else ""
    return RedirectResponse(f"{base_path(token)}?kalender=ny{query}#kalender", status_code=303)
