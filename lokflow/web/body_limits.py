"""A cap on every request body, before anything parses it.

A Content-Length over the route's limit is refused at once (413) without
reading a byte; a chunked body, or one whose Content-Length lies, is counted
as it streams and refused as soon as it passes the limit. So no route, now or
later, can be made to buffer a large body. URLs with NUL bytes are refused
too (400): no value of lokflow contains one, and PostgreSQL rejects them.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_LIMIT = 256 * 1024  # the largest valid API report is about 80 KB
FORM_LIMIT = 2_000_000      # the owner's form: all of an owner's activities at once
UPLOAD_LIMIT = 6 * 2**20    # a plan import's upload: a 5 MB file and the form around it
ErrorPage = Callable[[Request, int], Response]


def limit_for(method: str, path: str) -> int:
    """The largest body a route accepts, in bytes."""
    if method == "POST" and path.startswith("/rapport/"):
        return FORM_LIMIT
    if method == "POST" and path.startswith("/samordnare/planer/") and path.endswith("/import"):
        return UPLOAD_LIMIT
    return DEFAULT_LIMIT


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit."""

    def __init__(self) -> None:
        super().__init__(413)


def _declared_length(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return value.decode("latin-1")
    return None


def _has_nul(scope: Scope) -> bool:
    query = scope.get("query_string", b"")
    return "\x00" in scope["path"] or b"%00" in query or b"\x00" in query


class BodyLimits:
    def __init__(self, app: ASGIApp, error_page: ErrorPage) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["method"], scope["path"])
        declared = _declared_length(scope)
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            await self._refuse(scope, receive, send, 400)
            return
        if declared is not None and int(declared) > limit:
            await self._refuse(scope, receive, send, 413)
            return
        if _has_nul(scope):
            await self._refuse(scope, receive, send, 400)
            return
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, 413)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int) -> None:
        response = self.error_page(Request(scope), status)
        await response(scope, receive, send)
