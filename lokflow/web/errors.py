"""Every error a person can see: a page in Swedish (English with `?lang=en`),
and JSON with a machine code and a message under /api/ (and /feeds/, whose
readers are calendar programs). Unexpected errors get the same page with no
traceback; the log keeps the detail, without secret links."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lokflow.reporting.report_input import Problem, ReportRejected, shown
from lokflow.texts.pages import PAGE_TEXTS
from lokflow.web.log_redaction import redact
from lokflow.web.templating import language_of, render

LOG = logging.getLogger("lokflow.web")
CODES = {400: "bad_request", 401: "login_required", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "too_many", 500: "server_error"}
FALLBACK = ('<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}'
            '</title></head><body><h1>{title}</h1><p>{text}</p></body></html>').format(
    title=PAGE_TEXTS["sv"]["error_title"], text=PAGE_TEXTS["sv"]["error_other"])


def code_of(status: int) -> str:
    return CODES.get(status, "server_error" if status >= 500 else "bad_request")


def api_language(request: Request) -> str:
    """`?lang=`, else the first of sv/en in Accept-Language, else the default."""
    chosen = request.query_params.get("lang")
    if chosen in PAGE_TEXTS:
        return chosen
    for part in request.headers.get("accept-language", "")[:200].split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in PAGE_TEXTS:
            return tag
    return language_of(request)


def _message(language: str, code: str) -> str:
    texts = PAGE_TEXTS[language]
    return texts.get(f"api_error_{code}") or texts.get(f"error_{code}") or texts["error_other"]


def error_response(request: Request, status: int, headers: Mapping[str, str] | None = None,
                   problems: Sequence[Problem] = ()) -> Response:
    """The page (or JSON) that tells a person what went wrong."""
    if 300 <= status < 400:  # a redirect raised as an exception (to the login page)
        return Response(status_code=status, headers=headers)
    code = code_of(status)
    if request.url.path.startswith("/feeds/"):  # calendar programs: the same bare answer
        return JSONResponse({"detail": code}, status_code=status, headers=headers)
    if request.url.path.startswith("/api/"):
        language = api_language(request)
        body: dict[str, Any] = {"detail": code, "message": _message(language, code)}
        if problems:
            body["errors"] = [{"field": p.field, "code": p.code,
                               "message": p.message(language)} for p in problems]
        return JSONResponse(body, status_code=status, headers=headers)
    try:
        page = render(request, "error.html", {"status": status, "detail": code},
                      status_code=status)
    except Exception:  # the page itself failed (e.g. a broken template): a plain one
        LOG.exception("the error page failed")
        page = HTMLResponse(FALLBACK, status_code=status)
    if headers:
        page.headers.update(headers)
    return page


def _slash_redirect(request: Request) -> Response | None:
    """`/samordnare/` -> `/samordnare`, as a relative URL: the Host header never
    makes it into a Location (Starlette's own slash redirect echoes it)."""
    path = request.url.path
    if (request.method not in ("GET", "HEAD") or len(path) < 2 or not path.endswith("/")
            or path.startswith("//") or "\\" in path):
        return None
    scope = {**request.scope, "path": path.rstrip("/")}
    for route in request.app.router.routes:
        if route.matches(scope)[0] == Match.FULL:
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(path.rstrip("/") + query, status_code=307)
    return None


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 404 and (found := _slash_redirect(request)) is not None:
        return found
    return error_response(request, error.status_code, error.headers)


async def invalid_request(request: Request, error: Exception) -> Response:
    """A malformed path value means the page does not exist; others are 422."""
    assert isinstance(error, RequestValidationError)
    places = [e.get("loc", ("",))[0] for e in error.errors()]
    if places and all(p == "path" for p in places):
        return error_response(request, 404)
    problems = [Problem(shown(e.get("loc", ("", ""))[-1]), "invalid_value") for e in
                error.errors()] if request.url.path.startswith("/api/") else []
    return error_response(request, 422, problems=problems)


async def rejected_report(request: Request, error: Exception) -> Response:
    assert isinstance(error, ReportRejected)
    return error_response(request, 422, problems=error.problems)


def install(web: FastAPI) -> None:
    """The app's exception handlers, and the catch-all for unexpected errors."""
    web.add_exception_handler(HTTPException, http_error)
    web.add_exception_handler(RequestValidationError, invalid_request)
    web.add_exception_handler(ReportRejected, rejected_report)


class ServerErrors:
    """Turns an unexpected exception into the error page (500), logged once
    with its traceback and the request's path without secret tokens."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as error:
            LOG.error("%s %s failed", scope["method"], redact(scope["path"]), exc_info=error)
            if started:
                raise
            await error_response(Request(scope), 500)(scope, receive, send)
