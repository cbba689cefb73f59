"""`lokflow serve`: the web app under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from lokflow.cli.context import console, state
from lokflow.web import log_redaction
from lokflow.web.app import create_app


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Start the web app: status-report pages, coordinator pages, API and feeds."""
    cli = state(ctx)
    settings, app = cli.settings, cli.app  # a bad setting or key stops here, before binding
    bind_host, bind_port = host or settings.web_host, port or settings.web_port
    console.print(f"lokflow web app on http://{bind_host}:{bind_port}  (Ctrl-C stops)")
    # The app applies X-Forwarded-* itself (lokflow.web.proxies), after noting
    # the direct peer: the proxy-login header must come from the proxy itself.
    log_redaction.install()
    uvicorn.run(create_app(app), host=bind_host, port=bind_port, log_level="info",
                proxy_headers=False)
