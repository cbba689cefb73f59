"""Archived annual reports on the coordinator pages: listed for download in
every format, behind the coordinator login, one organisation's only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from lokflow.access.accounts import add_user
from lokflow.annual_report.archive import compile_and_store
from lokflow.annual_report.snapshot import compile_snapshot
from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.report_history import load_bundled_plans
from tests.support.reporting import PASSWORD, hidden

AS_OF = datetime(2024, 11, 15, 19, 0, tzinfo=UTC)


@dataclass
class Site:
    client: TestClient
    app: App
    tierp: int
    orebro: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """All five plans; a stored Tierp report (with its PDF) and an Örebro one,
    and a coordinator of Tierps kommun."""
    clock = FixedClock(AS_OF)
    home = tmp_path_factory.mktemp("web") / "home"
    app = bootstrap(Settings(home=home, database_url="", plans_dir=PLANS, _env_file=None),
                    clock=clock)
    load_bundled_plans(app, clock)
    with app.sessions.begin() as session:
        add_user(session, "anna", PASSWORD, "Anna Samordnare", "tierp", AS_OF)
        tierp = compile_and_store(session, "tierp", 2024, AS_OF, zone=app.settings.tz,
                                  as_of=AS_OF)
        orebro = session.scalars(select(t.Plan).where(t.Plan.slug == "orebro")).one()
        other = t.AnnualReport(plan_id=orebro.id, year=2018, language="sv", pdf=None,
                               created_at=AS_OF, snapshot=compile_snapshot(
                                   session, orebro, 2018, AS_OF, AS_OF, app.settings.tz))
        session.add(other)
        session.flush()
        ids = (tierp.id, other.id)
    with TestClient(create_app(app), follow_redirects=False) as web:
        yield Site(web, app, *ids)
    app.close()


def login(client: TestClient) -> None:
    form = client.get("/samordnare/logga-in").text
    answer = client.post("/samordnare/logga-in", data={
        "username": "anna", "password": PASSWORD, "next": "/samordnare/arsrapporter",
        "csrf": hidden(form, "csrf")})
    assert answer.status_code == 303


def test_reports_need_a_login(site: Site) -> None:
    site.client.cookies.clear()
    for path in ("/samordnare/arsrapporter",
                 f"/samordnare/arsrapporter/{site.tierp}/arlig-uppfoljning-tierp-2024.pdf"):
        answer = site.client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/samordnare/logga-in?next=")


def test_list_and_download_every_format(site: Site) -> None:
    client = site.client
    login(client)
    page = client.get("/samordnare/arsrapporter")
    assert page.status_code == 200 and "LÖK Tierp" in page.text
    assert "LÖK Örebro" not in page.text  # another organisation's plan
    base = f"/samordnare/arsrapporter/{site.tierp}/arlig-uppfoljning-tierp-2024"
    assert f'href="{base}.pdf"' in page.text

    pdf = client.get(base + ".pdf")
    with site.app.sessions() as session:
        stored = session.get_one(t.AnnualReport, site.tierp).pdf
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == stored
    html = client.get(base + ".html")
    assert html.status_code == 200 and "Årlig uppföljning 2024" in html.text
    assert html.headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src" not in html.headers["content-security-policy"]
    markdown = client.get(base + ".md")
    assert markdown.text.startswith("# Årlig uppföljning 2024")
    assert "attachment" in markdown.headers["content-disposition"]
    xlsx = client.get(base + ".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row == 1 + 36

    for path in (f"/samordnare/arsrapporter/{site.orebro}/arlig-uppfoljning-orebro-2018.pdf",
                 f"/samordnare/arsrapporter/{site.tierp}/rapport.docx",
                 "/samordnare/arsrapporter/9999/x.pdf",
                 "/samordnare/arsrapporter?plan=orebro"):
        assert client.get(path).status_code == 404, path
    assert "LÖK Tierp" in client.get("/samordnare/arsrapporter?plan=tierp").text
