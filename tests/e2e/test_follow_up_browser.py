"""The follow-up pages in Debian's chromium on a real web server (uvicorn, a
child process stopped by PID), issue 17: the public page on a desktop and a
phone, in Swedish and English, and an assessor writing the party's own
assessment on a phone with JavaScript off; every state is axe-core clean
(WCAG 2.1 A/AA and best practice) and nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lokflow.bootstrap import bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS
from tests.e2e.test_owner_reports_browser import chromium
from tests.support.axe import violations, violations_without_javascript
from tests.support.follow_up import JOINT, KIM, KS, assessment_path, load_plan, report
from tests.support.reporting import PASSWORD, coordinator
from tests.support.web_server import WebServer

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[WebServer, str]]:
    """The Följby plan (public), a joint activity waiting for civil society, and
    the municipality's assessment link; the server runs on the real clock."""
    server = WebServer(tmp_path / "home")
    app = bootstrap(Settings(home=server.home, base_url=server.base_url, plans_dir=PLANS,
                             _env_file=None))
    load_plan(app)
    report(app, JOINT, "done", email=KIM)
    report(app, "kommun-1.1", "in_progress", email=KIM, comment=EVIL)
    link = assessment_path(app, KS, "municipality", year=datetime.now(UTC).year)
    coordinator(app, "sara", "foljby")
    app.close()
    server.start()
    yield server, link
    server.stop()


def open_page(browser: Browser, url: str, width: int, *, javascript: bool = True) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True,
                                  java_script_enabled=javascript, locale="sv-SE",
                                  is_mobile=width < 500, has_touch=width < 500)
    page = context.new_page()
    page.goto(url)
    return page


def logged_in(browser: Browser, base: str, width: int, *, username: str = "sara",
              javascript: bool = True) -> Page:
    """A page of a coordinator who has just logged in with their password."""
    page = open_page(browser, f"{base}/samordnare/logga-in", width, javascript=javascript)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    return page


def clean(page: Page, browser: Browser | None = None) -> None:
    """axe-core finds nothing, and nothing scrolls sideways. With `browser`: the
    page has JavaScript off, so axe checks a copy of its DOM."""
    found = violations_without_javascript(browser, page) if browser else violations(page)
    assert found == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size[
        "width"]  # type: ignore[index]


@pytest.mark.browser
def test_the_public_page_is_accessible(site: tuple[WebServer, str]) -> None:
    server, _ = site
    with chromium() as browser:
        for width in (1366, 390):
            page = open_page(browser, f"{server.base_url}/insyn/foljby", width)
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Öppen uppföljning: LÖK Följby")
            expect(page.get_by_text("Klar enligt kommunen, väntar på civilsamhället")
                   ).to_be_visible()
            assert EVIL not in page.content()  # comments are never shown
            clean(page)
        page = open_page(browser, f"{server.base_url}/insyn/foljby?lang=en", 390)
        assert page.evaluate("document.documentElement.lang") == "en"
        expect(page.get_by_role("heading", level=2, name="Progress, principle by principle")
               ).to_be_visible()
        clean(page)


@pytest.mark.browser
def test_an_assessor_writes_on_a_phone_without_javascript(site: tuple[WebServer, str],
                                                          tmp_path: Path) -> None:
    server, link = site
    with chromium() as browser:
        page = open_page(browser, server.base_url + link, 390, javascript=False)
        clean(page, browser)
        overall = page.get_by_role("group", name="Överenskommelsen som helhet", exact=True)
        overall.get_by_label("3 – fungerar till stor del").check()
        overall.get_by_label("Er bedömning med egna ord").fill(f"Bra år. {EVIL}")
        dialog = page.get_by_role("group", name="Dialog", exact=True)
        dialog.get_by_label("Er bedömning med egna ord").fill("Pip\x07")  # a control character
        page.get_by_role("button", name="Spara bedömningen").click()
        expect(page.get_by_role("alert")).to_contain_text("Det finns fel i formuläret")
        clean(page, browser)  # the error state too
        page.get_by_role("group", name="Dialog", exact=True).get_by_label(
            "Er bedömning med egna ord").fill("Tät dialog.")
        page.get_by_role("button", name="Spara bedömningen").click()
        expect(page.get_by_role("status")).to_contain_text("Bedömningen är sparad")
        clean(page, browser)
    app = bootstrap(Settings(home=server.home, plans_dir=PLANS, _env_file=None))
    try:
        with app.sessions() as session:
            saved = {(a.principle_key, a.scale, a.text) for a in session.scalars(
                select(t.Assessment))}
    finally:
        app.close()
    assert saved == {("", 3, f"Bra år. {EVIL}"), ("dialog", None, "Tät dialog.")}


@pytest.mark.browser
def test_the_committee_page_is_accessible(site: tuple[WebServer, str]) -> None:
    server, _ = site
    with chromium() as browser:
        page = logged_in(browser, server.base_url, 1366)
        page.goto(f"{server.base_url}/samordnare/planer/foljby/arsrapport")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Årsrapport")
        clean(page)
        page.get_by_label("Diarienummer").fill("KS\t2024")
        page.get_by_role("button", name="Spara", exact=True).click()
        clean(page)
