"""The web app factory: status-report pages, coordinator pages, the JSON API
and calendar feeds, all on one FastAPI app over the same database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from lokflow import __version__
from lokflow.bootstrap import App
from lokflow.web import api_docs, errors
from lokflow.web.api_models import document_report_body
from lokflow.web.body_limits import BodyLimits
from lokflow.web.proxies import PeerThenProxyHeaders
from lokflow.web.routes import ROUTERS
from lokflow.web.security_headers import SecurityHeaders

STATIC = Path(__file__).parent / "static"


def create_app(app: App) -> FastAPI:
    web = FastAPI(
        title="lokflow",
        version=__version__,
        description="Status reports, plans and activities of LÖK action plans.",
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,  # its redirects echo the Host header; errors.py redirects
    )
    web.state.lokflow = app
    # Remembers the direct peer, then applies X-Forwarded-* from trusted proxies.
    web.add_middleware(PeerThenProxyHeaders, trusted=app.settings.web_trusted_proxies)
    web.add_middleware(BodyLimits, error_page=errors.error_response)  # before any parsing
    web.add_middleware(errors.ServerErrors)
    web.add_middleware(SecurityHeaders,  # outermost: also on 413 and 500 pages
                       https=lambda: app.settings.base_url.startswith("https://"))
    errors.install(web)
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    api_docs.install(web)
    for router in ROUTERS:
        web.include_router(router)

    @web.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    def openapi() -> dict[str, Any]:
        spec = FastAPI.openapi(web)
        document_report_body(spec)
        return spec

    web.openapi = openapi  # type: ignore[method-assign]
    return web
