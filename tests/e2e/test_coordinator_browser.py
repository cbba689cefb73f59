"""A coordinator's working session in Debian's chromium at 1366 px against the
real web server (uvicorn, a child process), with a real SMTP server: log in,
dashboard, filter overdue, open an activity, send a reminder now (the email
arrives), record a report on an owner's behalf, decide a date, open a round,
compile and download the annual report, export XLSX. axe-core finds no
WCAG 2.1 A/AA violation on any page."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_owner_reports_browser import ARTIFACTS, chromium
from tests.support.axe import axe_source, violations
from tests.support.coordinator_world import ACTIVITY, World, build_world
from tests.support.smtp_server import SmtpServer
from tests.support.web_server import WebServer

OWNER = "lok-samordnare@tierp.example.org"  # the contact of Tierps kommun's activities


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path / "home", date.today(), days=400)


@pytest.fixture
def server(world: World, smtp_server: SmtpServer) -> Iterator[WebServer]:
    web = WebServer(world.home, env={"LOKFLOW_SMTP_URL": smtp_server.url})
    yield web.start()
    web.stop()


def desktop(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="sv-SE",
                                  bypass_csp=True, accept_downloads=True)
    return context.new_page()


@pytest.mark.browser
def test_a_coordinators_session(world: World, server: WebServer,
                                smtp_server: SmtpServer) -> None:
    with chromium() as browser:
        Journey(desktop(browser), server, smtp_server, world).run()


class Journey:
    def __init__(self, page: Page, server: WebServer, smtp: SmtpServer, world: World) -> None:
        self.page, self.server, self.smtp, self.world = page, server, smtp, world
        self.axe = axe_source()
        self.checked: list[str] = []
        ARTIFACTS.mkdir(exist_ok=True)

    def check(self, name: str) -> None:
        """No axe violation, nothing wider than the screen, Swedish throughout."""
        found = violations(self.page, self.axe)
        assert found == [], (name, found)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= 1366, name
        assert self.page.evaluate("document.documentElement.lang") == "sv"
        self.checked.append(name)

    def run(self) -> None:
        for step in (self.log_in, self.dashboard, self.overdue, self.activity, self.remind,
                     self.on_behalf, self.decide, self.open_round, self.annual_report,
                     self.export):
            step()
        assert len(self.checked) >= 14

    def log_in(self) -> None:
        page = self.page
        page.goto(self.server.base_url + "/samordnare")
        expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
        self.check("login")
        page.get_by_label("Användarnamn").fill(self.world.username)
        page.get_by_label("Lösenord").fill("fel-losenord-igen")
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        self.check("login error")
        page.get_by_label("Användarnamn").fill(self.world.username)
        page.get_by_label("Lösenord").fill(self.world.password)
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Översikt över handlingsplanerna")
        self.check("organisation dashboard")

    def dashboard(self) -> None:
        page = self.page
        page.get_by_role("link", name="LÖK Tierp").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("LÖK Tierp: översikt")
        self.check("plan dashboard")
        page.keyboard.press("Tab")  # the skip link comes first and skips the navigation
        assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        assert page.evaluate("document.querySelector('main nav') === null")
        page.keyboard.press("Tab")
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        assert ring == "rgb(11, 12, 12)"  # a dark ring with a white gap: every background
        small = page.evaluate("""[...document.querySelectorAll('nav a, button, .tile, .export a')]
            .filter(e => e.getBoundingClientRect().height < 24).map(e => e.textContent)""")
        assert small == []

    def overdue(self) -> None:
        page = self.page
        tile = page.locator("a.tile-overdue")
        number = int(tile.locator(".tile-number").inner_text())
        tile.click()
        expect(page.get_by_role("status").first).to_have_text(f"{number} aktiviteter visas.")
        assert page.get_by_role("checkbox", name="Bara försenade").is_checked()
        nowrap = page.evaluate("""[...document.querySelectorAll('td.date')]
            .every(c => getComputedStyle(c).whiteSpace === 'nowrap')""")
        assert nowrap  # dates never break across lines
        page.get_by_label("Sök").fill("humlepriset")
        page.get_by_role("button", name="Visa").click()
        expect(page.get_by_role("status").first).to_have_text("1 aktiviteter visas.")
        self.check("filtered table")

    def activity(self) -> None:
        page = self.page
        page.get_by_role("link", name="Kommunen 3.2").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kommunen 3.2: LÖK Tierp")
        expect(page.locator("#notices-title ~ .table-wrap")).to_contain_text("eskalering")
        events = page.get_by_role("link", name="Händelser i Prefect").get_attribute("href")
        assert events is not None and events.endswith(
            f"/events?resource=lokflow.activity.tierp.{ACTIVITY}")
        self.check("activity")

    def remind(self) -> None:
        page = self.page
        page.get_by_role("link", name="Skicka påminnelse nu").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Skicka påminnelse nu")
        preview = page.locator("pre.email-text").inner_text()
        assert "Påminnelse från samordnaren" in preview
        self.check("reminder preview")
        before = len(self.smtp.to(OWNER))
        page.get_by_role("button", name="Skicka påminnelsen till 1 person(er)").click()
        expect(page.get_by_role("status")).to_contain_text("Påminnelsen är lagd i utkorgen")
        assert page.evaluate("document.activeElement.id") == "done"
        wait_for(lambda: len(self.smtp.to(OWNER)) > before, "the reminder to arrive")
        arrived = self.smtp.to(OWNER)[-1].get_body(("plain",)).get_content()
        assert "Påminnelse från samordnaren: rapportera läget" in arrived
        page.reload()
        expect(page.locator("#notices-title ~ .table-wrap")).to_contain_text("levererat")
        self.check("activity after the reminder")

    def on_behalf(self) -> None:
        page = self.page
        page.get_by_role("link", name="Registrera rapport åt ansvarig").click()
        page.get_by_role("button", name="Spara rapporten").click()
        expect(page.get_by_role("alert")).to_contain_text("Det finns fel i formuläret")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        self.check("report on behalf, with errors")
        page.get_by_label("Vems rapport är det?").fill("Samordnare för civilsamhällesfrågor")
        page.get_by_label("telefon").check()
        page.get_by_label("Status").select_option(label="pågår")
        page.get_by_label("Kommentar").fill("Berättade i telefon att arbetet har börjat.")
        page.get_by_role("button", name="Spara rapporten").click()
        expect(page.get_by_role("status")).to_have_text("Rapporten är sparad.")
        expect(page.locator("#log-title ~ .table-wrap")).to_contain_text(
            "Anna Andersson registrerade rapporten åt Samordnare för civilsamhällesfrågor")
        page.evaluate("document.activeElement.blur()")
        page.screenshot(path=str(ARTIFACTS / "coordinator-activity.png"), full_page=True)
        self.check("activity after the report")

    def decide(self) -> None:
        page = self.page
        page.get_by_role("link", name="Datumförslag").click()
        page.get_by_role("button", name="Godkänn").click()  # without a reason
        expect(page.get_by_role("alert")).to_contain_text("Skriv en motivering")
        self.check("date decision, with errors")
        page.get_by_label("Motivering (skickas till den ansvariga)").fill(
            "Lokalen blir klar till våren; vi flyttar träffen.")
        page.get_by_role("button", name="Godkänn").click()
        expect(page.get_by_role("status")).to_contain_text("Beslutet är sparat")
        self.check("date decided")

    def open_round(self) -> None:
        page = self.page
        year = self.world.today.year
        page.goto(f"{self.server.base_url}/samordnare/planer/tierp/omgang?year={year}")
        self.check("round page")
        page.get_by_label("Sista dag för svar").fill(
            (self.world.today + timedelta(days=21)).isoformat())
        page.get_by_role("button", name="Förhandsgranska").click()
        expect(page.get_by_role("heading", name="Så här blir omgången")).to_be_visible()
        self.check("round preview")
        page.get_by_role("button", name="Öppna omgången nu").click()
        expect(page.get_by_role("status").first).to_contain_text("Omgången är öppnad")
        self.check("round opened")
        page.get_by_role("link", name="Planens översikt").click()
        page.screenshot(path=str(ARTIFACTS / "coordinator-dashboard.png"), full_page=True)

    def annual_report(self) -> None:
        page = self.page
        page.get_by_role("link", name="Årsrapporter", exact=True).click()
        self.check("annual reports")
        page.get_by_role("button", name="Sammanställ").click()
        expect(page.get_by_role("status")).to_contain_text("Årsrapporten är klar: version 1.",
                                                           timeout=60_000)
        self.check("annual report job")
        with page.expect_download() as download:
            page.get_by_role("link", name="PDF").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    def export(self) -> None:
        page = self.page
        page.goto(f"{self.server.base_url}/samordnare/planer/tierp/aktiviteter?overdue=1")
        headings = [h.split("\n")[0].replace("▲", "").replace("▼", "").strip() for h in
                    page.locator("table.activities thead th").all_inner_texts()]
        rows = page.locator("table.activities tbody tr").count()
        with page.expect_download() as download:
            page.get_by_role("link", name="XLSX").click()
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
        assert [c.value for c in sheet[1]] == headings and sheet.max_row == rows + 1


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)
