"""Recording a dialogue meeting in Debian's chromium on a real web server
(uvicorn, a child process stopped by PID), issue 17 part two: the
coordinator makes and sends the agenda, writes the minutes and records an
action point, on a desktop and on a phone with JavaScript off; every state
is axe-core clean and nothing scrolls sideways; the decision is a plan
revision and the minutes reach the public page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lokflow.agreement.meeting_cycle import plan_document
from lokflow.bootstrap import bootstrap
from lokflow.domain.meetings import meeting_days
from lokflow.plans.revisions import head_revision
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS
from tests.e2e.test_follow_up_browser import clean, logged_in
from tests.e2e.test_owner_reports_browser import chromium
from tests.support.follow_up import KIM, load_plan, plan_text, report, write_plan
from tests.support.reporting import coordinator
from tests.support.web_server import WebServer

EVIL = "<script>alert(1)</script>"
WITH_MEETINGS = {'  annual_date: "11-15"\n': '  annual_date: "11-15"\n  dialogue_meetings:\n'
                 '    per_year: 2\n    location: Stadshuset, sal 2\n'}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[WebServer, str]]:
    """Följby with two meetings a year, a delayed activity; the real clock."""
    server = WebServer(tmp_path / "home")
    app = bootstrap(Settings(home=server.home, base_url=server.base_url, plans_dir=PLANS,
                             _env_file=None))
    load_plan(app, write_plan(tmp_path / "plans", plan_text(**WITH_MEETINGS)))
    report(app, "kommun-1.1", "delayed", email=KIM, comment=EVIL)
    coordinator(app, "sara", "foljby")
    with app.read() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "foljby")).one()
        days = meeting_days(plan_document(plan), date(2023, 1, 1), date(2026, 12, 31))
    today = datetime.now(UTC).date()
    day = min((m.day for m in days), key=lambda d: abs((d - today).days))
    app.close()
    server.start()
    yield server, day.isoformat()
    server.stop()


@pytest.mark.browser
@pytest.mark.parametrize(("width", "javascript"), [(1366, True), (390, False)])
def test_recording_minutes_and_decisions(site: tuple[WebServer, str], width: int,
                                         javascript: bool) -> None:
    server, day = site
    with chromium() as browser:
        page = logged_in(browser, server.base_url, width, javascript=javascript)
        page.goto(f"{server.base_url}/samordnare/planer/foljby/moten")
        clean(page, None if javascript else browser)
        page.get_by_role("link", name=day).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Dialogmöte {day}")
        page.get_by_role("button", name="Gör dagordningen och skicka den").click()
        expect(page.get_by_role("status")).to_contain_text("Dagordningen är gjord")
        expect(page.get_by_text("senaste status: försenad")).to_be_visible()
        assert EVIL not in page.content()
        clean(page, None if javascript else browser)
        page.get_by_label("Mötets protokoll").fill(f"Parterna gick igenom läget. {EVIL}")
        page.get_by_role("button", name="Spara protokollet").click()
        expect(page.get_by_role("status")).to_have_text("Protokollet är sparat.")
        page.get_by_label("Vad beslutades?").select_option("action")
        page.get_by_label("Åtagande", exact=True).select_option("k1")
        page.get_by_label("Ansvarig", exact=True).select_option("kultur")
        page.get_by_label("Datum", exact=True).fill(f"{day[:4]}-12-15")
        page.get_by_label("Text", exact=True).fill("Bjud in till en träff om bidragsguiden.")
        page.get_by_role("button", name="Spara beslutet").click()
        expect(page.get_by_role("status")).to_have_text("Beslutet är sparat och planen ändrad.")
        expect(page.get_by_text("Åtgärdspunkt: Bjud in till en träff om bidragsguiden."
                                )).to_be_visible()
        clean(page, None if javascript else browser)
        page.goto(f"{server.base_url}/insyn/foljby")
        expect(page.get_by_text(f"Parterna gick igenom läget. {EVIL}")).to_be_visible()
        clean(page, None if javascript else browser)
    app = bootstrap(Settings(home=server.home, plans_dir=PLANS, _env_file=None))
    try:
        with app.read() as session:
            plan = session.scalars(select(t.Plan).where(t.Plan.slug == "foljby")).one()
            head = head_revision(session, plan.id)
            assert head is not None and head.source == "meeting"
            keys = [a.id for _, a in plan_document(plan).activities()]
            assert f"mote-{day}-1" in keys
    finally:
        app.close()


@pytest.mark.browser
def test_the_renegotiation_page_is_accessible(site: tuple[WebServer, str]) -> None:
    server, _ = site
    with chromium() as browser:
        page = logged_in(browser, server.base_url, 1366)
        page.goto(f"{server.base_url}/samordnare/planer/foljby/omforhandla")
        expect(page.get_by_role("heading", level=1)).to_have_text("Omförhandla LÖK Följby")
        clean(page)
        page.get_by_label("Första året").fill("2027")
        page.get_by_role("button", name="Förhandsgranska ändringarna").click()
        expect(page.get_by_role("heading", level=2, name="Ändringar i foljby-2027")
               ).to_be_visible()
        clean(page)
