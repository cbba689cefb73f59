"""Security headers on every response: nosniff, no referrer, no framing, HSTS
when the public base URL is https, and on every HTML response a
Content-Security-Policy (no script at all, unless the route set its own, as
the API docs and the archived reports do). Other types get no CSP: a PDF
viewer does not work under one."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = ("default-src 'self'; script-src 'none'; img-src 'self' data:; style-src 'self'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HSTS = "max-age=31536000"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: Callable[[], bool]) -> None:
        self.app = app
        self.https = https  # read per response: the base URL decides, not the request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                html = headers.get("content-type", "").startswith("text/html")
                if html:
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                if self.https():
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, with_headers)
