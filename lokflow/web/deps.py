"""What every route needs from the request: the composed App, and the
formats of the page's language."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import HTTPException, Path, Request

from lokflow.bootstrap import App
from lokflow.web.formatting import Formats
from lokflow.web.templating import language_of

MAX_ID = 2**63 - 1  # the largest id a database row can have
# A row id in a URL: out of range (or not a number) is 404, like an id that does not exist.
DbId = Annotated[int, Path(ge=1, le=MAX_ID)]


def digits(text: str, most: int = 12) -> bool:
    """Whether `text` is a plain ASCII number (`'²'.isdigit()` is true, `int('²')` fails)."""
    return text.isascii() and text.isdigit() and len(text) <= most


def lokflow_app(request: Request) -> App:
    app = request.app.state.lokflow
    assert isinstance(app, App)
    return app


def formats(request: Request) -> Formats:
    return Formats(lokflow_app(request).settings.tz, language_of(request))


async def read_urlencoded(request: Request, limit: int, max_fields: int = 5000
                          ) -> list[tuple[str, str]]:
    """A form's fields, read with a hard cap on the body (also for chunked uploads)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413)
    if body and not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"):
        raise HTTPException(400)
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                         max_num_fields=max_fields)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400) from None
