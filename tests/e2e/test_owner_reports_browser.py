"""The owner's journey on a phone (390×844) in Debian's chromium, with the
page's JavaScript off and the keyboard only: open the link, read the
overview, report two activities (one with a proposed date), read the
confirmation, reload it. axe-core checks every state; page heights and tab
stops per activity are measured and printed. The web app is a real uvicorn
server in a child process; the reports are read back from its database."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lokflow.bootstrap import bootstrap
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.domain.working_days import is_working_day
from lokflow.engine.due_run import decide_and_queue
from lokflow.reporting.report_links import create_report_link, revoke_report_links
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FIXTURES, PLANS, FixedClock
from tests.support.browser import (
    Axe,
    chromium,
    focusable_count,
    page_height,
    phone,
    tab_to,
)
from tests.support.reporting import KIM, load
from tests.support.smtp_server import SmtpServer
from tests.support.web_server import WebServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARTIFACTS = ROOT / "tests" / ".artifacts"
CHAIR = "foreningsradet@tierp.example.org"  # the association council's chair: 11 activities
EVIL = "<script>alert(1)</script>"


@pytest.fixture
def server(tmp_path: Path) -> WebServer:
    web = WebServer(tmp_path / "home")
    yield web  # type: ignore[misc]
    web.stop()


def follow(page: Page, key: str) -> None:
    """Press a key that follows a link or sends a form, and wait for the page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def check(page: Page, axe: Axe, state: str, measures: dict[str, object]) -> None:
    """axe-core finds nothing; nothing scrolls sideways; note the height."""
    origin = re.match(r"https?://[^/]+", page.url)
    assert axe.violations(page, origin.group(0) if origin else None) == [], state
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, state
    measures[state] = page_height(page)


@pytest.mark.browser
def test_the_chair_reports_on_a_phone_with_the_keyboard_only(
        tmp_path: Path, server: WebServer, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(home=server.home, plans_dir=PLANS, base_url=server.base_url,
                        _env_file=None)  # type: ignore[call-arg]
    app = bootstrap(settings)
    load(app, PLANS / "tierp.yaml")
    with app.sessions.begin() as session:
        link = create_report_link(session, settings, CHAIR, "tierp", app.now())
    server.start()
    heights: dict[str, object] = {}
    dialogs: list[str] = []
    with chromium() as browser:
        axe = Axe(browser)
        page = phone(browser)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Rapportera status")
        expect(page.locator("header")).to_contain_text("Tierps kommun")
        expect(page.locator("header")).to_contain_text("LÖK Tierp")
        check(page, axe, "overview", heights)
        stops = focusable_count(page, "li.owner-item")
        assert len(stops) == 11 and set(stops) == {2}  # a tick box and "Rapportera"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "owner-overview.png"))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "owner-overview-full.png"), full_page=True)

        first = tab_to(page, "Rapportera Civilsamhället 4.2")  # the first activity
        presses = first + tab_to(page, "Rapportera Civilsamhället 1.1")
        follow(page, "Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Rapportera Civilsamhället 1.1")
        check(page, axe, "short form (check-in)", heights)
        form_stops = focusable_count(page, "form.short-form")[0]
        tab_to(page, "ej påbörjad")
        page.keyboard.press("ArrowRight")  # the radio group: pågår
        page.keyboard.press("Tab")
        page.keyboard.type("40")
        page.keyboard.press("Tab")
        page.keyboard.type(f"Vi har börjat {EVIL}")
        tab_to(page, "Spara rapporten")
        follow(page, "Enter")
        expect(page.get_by_role("status")).to_contain_text("Tack! Rapporten är sparad")
        expect(page.get_by_role("status")).to_contain_text("Civilsamhället 1.1: pågår, 40 %")
        check(page, axe, "confirmation", heights)

        tab_to(page, "Rapportera Kommunen 5.2")
        follow(page, "Enter")
        check(page, axe, "short form (deadline)", heights)
        page.screenshot(path=str(SCREENSHOTS / "owner-activity-form.png"), full_page=True)
        tab_to(page, "ej påbörjad")
        for _ in range(3):
            page.keyboard.press("ArrowRight")  # klar, then försenad
        tab_to(page, "Behöver datumet flyttas?")
        page.keyboard.press("Enter")  # opens the details
        page.keyboard.press("Tab")
        new_date = date.today() + timedelta(days=90)
        page.keyboard.type(new_date.isoformat())
        page.keyboard.press("Tab")
        page.keyboard.type("Rådet väljs först i mars")
        check(page, axe, "short form with a new date", heights)
        tab_to(page, "Spara rapporten")
        follow(page, "Enter")
        status = page.get_by_role("status")
        expect(status).to_contain_text("Kommunen 5.2: försenad")
        expect(status).to_contain_text("samordnaren godkänner eller avslår det nya datumet")
        expect(status).to_contain_text("Vad händer nu?")
        check(page, axe, "confirmation of the second", heights)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / "owner-confirmation.png"), full_page=False)

        page.reload()  # Post/Redirect/Get: a reload is a GET, nothing is sent again
        expect(page.get_by_role("status")).to_contain_text("Kommunen 5.2: försenad")
        assert dialogs == []

        tab_to(page, "Rapportera Civilsamhället 4.2")
        follow(page, "Enter")
        tab_to(page, "Spara rapporten")
        follow(page, "Enter")  # no status chosen
        expect(page.get_by_role("alert")).to_contain_text("Det finns fel i formuläret")
        check(page, axe, "short form with an error", heights)
        page.get_by_role("alert").get_by_role("link").first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id").endswith("-status-not_started")

        page.goto(link + "/kalender")
        check(page, axe, "calendar switch-off", heights)
        page.goto(link + "?lang=en")
        check(page, axe, "overview in English", heights)

    with app.sessions() as session:
        saved = session.scalars(select(t.StatusReport).order_by(t.StatusReport.id)).all()
        assert [(r.status, r.progress, r.comment, r.channel) for r in saved] == [
            ("in_progress", 40, f"Vi har börjat {EVIL}", "web"),
            ("delayed", None, None, "web")]
        change = session.scalars(select(t.DateChange)).one()
        assert (change.proposed_date, change.occurrence_key) == (new_date, "deadline")
    with app.sessions.begin() as session:
        revoke_report_links(session, CHAIR, app.now())
    with chromium() as browser:
        axe = Axe(browser)
        page = phone(browser)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Länken har gått ut")
        check(page, axe, "expired link", heights)
    app.close()
    with capsys.disabled():
        print(f"\nowner pages at 390 px, keyboard only: {first} Tab presses from the top to "
              f"the first activity's Rapportera, {presses} to the sixth's; tab stops per "
              f"activity: 2 on the overview, {form_stops} in its short form")
        for state, height in heights.items():
            print(f"  {state}: {height} px tall")


def last_working_day() -> datetime:
    """09:00 UTC on the latest working day up to now: the reminder's day. The web
    server runs on the real clock, so the link must still be valid for real."""
    day = datetime.now(UTC).date()
    while not is_working_day(day):
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


@pytest.mark.browser
def test_the_link_in_a_real_reminder_opens_the_overview(tmp_path: Path, server: WebServer,
                                                        smtp_server: SmtpServer) -> None:
    now = last_working_day()
    due = (now + timedelta(days=7)).date()
    plan = tmp_path / "testby.yaml"
    plan.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
                    .replace('timeline: "2024"', f"timeline: {due.isoformat()}")
                    .replace("end: 2025", f"end: {due.year + 1}"), encoding="utf-8")
    settings = Settings(home=server.home, plans_dir=PLANS, base_url=server.base_url,
                        smtp_url=smtp_server.url, _env_file=None)  # type: ignore[call-arg]
    app = bootstrap(settings, clock=FixedClock(now))
    load(app, plan)
    with app.sessions.begin() as session:
        decide_and_queue(session, app.now(), app.today(), zone=app.settings.tz)
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(
        SmtpSettings.from_url(smtp_server.url))).run())
    [message] = smtp_server.to(KIM)
    assert isinstance(message, EmailMessage)
    html = message.get_body(("html",))
    assert html is not None
    found = re.search(r'href="(http://127\.0\.0\.1:\d+/rapport/[A-Za-z0-9_-]+)"',
                      html.get_content())
    assert found
    server.start()
    with chromium() as browser:
        axe = Axe(browser)
        page = phone(browser)
        page.set_content(html.get_content())  # the email itself, as a phone shows it
        assert axe.violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto(found.group(1))
        expect(page.get_by_role("heading", level=1)).to_have_text("Rapportera status")
        expect(page.locator("#group-now")).to_have_text(re.compile("Att rapportera nu"))
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-from-email.png"), full_page=True)
    app.close()
