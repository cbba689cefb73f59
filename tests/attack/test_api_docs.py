"""The API docs work without internet, and every response carries the security
headers: a CSP on every HTML page (no inline script), HSTS behind https, and
redirects that never echo the Host header."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Route, sync_playwright

from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, PLANS
from tests.support.reporting import KIM, api_key, load, load_two_organisations, report_link
from tests.support.web_server import WebServer

CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EVIL_HOST = "evil.example"


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with TestClient(create_app(app), follow_redirects=False,
                    raise_server_exceptions=False) as test:
        yield test


def script_policy(csp: str) -> str:
    """The directive that governs scripts (script-src, else default-src)."""
    directives = {}
    for directive in filter(None, (d.strip() for d in csp.split(";"))):
        name, _, value = directive.partition(" ")
        directives[name] = value
    return directives.get("script-src", directives.get("default-src", "*"))


def test_docs_page_loads_its_assets_from_this_server(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and not [a for a in assets if "//" in a]  # nothing from another host
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    policy = script_policy(page.headers["content-security-policy"])
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "http" not in policy and "*" not in policy


def test_every_html_response_has_a_csp_without_inline_script(client: TestClient,
                                                            app: App) -> None:
    raw = report_link(app, KIM)
    answers = [client.get(f"/rapport/{raw}"), client.get("/samordnare/logga-in"),
               client.get("/docs"), client.get("/finns-inte"),
               client.post("/samordnare/logga-in", content=b"x" * 3_000_000,
                           headers={"content-type": "application/x-www-form-urlencoded"}),
               client.get(f"/rapport/{raw}/aktivitet/9999999")]
    for answer in answers:
        assert answer.headers["content-type"].startswith("text/html"), answer.request.url
        csp = answer.headers.get("content-security-policy", "")
        assert "default-src" in csp and "frame-ancestors 'none'" in csp, answer.request.url
        assert "'unsafe-inline'" not in script_policy(csp), answer.request.url
        assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("base_url", ["https://lok.testby.example.org", "http://127.0.0.1:8000"])
def test_hsts_exactly_when_the_base_url_is_https(app: App, client: TestClient,
                                                 base_url: str) -> None:
    app.settings.base_url = base_url
    key = api_key(app)
    answers = [client.get("/samordnare/logga-in"), client.get("/healthz"),
               client.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"}),
               client.get("/api/v1/plans"), client.get("/finns-inte"), client.get("/docs"),
               client.get("/samordnare")]
    for answer in answers:
        hsts = answer.headers.get("strict-transport-security")
        if base_url.startswith("https://"):
            assert hsts is not None and int(re.findall(r"max-age=(\d+)", hsts)[0]) >= 31536000
        else:
            assert hsts is None


@pytest.mark.parametrize("path", ["/samordnare/", "/static", "/docs/", "/api/v1/plans/",
                                  "/samordnare/planer/testby/", "/samordnare",
                                  "/feeds/x/rapport/"])
def test_redirects_never_reflect_the_host_header(client: TestClient, path: str) -> None:
    answer = client.get(path, headers={"host": EVIL_HOST, "x-forwarded-host": EVIL_HOST})
    assert EVIL_HOST not in answer.headers.get("location", "")
    assert EVIL_HOST not in answer.text


@pytest.mark.browser
def test_docs_render_in_a_browser_without_internet(tmp_path: Path) -> None:
    """Debian's chromium opens /docs on a real uvicorn; every request that leaves
    127.0.0.1 is refused. The operations must show, with no CSP violation."""
    server = WebServer(tmp_path / "home")
    setup = bootstrap(Settings(home=server.home, plans_dir=PLANS, base_url=server.base_url,
                               _env_file=None))  # type: ignore[call-arg]
    load(setup, FIXTURES / "minimal.yaml")
    setup.close()
    server.start()
    outside: list[str] = []
    console: list[str] = []

    def refuse_outside(route: Route) -> None:
        if route.request.url.startswith(server.base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.route("**/*", refuse_outside)
                page.on("console", lambda m: console.append(m.text))
                page.goto(server.base_url + "/docs")
                page.get_by_text("/api/v1/plans/{plan}/activities/{activity}/reports",
                                 exact=True).first.wait_for(timeout=20_000)
                assert page.locator(".opblock").count() >= 5
            finally:
                browser.close()
    finally:
        server.stop()
    assert outside == []
    assert not [m for m in console if "Content Security Policy" in m], console
    assert server.process is None
