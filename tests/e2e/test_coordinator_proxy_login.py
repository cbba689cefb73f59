"""Proxy login through the real server (`lokflow serve` under uvicorn): the
header counts when the trusted proxy on 127.0.0.1 sends it, even with the
X-Forwarded-For line every reverse proxy adds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lokflow.bootstrap import bootstrap
from lokflow.settings import Settings
from tests.conftest import FIXTURES, PLANS
from tests.support.reporting import coordinator, load
from tests.support.web_server import WebServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WebServer]:
    home = tmp_path / "home"
    app = bootstrap(Settings(home=home, plans_dir=PLANS, _env_file=None))
    load(app, FIXTURES / "minimal.yaml")
    coordinator(app)
    app.close()
    web = WebServer(home, env={"LOKFLOW_AUTH_HEADER": "X-Remote-User",
                               "LOKFLOW_WEB_TRUSTED_PROXIES": "127.0.0.1"}).start()
    yield web
    web.stop()


def test_header_login_behind_a_proxy(server: WebServer) -> None:
    proxied = {"X-Remote-User": "anna", "X-Forwarded-For": "203.0.113.9",
               "X-Forwarded-Proto": "https"}
    page = httpx.get(f"{server.base_url}/samordnare/planer/testby", headers=proxied)
    assert page.status_code == 200 and "Inloggad som Anna Samordnare" in page.text
    unknown = httpx.get(f"{server.base_url}/samordnare", headers={"X-Remote-User": "mallory"})
    assert unknown.status_code == 403
    anonymous = httpx.get(f"{server.base_url}/samordnare")
    assert anonymous.status_code == 303
