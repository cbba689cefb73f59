"""Compiling the annual report from the web: a button, a page that shows the
job's progress until the report is listed and downloadable, and versions:
compiling the same data twice stores one row; new data makes version 2."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.annual_report.archive import list_reports
from lokflow.bootstrap import App
from lokflow.domain.statuses import Status
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FixedClock
from tests.integration.test_coordinator import login, report
from tests.support.reporting import coordinator, hidden, load_two_organisations

NOVEMBER = datetime(2024, 11, 20, 9, tzinfo=UTC)


@pytest.fixture
def client(app: App, tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    clock.at = NOVEMBER
    coordinator(app)
    with TestClient(create_app(app), follow_redirects=False) as web:
        login(web, "anna")
        yield web


def compile_once(client: TestClient, plan: str = "testby") -> str:
    page = client.get("/samordnare/arsrapporter").text
    answer = client.post("/samordnare/arsrapporter", data={
        "csrf": hidden(page, "csrf"), "plan": plan, "year": "2024", "language": "sv"})
    assert answer.status_code == 303, answer.text[:500]
    return answer.headers["location"]


def test_compile_from_the_web_and_download(client: TestClient, app: App) -> None:
    nav = client.get("/samordnare/planer/testby").text
    assert 'href="/samordnare/arsrapporter"' in nav  # the archive is in the navigation
    job = client.get(compile_once(client))
    assert job.status_code == 200 and "Årsrapporten är klar: version 1." in job.text
    assert 'http-equiv="refresh"' not in job.text  # done: the page stops reloading
    pdf = re.search(r'href="(/samordnare/arsrapporter/\d+/arlig-uppfoljning-testby-2024.pdf)"',
                    job.text)
    assert pdf is not None
    download = client.get(pdf.group(1))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    again = client.get(compile_once(client)).text
    assert "Uppgifterna har inte ändrats sedan version 1" in again
    with app.sessions() as session:
        assert len(session.scalars(select(t.AnnualReport)).all()) == 1  # never two identical
    report(app, "k-1.1", Status.DONE)
    third = client.get(compile_once(client)).text
    assert "Årsrapporten är klar: version 2." in third
    listing = client.get("/samordnare/arsrapporter?plan=testby").text
    assert "version 2" in listing and "ersatt av version 2" in listing
    with app.sessions() as session:
        assert [(r.version, r.versions) for r in list_reports(session, plan_slug="testby")] == [
            (2, 2), (1, 2)]


def test_a_running_job_shows_its_progress(client: TestClient, app: App,
                                          clock: FixedClock) -> None:
    with app.sessions.begin() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "testby")).one()
        job = t.AnnualReportJob(plan_id=plan.id, year=2024, language="sv", status="running",
                                step="pdf", requested_by="Anna", created_at=app.now())
        session.add(job)
        session.flush()
        job_id = job.id
        other = session.scalars(select(t.Plan).where(t.Plan.slug == "annanby")).one()
        foreign = t.AnnualReportJob(plan_id=other.id, year=2024, language="sv",
                                    status="queued", step="queued", requested_by="X",
                                    created_at=app.now())
        session.add(foreign)
        session.flush()
        foreign_id = foreign.id
    page = client.get(f"/samordnare/arsrapporter/jobb/{job_id}").text
    assert "Steg 3 av 3: Skapar PDF" in page and 'http-equiv="refresh"' in page
    assert client.get(f"/samordnare/arsrapporter/jobb/{foreign_id}").status_code == 404
    clock.at = NOVEMBER + timedelta(minutes=20)  # its web process died: it never finishes
    client.cookies.clear()
    login(client, "anna")
    stale = client.get(f"/samordnare/arsrapporter/jobb/{job_id}").text
    assert "kunde inte sammanställas" in stale and 'http-equiv="refresh"' not in stale


def test_a_wrong_year_is_a_swedish_error(client: TestClient) -> None:
    page = client.get("/samordnare/arsrapporter").text
    answer = client.post("/samordnare/arsrapporter", data={
        "csrf": hidden(page, "csrf"), "plan": "testby", "year": "²⁰²⁴", "language": "sv"})
    assert answer.status_code == 422 and "Välj ett år mellan 2000 och 2100." in answer.text
    foreign = client.post("/samordnare/arsrapporter", data={
        "csrf": hidden(page, "csrf"), "plan": "annanby", "year": "2024", "language": "sv"})
    assert foreign.status_code == 404

