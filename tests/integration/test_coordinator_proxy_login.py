"""Login by a trusted reverse proxy's header: believed only from the proxy's
own address, and only for users that exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lokflow.bootstrap import App
from lokflow.web.app import create_app
from tests.support.reporting import coordinator, load_two_organisations

HEADER = "X-Remote-User"


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    coordinator(app)
    app.settings.auth_header = HEADER
    app.settings.web_trusted_proxies = "testclient"  # TestClient's peer address
    with TestClient(create_app(app), follow_redirects=False) as web:
        yield web


def test_header_from_the_trusted_proxy_logs_in(client: TestClient) -> None:
    page = client.get("/samordnare", headers={HEADER: "anna"})
    assert page.status_code == 200 and "Inloggad som Anna Samordnare" in page.text
    assert "Logga ut" not in page.text  # the proxy owns the session
    assert client.get("/samordnare/planer/annanby", headers={HEADER: "anna"}).status_code == 404


def test_header_naming_an_unknown_user_is_refused(client: TestClient) -> None:
    assert client.get("/samordnare", headers={HEADER: "mallory"}).status_code == 403


def test_no_header_falls_back_to_the_login_page(client: TestClient) -> None:
    assert client.get("/samordnare").status_code == 303


@pytest.mark.parametrize("trusted", ["10.0.0.1", "*", "192.168.0.0/16"])
def test_header_from_anyone_else_is_ignored(client: TestClient, app: App, trusted: str) -> None:
    app.settings.web_trusted_proxies = trusted
    answer = client.get("/samordnare", headers={HEADER: "anna"})
    assert answer.status_code == 303 and "logga-in" in answer.headers["location"]


def test_header_is_ignored_when_proxy_login_is_off(client: TestClient, app: App) -> None:
    app.settings.auth_header = ""
    assert client.get("/samordnare", headers={HEADER: "anna"}).status_code == 303
