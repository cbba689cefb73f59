"""An owner answers a real reminder on a phone: the email arrives at a real SMTP
server (aiosmtpd on 127.0.0.1), headless Debian chromium opens its link on the
real web server (uvicorn, a child process), fills the form at 375x812 and
sends it; the database holds the report and the history page shows it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright
from sqlalchemy import select

from lokflow.bootstrap import App, bootstrap
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.domain.working_days import is_working_day
from lokflow.engine.due_run import decide_and_queue
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FIXTURES, PLANS, FixedClock
from tests.support.reporting import KIM, load
from tests.support.smtp_server import SmtpServer
from tests.support.web_server import WebServer

ARTIFACTS = Path(__file__).resolve().parents[1] / ".artifacts"
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EVIL = "<script>alert(1)</script>"


def last_working_day() -> datetime:
    """09:00 UTC on the latest working day up to now: the reminder's day. The web
    server runs on the real clock, so the link must still be valid for real."""
    day = datetime.now(UTC).date()
    while not is_working_day(day):
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless (Playwright's event loop runs while it is open)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WebServer]:
    web = WebServer(tmp_path / "home")
    yield web
    web.stop()


def reminder_link(tmp_path: Path, server: WebServer, smtp: SmtpServer) -> tuple[App, str]:
    """Load a plan with an activity due in a week, run the engine and the sender,
    and read the report link out of the email Kim received."""
    now = last_working_day()
    due = (now + timedelta(days=7)).date()
    plan = tmp_path / "testby.yaml"
    plan.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
                    .replace('timeline: "2024"', f"timeline: {due.isoformat()}")
                    .replace("end: 2025", f"end: {due.year + 1}"), encoding="utf-8")
    settings = Settings(home=server.home, plans_dir=PLANS, base_url=server.base_url,
                        smtp_url=smtp.url, _env_file=None)
    app = bootstrap(settings, clock=FixedClock(now))
    load(app, plan)
    with app.sessions.begin() as session:
        decide_and_queue(session, app.now(), app.today(), zone=app.settings.tz)
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(SmtpSettings.from_url(smtp.url))).run())
    [message] = smtp.to(KIM)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"(http://127\.0\.0\.1:\d+/rapport/[A-Za-z0-9_-]+)", body.get_content())
    assert found, body.get_content()
    return app, found.group(1)


def phone(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="sv-SE")
    return context.new_page()


@pytest.mark.browser
def test_owner_answers_a_reminder_on_a_phone(tmp_path: Path, server: WebServer,
                                             smtp_server: SmtpServer) -> None:
    app, link = reminder_link(tmp_path, server, smtp_server)
    server.start()
    with chromium() as browser:
        answer_on_a_phone(phone(browser), app, link)


def answer_on_a_phone(page: Page, app: App, link: str) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapportera status")
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-form.png"))
    page.screenshot(path=str(ARTIFACTS / "report-form-full.png"), full_page=True)

    activity = page.get_by_role("group", name="Aktivitet 1.1", exact=True)
    activity.get_by_label("Status").select_option(label="pågår")
    activity.get_by_label("Hur långt har ni kommit? (0–100 %)").fill("140")
    activity.get_by_label("Kommentar").fill(f"Utkast klart {EVIL}")
    page.get_by_role("button", name="Skicka rapporterna").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    page.screenshot(path=str(ARTIFACTS / "report-form-error.png"), full_page=True)
    summary.get_by_role("link").first.click()  # the summary leads to the field
    progress = page.get_by_role("group", name="Aktivitet 1.1", exact=True).get_by_label(
        "Hur långt har ni kommit? (0–100 %)")
    expect(progress).to_be_focused()
    expect(progress).to_have_attribute("aria-invalid", "true")
    progress.fill("40")
    page.get_by_role("button", name="Skicka rapporterna").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tack! Rapporterna är sparade")
    page.screenshot(path=str(ARTIFACTS / "report-saved.png"))
    with app.sessions() as session:
        saved = session.scalars(select(t.StatusReport)).all()
        assert [(r.status, r.progress, r.comment, r.channel, r.reporter_email) for r in saved] == [
            ("in_progress", 40, f"Utkast klart {EVIL}", "web", KIM)]
    app.close()

    page.get_by_role("link", name="Tillbaka till dina aktiviteter").click()
    page.get_by_role("link", name="Visa historik – Aktivitet 1.1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Historik: Aktivitet 1.1")
    expect(page.locator("ol.history").first).to_contain_text(f"Utkast klart {EVIL}")
    expect(page.locator("ol.history").first).to_contain_text("pågår, 40 %")
    page.screenshot(path=str(ARTIFACTS / "report-history.png"), full_page=True)
    assert dialogs == []  # the comment's script never ran
