"""A coordinator edits a plan in Debian's chromium against the real web server
(uvicorn, a child process): logs in, changes a contact, adds an activity
whose timeline is checked while it is typed, sees the version and its
changes, restores the earlier version, imports a workbook through the
preview, and meets a second coordinator's save as a conflict. The pages are
photographed at 1366 px for the README (docs/screenshots)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lokflow.access.accounts import add_user
from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.plans.plan_files import read_plans
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS
from tests.e2e.test_owner_reports_browser import chromium
from tests.support.reporting import PASSWORD, load
from tests.support.seed_tables import as_xlsx, seed_tables
from tests.support.web_server import WebServer

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EVIL = "<script>alert(1)</script>"
# As a coordinator writes it (the timeline grammar: autumn is August to December).
AUTUMN = "Under hösten 2026"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WebServer]:
    web = WebServer(tmp_path / "home")
    yield web
    web.stop()


def prepared(server: WebServer) -> App:
    settings = Settings(home=server.home, plans_dir=PLANS, base_url=server.base_url,
                        _env_file=None)
    app = bootstrap(settings, clock=FixedClock(datetime.now(UTC)))
    load(app, PLANS / "tierp.yaml")
    with app.sessions.begin() as session:
        add_user(session, "anna", PASSWORD, "Anna Samordnare", "tierp", app.now())
        add_user(session, "bo", PASSWORD, "Bo Samordnare", "tierp", app.now())
    return app


def desktop(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.on("dialog", lambda dialog: (_ for _ in ()).throw(AssertionError(dialog.message)))
    return page


def log_in(page: Page, server: WebServer, username: str = "anna") -> None:
    page.goto(server.base_url + "/samordnare/planer/tierp/redigera")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera LÖK Tierp")


def contacts(app: App) -> list[tuple[str, str]]:
    with app.sessions() as session:
        return sorted((c.name, c.email) for c in session.scalars(select(t.Contact).where(
            t.Contact.unit_key == "kommun", t.Contact.kind == "contact",
            t.Contact.archived.is_(False))))


@pytest.mark.browser
def test_a_coordinator_edits_a_plan_in_the_browser(server: WebServer, tmp_path: Path) -> None:
    app = prepared(server)
    server.start()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = desktop(browser)
        log_in(page, server)
        page.screenshot(path=str(SHOTS / "plan-editor.png"))
        edit_a_contact(page, app)
        add_an_activity(page, app)
        restore(page, app)
        import_a_workbook(page, tmp_path)
        conflict(browser, server, page)


def edit_a_contact(page: Page, app: App) -> None:
    page.get_by_role("link", name="Ändra Tierps kommun").click()
    first = page.get_by_role("group", name="Nr 1", exact=True).first
    first.get_by_label("Namn").fill(f"Lo Nyström {EVIL}")
    first.get_by_label("E-post").fill("lo.nystrom@tierp.example.org")
    page.get_by_label("Varför ändras planen?").fill("Ny kontaktperson efter omorganisation")
    page.get_by_role("button", name="Spara ändringen").click()
    expect(page.get_by_role("status")).to_contain_text("Ändringen är sparad som version 2")
    expect(page.get_by_role("table")).to_contain_text("lo.nystrom@tierp.example.org")
    expect(page.get_by_role("table")).to_contain_text(EVIL)  # shown as text, never run
    page.screenshot(path=str(SHOTS / "plan-revision.png"), full_page=True)
    assert (f"Lo Nyström {EVIL}", "lo.nystrom@tierp.example.org") in contacts(app)


def add_an_activity(page: Page, app: App) -> None:
    page.get_by_role("link", name="Redigera planen").click()
    page.get_by_role("link", name="Lägg till aktivitet Åtagande kommun-1").click()
    page.get_by_label("Id", exact=True).fill("kommun-1.9")
    page.get_by_label("Text", exact=True).fill("Föreningsträff om höstens bidrag")
    page.get_by_role("group", name="Ansvariga").get_by_label("Tierps kommun").check()
    timeline = page.get_by_label("Tidsplan", exact=True)
    timeline.fill("Någon gång")
    result = page.locator("#timeline-result")
    expect(result).to_contain_text("Tidsplanen går inte att tolka")  # live, by the script
    timeline.fill(AUTUMN)
    expect(result).to_contain_text("Tidsplanen tolkas som: genomförs under en period")
    page.get_by_label("Varför ändras planen?").fill("Beslut i samverkansrådet")
    page.evaluate("window.scrollTo(0, document.getElementById('f-timeline')"
                  ".getBoundingClientRect().top + window.scrollY - 420)")
    page.screenshot(path=str(SHOTS / "plan-editor-activity.png"))
    page.get_by_role("button", name="Spara ändringen").click()
    expect(page.get_by_role("status")).to_contain_text("version 3")
    expect(page.get_by_role("main")).to_contain_text("Kommande utskick som ändras")
    with app.sessions() as session:
        row = session.scalars(select(t.Activity).where(t.Activity.key == "kommun-1.9")).one()
        assert (row.timeline, row.schedule["kind"]) == (AUTUMN, "window")


def restore(page: Page, app: App) -> None:
    page.goto(page.url.split("/historik")[0] + "/historik/1")
    page.get_by_label("Varför ändras planen?").fill("Tillbaka till planen som antogs")
    page.get_by_role("button", name="Återställ version 1").click()
    expect(page.get_by_role("status")).to_contain_text("version 4")
    expect(page.get_by_role("main")).to_contain_text("Återställer version 1")
    assert contacts(app) == [("Samordnare för civilsamhällesfrågor",
                              "lok-samordnare@tierp.example.org")]


def import_a_workbook(page: Page, tmp_path: Path) -> None:
    tierp = next(p.document for p in read_plans([PLANS])[0] if p.document.slug == "tierp")
    tables = seed_tables(tierp)
    tables[0][1][2][3] = "2027"  # kommun-1.1 moves
    tables[0][1].append(["5.3", "Ny aktivitet från Excel", "Kulturförvaltningen", "2026"])
    path = tmp_path / "aktivitetsplan.xlsx"
    path.write_bytes(as_xlsx(tables))
    page.goto(page.url.split("/historik")[0] + "/import")
    page.get_by_label("Fil").set_input_files(str(path))
    page.get_by_role("button", name="Läs filen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Förhandsgranska importen")
    page.get_by_label("Kulturförvaltningen").select_option(label="Tierps kommun")
    page.get_by_role("button", name="Uppdatera förhandsgranskningen").click()
    expect(page.get_by_role("main")).to_contain_text("Nytt (1)")
    expect(page.get_by_role("main")).to_contain_text("”Kulturförvaltningen” → Tierps kommun")
    page.screenshot(path=str(SHOTS / "plan-import-preview.png"), full_page=True)
    page.get_by_label("Varför ändras planen?").fill("Reviderad aktivitetsplan")
    page.get_by_role("button", name="Importera och spara").click()
    expect(page.get_by_role("status")).to_contain_text("version 5")


def conflict(browser: Browser, server: WebServer, first: Page) -> None:
    second = desktop(browser)
    log_in(second, server, "bo")
    unit = server.base_url + "/samordnare/planer/tierp/redigera/ansvarig/foreningarna"
    for page, name in ((first, "Anna Först"), (second, "Bo Sist")):
        page.goto(unit)
        page.get_by_role("group", name="Nr 1", exact=True).first.get_by_label("Namn").fill(name)
        page.get_by_label("Varför ändras planen?").fill("Ny ordförande")
    first.get_by_role("button", name="Spara ändringen").click()
    expect(first.get_by_role("status")).to_contain_text("version 6")
    second.get_by_role("button", name="Spara ändringen").click()
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("Någon annan har ändrat planen")
    expect(alert).to_contain_text("Anna Först")
    expect(alert).to_contain_text("Bo Sist")
    second.screenshot(path=str(SHOTS / "plan-conflict.png"))
