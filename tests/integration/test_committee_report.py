"""The committee's document (issue 17): the coordinator writes the summary,
highlights, proposed decision and case number on a page of their own before
compiling; the annual report carries them and both parties' assessments in
HTML, PDF, Markdown and XLSX, and the PDF stays tagged PDF/UA-1 saying what
the HTML says. A stored report can be published on the plan's public page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from lokflow.annual_report.archive import compile_and_store, rebuild
from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, PLANS, FixedClock
from tests.support.follow_up import (
    JOINT,
    KIM,
    KS,
    RUT,
    assessment_path,
    coordinator_login,
    fill,
    load_plan,
    report,
)
from tests.support.pdf_structure import (
    html_content,
    normalized,
    pdf_metadata,
    pdfinfo,
    struct_attributes,
    tag_tree,
)
from tests.support.reporting import hidden, load

START = datetime(2024, 11, 14, 9, 0, tzinfo=UTC)
PAGE = "/samordnare/planer/foljby/arsrapport"
NOTES = {"year": "2024", "case_number": "KS 2024/123",
         "proposed_decision": "Nämnden godkänner uppföljningen.\n\nOch lägger den till "
                              "handlingarna.",
         "summary": "Ett år av <b>dialog</b>.\nFler träffar än förr.",
         "highlights": "Bidragsguiden klar\n\n#read(\"/etc/passwd\") som höjdpunkt"}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None), clock=FixedClock(START))
    load_plan(app)
    load(app, FIXTURES / "minimal.yaml")  # another municipality's plan
    with TestClient(create_app(app), follow_redirects=False) as client:
        yield app, client
    app.close()


def save_notes(client: TestClient, **changes: str) -> tuple[int, str]:
    """Post the notes; the status, and where the answer redirects."""
    csrf = hidden(client.get(PAGE + "?year=2024").text, "csrf")
    answer = client.post(PAGE, data={**NOTES, "csrf": csrf, **changes})
    return answer.status_code, answer.headers.get("location", "")


def notes_rows(app: App) -> list[t.CommitteeNotes]:
    with app.sessions() as session:
        return list(session.scalars(select(t.CommitteeNotes)))


def test_the_page_needs_a_login_and_its_own_municipality(site: tuple[App, TestClient]) -> None:
    app, client = site
    answer = client.get(PAGE)
    assert answer.status_code == 303 and "/samordnare/logga-in" in answer.headers["location"]
    coordinator_login(app, client, organisation="testby", username="tina")
    assert client.get(PAGE).status_code == 404  # another municipality's plan: as if none
    assert client.get("/samordnare/planer/testby/arsrapport").status_code == 200


def test_notes_are_saved_with_csrf_and_checked(site: tuple[App, TestClient]) -> None:
    app, client = site
    coordinator_login(app, client)
    page = client.get(PAGE + "?year=2024").text
    assert 'aria-current="page">Nämndens underlag</a>' in page and "Till nämnden" in page
    assert client.post(PAGE, data={**NOTES, "csrf": "1.abc"}).status_code == 403
    answer = client.post(PAGE, data={**NOTES, "case_number": "KS\n2024",
                                     "csrf": hidden(page, "csrf")})
    assert answer.status_code == 422 and "en rad på högst 100 tecken" in answer.text
    assert "Ett år av &lt;b&gt;dialog&lt;/b&gt;" in answer.text  # what was typed stays, as text
    assert notes_rows(app) == []
    status, location = save_notes(client)
    assert status == 303 and location == PAGE + "?year=2024&sparat=1"
    shown = client.get(location).text
    assert "Sparat." in shown and 'value="KS 2024/123"' in shown
    assert save_notes(client, summary="Omskriven.")[0] == 303
    [row] = notes_rows(app)
    assert (row.summary, row.case_number, row.updated_by) == (
        "Omskriven.", "KS 2024/123", "Sara Samordnare")


def compiled(app: App, client: TestClient) -> t.AnnualReport:
    """Notes, both parties' assessments and a joint activity waiting, compiled."""
    coordinator_login(app, client)
    assert save_notes(client)[0] == 303
    fill(client, assessment_path(app, KS, "municipality"),
         {"helhet-scale": "3", "helhet-text": "Dialogen fungerar.\nMen stödet dröjer.",
          "p-dialog-scale": "4"})
    fill(client, assessment_path(app, RUT, "civil_society"),
         {"helhet-scale": "2", "p-oppenhet-text": "Svårt att hitta information."})
    report(app, JOINT, "done", email=KIM)
    with app.sessions.begin() as session:
        report_id = compile_and_store(session, "foljby", 2024, app.now(),
                                      zone=app.settings.tz).id
    with app.sessions() as session:
        found = session.get_one(t.AnnualReport, report_id)
        session.expunge(found)
        return found


def test_the_report_carries_the_committees_part_in_every_format(
        site: tuple[App, TestClient]) -> None:
    app, client = site
    found = compiled(app, client)
    snapshot = found.snapshot
    assert snapshot["committee"] == {
        "summary": "Ett år av <b>dialog</b>.\nFler träffar än förr.",
        "highlights": ["Bidragsguiden klar", "#read(\"/etc/passwd\") som höjdpunkt"],
        "proposed_decision": "Nämnden godkänner uppföljningen.\n\nOch lägger den till "
                             "handlingarna.", "case_number": "KS 2024/123"}
    parties = snapshot["assessments"]["parties"]
    assert parties["municipality"]["targets"][""]["scale"] == 3
    assert parties["civil_society"]["targets"]["oppenhet"]["text"] == (
        "Svårt att hitta information.")
    html = rebuild(found, "html").decode()
    order = [html.index(x) for x in ("Diarienummer", 'id="decision"',
                                     'id="coordinator-summary"', "Höjdpunkter under året",
                                     'id="summary"', 'id="assessments"', 'id="activities"')]
    assert order == sorted(order)
    assert "Ett år av &lt;b&gt;dialog&lt;/b&gt;." in html and "<b>dialog</b>" not in html
    assert "Kommunen 1.1" in html and "Gemensamt 1.1" in html  # labels, not ids
    assert "Klar enligt kommunen, väntar på civilsamhället." in html
    markdown = rebuild(found, "md").decode()
    assert "## Förslag till beslut" in markdown and "| Diarienummer | KS 2024/123 |" in markdown
    assert "&lt;b&gt;dialog&lt;/b&gt;" in markdown and "- Bidragsguiden klar" in markdown
    summary = load_workbook(io.BytesIO(rebuild(found, "xlsx"))).worksheets[1]
    cells = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row}
    assert cells["Diarienummer"] == "KS 2024/123"
    assert cells["Höjdpunkter under året"] == ("Bidragsguiden klar\n#read(\"/etc/passwd\") "
                                                "som höjdpunkt")


def test_the_pdf_stays_pdf_ua_and_says_what_the_html_says(
        site: tuple[App, TestClient], tmp_path: Path) -> None:
    app, client = site
    found = compiled(app, client)
    html = rebuild(found, "html").decode()
    path = tmp_path / "report.pdf"
    path.write_bytes(found.pdf or b"")
    info = pdfinfo(path)
    assert info["Tagged"] == "yes"
    meta = pdf_metadata(path)
    assert meta["ua_part"] == "1" and meta["lang"] == "sv" and meta["pdfa"] == ("2", "A")
    page = html_content(html)
    elements = struct_attributes(path)
    headings = [(e["S"], " ".join(e.get("T", "").split())) for e in elements
                if e["S"] in ("H1", "H2", "H3", "H4", "H5", "H6")]
    assert headings == page.headings
    for wanted in ("Förslag till beslut", "Samordnarens sammanfattning",
                   "Parternas egna bedömningar"):
        assert ("H2", wanted) in headings
    assert meta["bookmarks"] == len(headings) - 2
    tree = tag_tree(path)
    tables = [e for e in tree.walk() if e.kind == "Table"]
    assert len(tables) == page.tables
    for table in tables[1:]:
        header = [e for e in table.walk() if e.kind == "TH"]
        assert header and all("/Scope /Column" in e.attributes for e in header)
    reading = normalized(tree.text(skip=("Figure",)))
    position = 0
    for node in page.nodes:  # every text of the HTML, in the same order
        at = reading.find(normalized(node), position)
        assert at >= 0, f"{node!r} missing after {reading[max(0, position - 80):position]!r}"
        position = at + len(normalized(node))
    extra = set(reading.split()) - set(normalized(" ".join(page.nodes)).split())
    assert {word for word in extra if not word.isdigit()} <= {"•"}, extra


def test_a_stored_report_is_published_on_the_public_page(site: tuple[App, TestClient]) -> None:
    app, client = site
    found = compiled(app, client)
    pdf_path = f"/insyn/foljby/arsrapport-{found.id}.pdf"
    assert client.get(pdf_path).status_code == 404  # not published yet
    page = client.get(PAGE + "?year=2024").text
    assert f"Nr {found.id}" in page and "Publicera på den öppna sidan" in page
    form = {"csrf": hidden(page, "csrf"), "year": "2024", "report": str(found.id),
            "action": "publish"}
    assert client.post(PAGE + "/publicera", data={**form, "csrf": "x"}).status_code == 403
    assert client.post(PAGE + "/publicera", data=form).status_code == 303
    assert "Publicerad på den öppna sidan" in client.get(PAGE + "?year=2024").text
    public = client.get("/insyn/foljby").text
    assert f'href="/insyn/foljby/arsrapport-{found.id}.pdf"' in public
    download = client.get(pdf_path)
    assert download.status_code == 200 and download.content == found.pdf
    assert download.headers["content-type"] == "application/pdf"
    assert "Årlig uppföljning 2024 publicerad" in client.get("/insyn/foljby.atom").text
    other = client.post(PAGE + "/publicera", data={**form, "report": "999999"})
    assert other.status_code == 404
    assert client.post(PAGE + "/publicera", data={**form, "action": "withdraw"}
                       ).status_code == 303
    assert client.get(pdf_path).status_code == 404
    assert "arsrapport-" not in client.get("/insyn/foljby").text
