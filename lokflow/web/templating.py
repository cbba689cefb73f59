"""Jinja2 for the web pages: autoescaped, Swedish by default, English by
`?lang=en` or the visitor's Accept-Language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from lokflow.texts.pages import PAGE_TEXTS

TEMPLATES = Path(__file__).parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def language_of(request: Request) -> str:
    chosen = request.query_params.get("lang")
    if chosen in PAGE_TEXTS:
        return chosen
    cookie = request.cookies.get("lang")
    if cookie in PAGE_TEXTS:
        return cookie
    settings_language = request.app.state.lokflow.settings.language
    return settings_language if settings_language in PAGE_TEXTS else "sv"


def render(request: Request, template: str, context: dict[str, Any],
           status_code: int = 200) -> HTMLResponse:
    language = language_of(request)
    page = environment.get_template(template).render(
        {"request": request, "lang": language, "t": PAGE_TEXTS[language], **context})
    response = HTMLResponse(page, status_code=status_code)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
