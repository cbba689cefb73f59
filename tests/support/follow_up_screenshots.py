"""Screenshots of the follow-up pages for README (issue 17), with Debian's
chromium: Västerås's real plan, made public, with both parties' assessors,
over the made-up history the annual-report tests use.

    PYTHONPATH=. python -m tests.support.follow_up_screenshots docs/screenshots

Writes public-page-1366.png, public-page-390.png, public-page-390-activity.png,
assessment-form-390.png, assessment-form-390-fields.png, committee-page-1366.png,
annual-report-decision.png and annual-report-assessments.png (the annual report's PDF
pages with the proposed decision and with both assessments, by pdftoppm)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.annual_report.archive import compile_and_store
from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.domain.statuses import Status
from lokflow.reporting.assessment_access import issue_assessment_link
from lokflow.reporting.committee_notes import Notes, save_notes, set_published
from lokflow.reporting.report_input import ReportInput
from lokflow.reporting.status_reports import record_report
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS
from tests.e2e.test_owner_reports_browser import chromium
from tests.support.follow_up import fill
from tests.support.report_history import seed_history
from tests.support.reporting import coordinator, load
from tests.support.web_server import WebServer

STAD = "lok-samordnare-stad@vasteras.example.org"
FORENINGSRAD = "civilsamhallet@vasteras.example.org"
FOLLOW_UP = datetime(2024, 11, 29, 10, 0, tzinfo=UTC)


def plan_file(folder: Path) -> Path:
    text = (PLANS / "vasteras.yaml").read_text(encoding="utf-8")
    text = text.replace("    kind: collective\n    note: Civilsamhällets organisationer",
                        "    kind: collective\n    party: civil_society\n"
                        "    note: Civilsamhällets organisationer")
    text = text.replace('follow_up:\n  annual_date: "11-30"\n',
                        'follow_up:\n  annual_date: "11-30"\n  assessors:\n'
                        f"    municipality: [{STAD}]\n    civil_society: [{FORENINGSRAD}]\n")
    path = folder / "vasteras.yaml"
    path.write_text(text + "\npublic: true\n", encoding="utf-8")
    return path


def history(app: App, clock: FixedClock) -> int:
    """The seeded years, a joint activity waiting, both assessments, the
    coordinator's notes, and the compiled report, published."""
    seed_history(app, clock, slugs=("vasteras",))
    clock.at = FOLLOW_UP
    with app.sessions.begin() as session:
        joint = session.scalars(select(t.Activity).where(t.Activity.key == "oppenhet-g1")).one()
        record_report(session, joint, ReportInput(
            status=Status.DONE, reporter_name="LÖK-samordnare, Stadsledningskontoret",
            reporter_email=STAD, channel="web"), clock.at, clock.at.date())
    with TestClient(create_app(app), follow_redirects=False) as client:
        for email, party, fields in (
                (STAD, "municipality", {
                    "helhet-scale": "3", "helhet-text": (
                        "Samverkan har blivit en del av det ordinarie arbetet. Stödet till "
                        "mindre föreningar behöver bli enklare att söka."),
                    "p-dialog-och-samverkan-scale": "4", "p-dialog-och-samverkan-text":
                        "Samverkansgruppen har träffats sex gånger.",
                    "p-oppenhet-och-tillganglighet-scale": "3"}),
                (FORENINGSRAD, "civil_society", {
                    "helhet-scale": "2", "helhet-text": (
                        "Dialogen är god, men besluten om lokaler dröjer och drabbar "
                        "föreningarna."),
                    "p-dialog-och-samverkan-scale": "3", "p-oppenhet-och-tillganglighet-text":
                        "Informationen finns men är svår att hitta för nya föreningar."})):
            with app.sessions.begin() as session:
                plan = session.scalars(select(t.Plan)).one()
                url = issue_assessment_link(session, app.settings, plan, email, party, 2024,
                                            clock.at)
            fill(client, url.removeprefix(app.settings.base_url), fields)
    with app.sessions.begin() as session:
        plan = session.scalars(select(t.Plan)).one()
        save_notes(session, plan.id, 2024, Notes(
            summary=("Handlingsplanens sista år. De flesta aktiviteterna är genomförda eller "
                     "pågår, och en ny handlingsplan för 2025–2027 tas fram tillsammans."),
            highlights="Samverkansgruppen träffades sex gånger\nNy bidragsguide på webben",
            proposed_decision="Kommunstyrelsen godkänner uppföljningen och lägger den till "
                              "handlingarna.", case_number="KS 2024/00123"),
                   "Samordnaren", clock.at)
        report = compile_and_store(session, "vasteras", 2024, FOLLOW_UP,
                                   zone=app.settings.tz, as_of=FOLLOW_UP)
        session.flush()
        set_published(session, plan.id, report.id, True, "Samordnaren", clock.at)
        return report.id


def pdf_page(app: App, report_id: int, out: Path) -> None:
    with app.sessions() as session:
        pdf = session.get_one(t.AnnualReport, report_id).pdf or b""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "report.pdf"
        path.write_bytes(pdf)
        pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        number = next(n for n, text in enumerate(pages, 1)
                      if "Parternas egna bedömningar" in text and "Bedöms" in text)
        subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-png", "-r", "90",
                        "-singlefile", str(path), str(out / "annual-report-assessments")],
                       check=True)
        subprocess.run(["pdftoppm", "-f", "2", "-l", "2", "-png", "-r", "90", "-singlefile",
                        str(path), str(out / "annual-report-decision")], check=True)


def shoot(server: WebServer, link: str, out: Path) -> None:
    base = server.base_url
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1366, "height": 1000}).new_page()
        page.goto(f"{base}/insyn/vasteras")
        page.screenshot(path=str(out / "public-page-1366.png"))
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True, device_scale_factor=2).new_page()
        phone.goto(f"{base}/insyn/vasteras")
        phone.locator("#progress").scroll_into_view_if_needed()
        phone.screenshot(path=str(out / "public-page-390.png"))
        phone.locator("#a-oppenhet-g1").scroll_into_view_if_needed()
        phone.screenshot(path=str(out / "public-page-390-activity.png"))
        phone.goto(base + link)
        phone.screenshot(path=str(out / "assessment-form-390.png"))
        phone.locator("fieldset.assessment").first.scroll_into_view_if_needed()
        phone.evaluate("window.scrollBy(0, -8)")
        phone.screenshot(path=str(out / "assessment-form-390-fields.png"))
        desk = browser.new_context(viewport={"width": 1366, "height": 1100}).new_page()
        desk.goto(f"{base}/samordnare/logga-in")
        desk.get_by_label("Användarnamn").fill("anna")
        desk.get_by_label("Lösenord").fill("ett-langt-losenord")
        desk.get_by_role("button", name="Logga in").click()
        desk.goto(f"{base}/samordnare/planer/vasteras/arsrapport?year=2024")
        desk.screenshot(path=str(out / "committee-page-1366.png"), full_page=True)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        server = WebServer(folder / "home")
        clock = FixedClock(datetime(2017, 1, 2, tzinfo=UTC))
        app = bootstrap(Settings(home=server.home, base_url=server.base_url, plans_dir=PLANS,
                                 _env_file=None), clock=clock)
        load(app, plan_file(folder))
        report_id = history(app, clock)
        pdf_page(app, report_id, out)
        coordinator(app, "anna", "vasteras")
        app.clock = lambda: datetime.now(UTC)  # the server's links live on the real clock
        with app.sessions.begin() as session:
            plan = session.scalars(select(t.Plan)).one()
            link = issue_assessment_link(session, app.settings, plan, FORENINGSRAD,
                                         "civil_society", 2024, app.now())
        app.close()
        server.start()
        try:
            shoot(server, link.removeprefix(server.base_url), out)
        finally:
            server.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
