"""Several municipalities in one installation: the coordinator, API key,
report links and feeds of one organisation see and change nothing of
another's, through every door (web pages, JSON API, feeds, annual reports)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.annual_report.archive import compile_and_store
from lokflow.bootstrap import App
from lokflow.domain.statuses import Status
from lokflow.feeds.subscriptions import FeedSpec, ensure, links
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.support.reporting import (
    KIM,
    PASSWORD,
    activity_id,
    api_key,
    coordinator,
    hidden,
    load_two_organisations,
    report_link,
)

ZONE = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with app.sessions.begin() as session:  # the other municipality has data of its own
        other = session.get_one(t.Activity, activity_id(app, "k-1.1", plan="annanby"))
        record_report(session, other, ReportInput(
            status=Status.DELAYED, reporter_name="Annanby", channel="api",
            comment="Annanbys hemliga kommentar", proposed_date=datetime(2025, 6, 1).date(),
            proposed_reason="Annanbys skäl"), app.now(), app.today())
        compile_and_store(session, "annanby", 2024, datetime(2024, 12, 1, tzinfo=UTC),
                          zone=ZONE)
    with TestClient(create_app(app)) as web:
        yield web


def _other_ids(app: App) -> dict[str, int]:
    activity = activity_id(app, "k-1.1", plan="annanby")
    with app.sessions() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "annanby")).one()
        return {
            "activity": activity,
            "change": session.scalars(select(t.DateChange.id)).one(),
            "report": session.scalars(select(t.AnnualReport.id).where(
                t.AnnualReport.plan_id == plan.id)).one(),
        }


def test_a_coordinator_sees_and_changes_nothing_of_another_municipality(
    client: TestClient, app: App
) -> None:
    coordinator(app, "anna", organisation="testby")
    form = client.get("/samordnare/logga-in").text
    client.post("/samordnare/logga-in", data={"username": "anna", "password": PASSWORD,
                                              "next": "/samordnare", "csrf": hidden(form, "csrf")})
    other = _other_ids(app)
    overview = client.get("/samordnare").text
    assert "LÖK Testby" in overview and "Annanby" not in overview
    for path in ("/samordnare/planer/annanby", "/samordnare/planer/annanby/forsenade",
                 "/samordnare/planer/annanby/datum", "/samordnare/planer/annanby/omgang",
                 "/samordnare/planer/annanby/aktivitet/k-1.1",
                 f"/samordnare/arsrapporter/{other['report']}/arlig-uppfoljning-annanby-2024.pdf"):
        assert client.get(path).status_code == 404, path
    reports = client.get("/samordnare/arsrapporter").text
    assert "annanby" not in reports.lower()
    own = client.get("/samordnare/planer/testby/datum").text
    answer = client.post(f"/samordnare/planer/annanby/datum/{other['change']}",
                         data={"csrf": hidden(own, "csrf"), "decision": "accept"})
    assert answer.status_code in (403, 404)
    with app.sessions() as session:
        assert session.get_one(t.DateChange, other["change"]).decision == "pending"


def test_an_api_key_reaches_only_its_own_organisation(client: TestClient, app: App) -> None:
    headers = {"Authorization": f"Bearer {api_key(app, 'testby')}"}
    plans = client.get("/api/v1/plans", headers=headers).json()
    assert [p["slug"] for p in plans] == ["testby"]
    assert client.get("/api/v1/plans/annanby/activities", headers=headers).status_code == 404
    posted = client.post("/api/v1/plans/annanby/activities/k-1.1/reports", headers=headers,
                         json={"status": "done", "reporter_name": "Intrång"})
    assert posted.status_code == 404
    history = client.get("/api/v1/plans/annanby/activities/k-1.1/reports", headers=headers)
    assert history.status_code == 404 and "hemliga" not in history.text


def test_a_report_link_reaches_only_its_owners_activities(client: TestClient,
                                                         app: App) -> None:
    token = report_link(app, KIM, "testby")
    page = client.get(f"/rapport/{token}").text
    assert "hemliga" not in page
    other = _other_ids(app)
    assert client.get(f"/rapport/{token}/aktivitet/{other['activity']}").status_code in (403, 404)
    posted = client.post(f"/rapport/{token}", data={
        "csrf": hidden(page, "csrf"), f"a{other['activity']}-status": "done"})
    assert posted.status_code in (403, 422)
    with app.sessions() as session:
        statuses = session.scalars(select(t.StatusReport.status).where(
            t.StatusReport.activity_id == other["activity"])).all()
    assert statuses == ["delayed"]


def test_feeds_of_one_organisation_show_nothing_of_another(client: TestClient,
                                                           app: App) -> None:
    with app.sessions.begin() as session:
        raw = ensure(session, app, FeedSpec("organisation", "testby")).raw
    assert raw
    feed = client.get(links(app.settings, raw).https.removeprefix(app.settings.base_url)).text
    assert "testby/" in feed and "annanby" not in feed.lower()
