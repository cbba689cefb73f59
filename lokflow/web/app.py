"""The web app factory: status-report pages, coordinator pages, the JSON API
and calendar feeds, all on one FastAPI app over the same database."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from lokflow import __version__
from lokflow.bootstrap import App
from lokflow.web.proxies import PeerThenProxyHeaders
from lokflow.web.routes import ROUTERS
from lokflow.web.templating import render

STATIC = Path(__file__).parent / "static"


def create_app(app: App) -> FastAPI:
    web = FastAPI(
        title="lokflow",
        version=__version__,
        description="Status reports, plans and activities of LÖK action plans.",
        docs_url="/docs",
        redoc_url=None,
    )
    web.state.lokflow = app
    # Remembers the direct peer, then applies X-Forwarded-* from trusted proxies.
    web.add_middleware(PeerThenProxyHeaders, trusted=app.settings.web_trusted_proxies)
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        web.include_router(router)

    @web.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @web.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith(("/api/", "/feeds/")):
            return Response(status_code=error.status_code,
                            content=f'{{"detail": "{_reason(error.status_code)}"}}',
                            media_type="application/json", headers=error.headers)
        page = render(request, "error.html", {"status": error.status_code,
                                              "detail": _reason(error.status_code)},
                      status_code=error.status_code)
        if error.headers:
            page.headers.update(error.headers)
        return page

    return web


def _reason(status: int) -> str:
    return {400: "bad_request", 401: "login_required", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict", 422: "invalid", 429: "too_many"}.get(
        status, "error")

