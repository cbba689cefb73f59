"""The coordinator's dashboards and tables over HTTP on a real database: each
number links to the list it counts, overdue shows since when and the
escalation level an email actually reached, tables search, filter and sort,
and the CSV/XLSX exports carry the page's columns and rows."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from lokflow.bootstrap import App
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.domain.statuses import Status
from lokflow.engine.due_run import decide_and_queue
from lokflow.engine.reporting_rounds import open_round
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, FixedClock
from tests.integration.test_coordinator import login, report
from tests.support.reporting import coordinator, load, other_organisation_plan
from tests.support.smtp_server import SmtpServer

MARCH = datetime(2025, 3, 10, 9, tzinfo=UTC)
TABLE = "/samordnare/planer/testby/aktiviteter"


@pytest.fixture
def client(app: App, tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    plan = tmp_path / "testby.yaml"  # a hostile description: exports must keep it text
    plan.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "Uppdatera föreningsregistret.", "=HYPERLINK(\"http://evil.example\") registret"),
        encoding="utf-8")
    load(app, plan, other_organisation_plan(tmp_path))
    clock.at = MARCH
    coordinator(app)
    with TestClient(create_app(app), follow_redirects=False) as web:
        login(web, "anna")
        yield web


def relogin(client: TestClient, username: str = "anna") -> None:
    """Log in again after the clock moved (the old session may have ended)."""
    client.cookies.clear()
    login(client, username)


def shown(page: str) -> int:
    found = re.search(r"(\d+) aktiviteter visas\.", page)
    assert found, page[:2000]
    return int(found.group(1))


def tiles(page: str) -> dict[str, tuple[int, str]]:
    """The dashboard's numbers: name -> (number, link)."""
    found = re.findall(r'<a class="tile tile-(\w+)[^"]*" href="([^"]+)">'
                       r'<span class="tile-number">(\d+)', page)
    return {name: (int(number), html.unescape(href)) for name, href, number in found}


def test_each_number_leads_to_the_list_it_counts(client: TestClient, app: App) -> None:
    report(app, "k-1.2", Status.DELAYED, proposed_date=date(2025, 6, 1),
           proposed_reason="Juryn är inte utsedd")
    with app.sessions.begin() as session:
        plan = session.query(t.Plan).filter_by(slug="testby").one()
        open_round(session, plan, 2025, app.now(), app.today(), recent_days=0)
    page = client.get("/samordnare/planer/testby").text
    found = tiles(page)
    # k-1.1 (2024) and k-1.2 (2023, 2024) are overdue; c-1.1's check-in 1 April is
    # within 30 days; k-1.2's report (as the round opened) answers it, two are missing;
    # one proposal waits.
    assert {k: n for k, (n, _) in found.items()} == {
        "overdue": 2, "soon": 1, "round": 2, "pending": 1}
    for name, (number, link) in found.items():
        assert shown(client.get(link).text) == number, name
    assert "Omgången inför uppföljningen 2025" in page and "1 av 3" in page
    report(app, "k-1.1", Status.IN_PROGRESS)  # the cached lines must see this at once
    again = tiles(client.get("/samordnare/planer/testby").text)
    assert again["round"][0] == 1 and again["overdue"][0] == 2


def test_overdue_shows_since_when_and_the_escalation_that_was_sent(
        client: TestClient, app: App, clock: FixedClock, smtp_server: SmtpServer) -> None:
    clock.at = datetime(2025, 1, 2, 7, tzinfo=UTC)  # the first working day after 2024-12-31
    with app.sessions.begin() as session:
        decide_and_queue(session, app.now(), app.today(), zone=app.settings.tz)
    clock.at = MARCH
    relogin(client)
    queued = client.get("/samordnare/planer/testby/forsenade").text
    assert "nivå 1" not in queued and "ej eskalerad" in queued  # queued is not sent
    clock.at = datetime(2025, 1, 2, 7, 5, tzinfo=UTC)
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(SmtpSettings.from_url(
        smtp_server.url))).run())
    clock.at = MARCH
    relogin(client)
    page = client.get("/samordnare/planer/testby/forsenade").text
    row = page[page.index("bidragsguide"):]
    row = row[:row.index("</tr>")]
    assert '<span class="overdue">2024-12-31</span>' in row and "nivå 1" in row
    dashboard = client.get("/samordnare/planer/testby").text
    assert "eskalerad till nivå 1" in dashboard and "försenad sedan 2024-12-31" in dashboard


def test_search_filters_and_sorting(client: TestClient, app: App) -> None:
    report(app, "k-1.1", Status.IN_PROGRESS, progress=30)
    assert shown(client.get(f"{TABLE}?q=Bidragsguide").text) == 1
    assert shown(client.get(f"{TABLE}?q=kultur priset").text) == 1   # owner name and text
    assert shown(client.get(f"{TABLE}?party=civil_society").text) == 1
    assert shown(client.get(f"{TABLE}?from=2025-03-01&to=2025-04-30").text) == 1
    assert shown(client.get(f"{TABLE}?within=365").text) == 2
    by_due = client.get(f"{TABLE}?sort=due").text
    assert by_due.index("registret") < by_due.index("föreningspriset")
    descending = client.get(f"{TABLE}?sort=due&order=desc").text
    assert descending.index("föreningspriset") < descending.index("registret")
    assert 'aria-sort="descending"' in descending
    page = client.get(TABLE).text  # a heading's link sorts by it, then turns it around
    for order in ("ascending", "descending", "ascending"):
        link = re.search(r'<th scope="col" class="col-next_due"[^>]*><a class="sort" '
                         r'href="([^"]+)"', page)
        assert link is not None
        page = client.get(html.unescape(link.group(1))).text
        assert re.search(rf'class="col-next_due" aria-sort="{order}"', page), order
    wrong = client.get(f"{TABLE}?from=2025-02-30&q=guide")
    assert wrong.status_code == 200 and shown(wrong.text) == 1  # the rest still applies
    assert 'id="error-summary"' in wrong.text and "autofocus" in wrong.text
    assert 'href="#f-from"' in wrong.text and 'id="f-from"' in wrong.text


def _screen(page: str) -> tuple[list[str], list[list[str]]]:
    """The table's headings and each row's text, as a person reads them."""
    table = page[page.index('<table class="data activities">'):]
    table = table[:table.index("</table>")]
    headings = [re.sub(r"<[^>]+>", "", h).split(" – ")[0].replace(" ▲", "").replace(" ▼", "")
                for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([html.unescape(re.sub(r"<br>.*|<[^>]+>", "", c, flags=re.S)).strip()
                     for c in cells])
    return [html.unescape(h).strip() for h in headings], rows


def test_exports_have_the_columns_and_rows_of_the_screen(client: TestClient, app: App) -> None:
    report(app, "k-1.1", Status.IN_PROGRESS, progress=30)
    query = "?sort=due&order=desc"
    headings, rows = _screen(client.get(TABLE + query).text)
    data = client.get(f"{TABLE}.csv{query}")
    assert data.headers["content-type"].startswith("text/csv")
    assert "attachment" in data.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == headings and len(lines) == len(rows) + 1
    for line, row in zip(lines[1:], rows, strict=True):
        # activity label, text (a formula-like text is quoted for spreadsheets)
        assert line[0] == row[0] and line[1] == ("'" if row[1].startswith("=") else "") + row[1]
        assert [c or "–" for c in line[5:9]] == row[5:9]  # reported ... escalation
    assert "'=HYPERLINK(\"http://evil.example\") registret" in [line[1] for line in lines]
    book = load_workbook(io.BytesIO(client.get(f"{TABLE}.xlsx{query}").content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == headings and sheet.max_row == len(rows) + 1
    texts = [c for r in sheet.iter_rows(min_row=2) for c in r if isinstance(c.value, str)]
    assert any(c.value.startswith("=HYPERLINK") for c in texts)
    assert all(c.data_type == "s" for c in texts)  # text, never a formula
    assert client.get(f"{TABLE}.pdf").status_code == 404


def test_the_organisation_dashboard(client: TestClient, app: App) -> None:
    coordinator(app, "it", organisation=None)
    relogin(client, "it")
    page = client.get("/samordnare").text
    assert "LÖK Testby" in page and "LÖK Annanby" in page and "2 av 2 planer visas." in page
    found = tiles(page)
    assert found["overdue"][0] == 4  # two in each plan
    assert shown(client.get(found["overdue"][1]).text) == 4
    search = client.get("/samordnare?q=annanby").text
    assert "1 av 2 planer visas." in search and "LÖK Testby" not in search
    report(app, "k-1.1", Status.DONE)
    by_overdue = client.get("/samordnare?sort=overdue").text
    assert by_overdue.index("LÖK Testby") < by_overdue.index("LÖK Annanby")
    lines = list(csv.reader(io.StringIO(client.get("/samordnare/planer.csv?sort=overdue")
                                        .content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Plan", "Kommun", "Aktiviteter"]
    assert [line[0] for line in lines[1:]] == ["LÖK Testby", "LÖK Annanby"]
    assert [line[3] for line in lines[1:]] == ["1", "2"]
    assert "<svg" in page and 'role="img"' in page  # the party chart, drawn on the server
