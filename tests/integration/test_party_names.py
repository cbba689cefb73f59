"""A plan's own names of the parties (`party_names`: "Regionen 1.1" rather
than "Kommunen 1.1") in everything made about that one plan: the public page,
its JSON, CSV and Atom feed, the coordinator's tables and dashboard, the
dialogue meeting's agenda and the annual report. A page over several plans
keeps the common words in its headings; an annual report stored before
snapshots kept the names renders as it did. The Följby plan, real SQLite
through the migrations, over HTTP where there is a page."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from lokflow.annual_report.html import render_html
from lokflow.annual_report.markdown import render_markdown
from lokflow.annual_report.snapshot import compile_snapshot
from lokflow.annual_report.xlsx import render_xlsx
from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FixedClock
from tests.support.follow_up import (
    FRIDA,
    KIM,
    PLAN,
    coordinator_login,
    load_plan,
    report,
    text_of,
    write_plan,
)
from tests.support.pdf_structure import normalized, tag_tree
from tests.support.reporting import hidden

START = datetime(2024, 11, 14, 9, 0, tzinfo=UTC)
ANNUAL = '  annual_date: "11-15"\n'
MEETINGS = '  dialogue_meetings:\n    per_year: 2\n    dates: ["03-18", "11-20"]\n'
OWN_NAMES = "party_names:\n  municipality: Regionen\n  civil_society: Idéburna\n"
MEETING = "/samordnare/planer/foljby/moten/2024-11-20"
OWN = ("Regionen 1.1", "Idéburna 1.1")
COMMON = ("Kommunen 1.1", "Civilsamhället 1.1")


def own_names_only(text: str) -> None:
    for label in OWN:
        assert label in text, label
    for label in COMMON:
        assert label not in text, label


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    """Följby with its own names of the parties and a meeting day; both
    parties' first activities reported delayed (a change in the feed, an item
    on the agenda)."""
    text = PLAN.read_text(encoding="utf-8")
    assert ANNUAL in text
    path = write_plan(tmp_path / "plans", text.replace(ANNUAL, ANNUAL + MEETINGS) + OWN_NAMES)
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=path.parent,
                             _env_file=None), clock=FixedClock(START))
    load_plan(app, path)
    report(app, "kommun-1.1", "delayed", email=KIM)
    report(app, "civil-1.1", "delayed", email=FRIDA)
    with TestClient(create_app(app), follow_redirects=False) as client:
        yield app, client
    app.close()


def test_the_public_page_and_its_open_data_use_the_plans_names(
        site: tuple[App, TestClient]) -> None:
    _, client = site
    page = client.get("/insyn/foljby")
    assert page.status_code == 200
    own_names_only(page.text)
    data = client.get("/insyn/foljby.json").json()
    labels = [a["label"] for c in data["commitments"] for a in c["activities"]]
    assert {"Regionen 1.1", "Idéburna 1.1", "Gemensamt 1.1"} <= set(labels)
    assert {c["party_label"] for c in data["commitments"]} == {
        "Regionen", "Idéburna", "Gemensamt"}
    own_names_only(client.get("/insyn/foljby.csv").content.decode("utf-8-sig"))
    own_names_only(client.get("/insyn/foljby.atom").text)


def test_the_coordinators_tables_and_dashboard_use_the_plans_names(
        site: tuple[App, TestClient]) -> None:
    app, client = site
    coordinator_login(app, client)
    table = client.get("/samordnare/planer/foljby/aktiviteter")
    assert table.status_code == 200
    own_names_only(text_of(table.text))
    own_names_only(client.get("/samordnare/planer/foljby/aktiviteter.csv")
                   .content.decode("utf-8-sig"))
    book = load_workbook(io.BytesIO(
        client.get("/samordnare/planer/foljby/aktiviteter.xlsx").content))
    own_names_only(" ".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                            for cell in row if cell.value is not None))
    # every plan's lines (a table over several plans) still name each by its own plan
    own_names_only(text_of(client.get("/samordnare/aktiviteter").text))
    dashboard = text_of(client.get("/samordnare/planer/foljby").text)
    assert "Regionen" in dashboard and "Idéburna" in dashboard  # statuses per party
    assert "Kommunen" not in dashboard and "Civilsamhället" not in dashboard
    activity = text_of(client.get("/samordnare/planer/foljby/aktivitet/kommun-1.1").text)
    assert "Regionen 1.1" in activity and "Kommunen 1.1" not in activity


def test_the_coordinators_activity_pages_name_it_by_the_plans_names(
        site: tuple[App, TestClient]) -> None:
    app, client = site
    coordinator_login(app, client)
    for key, own, common in (("kommun-1.1", *OWN[:1], *COMMON[:1]),
                             ("civil-1.1", *OWN[1:], *COMMON[1:])):
        for page in ("paminn", "rapport"):  # remind now; report on someone's behalf
            response = client.get(f"/samordnare/planer/foljby/aktivitet/{key}/{page}")
            assert response.status_code == 200, (key, page)
            heading = text_of(response.text[response.text.index("<h1"):
                                            response.text.index("</h1>")])
            assert own in heading and common not in heading, (key, page, heading)
    remind = "/samordnare/planer/foljby/aktivitet/kommun-1.1/paminn"
    preview = client.get(remind).text
    sent = client.post(remind, data={"csrf": hidden(preview, "csrf"),
                                     "action": hidden(preview, "action")})
    assert sent.status_code == 303
    log = text_of(client.get("/samordnare/planer/foljby/utskick").text)  # the sent log
    assert OWN[0] in log and COMMON[0] not in log
    export = client.get("/samordnare/planer/foljby/utskick.csv").content.decode("utf-8-sig")
    assert OWN[0] in export and COMMON[0] not in export


def test_the_meeting_agenda_uses_the_plans_names(site: tuple[App, TestClient],
                                                 tmp_path: Path) -> None:
    app, client = site
    coordinator_login(app, client)
    page = client.get(MEETING).text
    made = client.post(MEETING + "/dagordning", data={"csrf": hidden(page, "csrf")})
    assert made.status_code == 303
    own_names_only(text_of(client.get(MEETING).text))
    pdf = client.get(MEETING + "/dagordning.pdf")
    assert pdf.status_code == 200
    (tmp_path / "agenda.pdf").write_bytes(pdf.content)
    reading = normalized(tag_tree(tmp_path / "agenda.pdf").text())
    for label, common in zip(OWN, COMMON, strict=True):
        assert normalized(label) in reading and normalized(common) not in reading


def snapshot_of(app: App) -> dict[str, object]:
    with app.sessions() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "foljby")).one()
        return compile_snapshot(session, plan, 2024, app.now(), app.now(), app.settings.tz)


def test_the_annual_report_uses_the_names_the_plan_had_when_it_was_taken(
        site: tuple[App, TestClient]) -> None:
    app, _ = site
    snapshot = snapshot_of(app)
    assert snapshot["party_names"] == {"municipality": "Regionen",
                                       "civil_society": "Idéburna", "joint": None}
    html = render_html(snapshot, "sv")
    own_names_only(html)
    assert '<span class="party">Regionen</span>' in html  # the commitment's party
    markdown = render_markdown(snapshot, "sv")
    own_names_only(markdown)
    assert "(Idéburna)" in markdown and "(Civilsamhället)" not in markdown
    book = load_workbook(io.BytesIO(render_xlsx(snapshot, "sv")))
    cells = [str(cell.value) for sheet in book for row in sheet.iter_rows()
             for cell in row if cell.value is not None]
    own_names_only(" ".join(cells))
    assert "Regionen" in cells and "Kommunen" not in cells  # the party column and headings


def test_an_older_snapshot_without_the_names_renders_with_the_common_words(
        site: tuple[App, TestClient]) -> None:
    app, _ = site
    stored = copy.deepcopy(snapshot_of(app))
    del stored["party_names"]  # as snapshots were stored before they kept the names
    stored = json.loads(json.dumps(stored))
    for text in (render_html(stored, "sv"), render_markdown(stored, "sv")):
        for label in COMMON:
            assert label in text, label
        assert "Regionen" not in text and "Idéburna" not in text
