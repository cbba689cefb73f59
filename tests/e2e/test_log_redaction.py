"""A real `lokflow serve` never writes report or feed tokens to its log."""

from __future__ import annotations

from pathlib import Path

import httpx

from lokflow.settings import Settings
from tests.support.web_server import WebServer


def test_access_log_hides_tokens(settings: Settings, tmp_path: Path) -> None:
    server = WebServer(tmp_path / "home").start()
    try:
        for path in ("/rapport/SECRETtokenABCDEFGHIJ12345", "/feeds/SECRETfeedTOKEN1234567.ics"):
            assert httpx.get(server.base_url + path, timeout=10).status_code in (403, 404)
    finally:
        server.stop()
    assert server.process is None
    log = server.log_text()
    assert "GET /rapport/… HTTP/1.1" in log and "GET /feeds/….ics HTTP/1.1" in log
    assert "SECRET" not in log
