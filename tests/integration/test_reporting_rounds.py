"""Reporting rounds on a real database: opened on time, owners asked and
reminded through the outbox (delivered to a real SMTP server), coordinators
told who is missing, and the round page showing the response rate."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.bootstrap import App
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.domain.statuses import Status
from lokflow.engine.reporting_rounds import (
    RoundError,
    auto_open_rounds,
    close_round,
    due_round_notices,
    open_round,
    round_status,
)
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FixedClock
from tests.support.reporting import KIM, RAD, coordinator, hidden, load_two_organisations
from tests.support.smtp_server import SmtpServer

OPENING_DAY = datetime(2023, 8, 20, 6, tzinfo=UTC)  # a Sunday, six weeks before 1 October


@pytest.fixture
def rounds_app(app: App, tmp_path: Path, clock: FixedClock) -> App:
    load_two_organisations(app, tmp_path)
    clock.at = OPENING_DAY
    return app


def sweep(app: App, clock: FixedClock, day: date) -> list[t.OutboxItem]:
    """What the daily sweep does for rounds on `day`; returns the new items."""
    clock.at = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
    with app.sessions.begin() as session:
        before = {i.id for i in session.scalars(select(t.OutboxItem))}
        auto_open_rounds(session, app.now(), app.today())
        due_round_notices(session, app.now(), app.today())
        return [i for i in session.scalars(select(t.OutboxItem).order_by(t.OutboxItem.id))
                if i.id not in before]


def plan(session: Session, slug: str = "testby") -> t.Plan:
    return session.scalars(select(t.Plan).where(t.Plan.slug == slug)).one()


def answer(app: App, key: str, status: Status = Status.IN_PROGRESS) -> None:
    with app.sessions.begin() as session:
        activity = session.scalars(select(t.Activity).join(t.Plan).where(
            t.Plan.slug == "testby", t.Activity.key == key)).one()
        record_report(session, activity, ReportInput(status=status, reporter_name="Kim",
                                                     channel="web"), app.now(), app.today())


def test_rounds_open_automatically_once(rounds_app: App) -> None:
    app = rounds_app
    with app.sessions.begin() as session:
        opened = auto_open_rounds(session, app.now(), app.today())
        assert sorted((r.year, r.opens_on, r.deadline) for r in opened) == [
            (2023, date(2023, 8, 20), date(2023, 10, 1))] * 2   # testby and annanby
        assert auto_open_rounds(session, app.now(), app.today()) == []


def test_a_whole_round(rounds_app: App, clock: FixedClock) -> None:
    app = rounds_app
    assert sweep(app, clock, date(2023, 8, 20)) == []  # Sunday: asked on Monday
    monday = sweep(app, clock, date(2023, 8, 21))
    testby = [i for i in monday if "testby" in i.recipient_email]
    assert sorted((i.kind, i.recipient_email) for i in testby) == [
        ("round_request", KIM), ("round_request", RAD)]
    assert all(i.due == date(2023, 10, 1) and i.activity_id is None for i in testby)
    assert sweep(app, clock, date(2023, 8, 21)) == []  # a second run is harmless

    answer(app, "k-1.1")
    answer(app, "k-1.2")  # Kim is done; the association still owes c-1.1
    reminders = sweep(app, clock, date(2023, 8, 28))
    assert [(i.kind, i.recipient_email) for i in reminders
            if "testby" in i.recipient_email] == [("round_reminder", RAD)]
    with app.sessions() as session:
        status = round_status(session, plan(session), 2023)
        assert (status.answered, status.total) == (2, 3)
        assert [(o.key, o.answered, len(o.activity_ids)) for o in status.facts.owners] == [
            ("foreningarna", 1, 2), ("kultur", 2, 2)]
        assert [p.email for p in status.missing_people] == [RAD]

    escalation = sweep(app, clock, date(2023, 10, 2))
    mine = [i for i in escalation if "testby" in i.recipient_email]
    assert [(i.kind, i.recipient_email, i.detail["missing"]) for i in mine] == [
        ("round_escalation", "samordnare@testby.example.org", ["Alla föreningar"])]


def test_a_closed_round_sends_nothing_more(rounds_app: App, clock: FixedClock) -> None:
    app = rounds_app
    sweep(app, clock, date(2023, 8, 21))
    with app.sessions.begin() as session:
        for slug in ("testby", "annanby"):
            close_round(session, plan(session, slug), 2023, app.now())
    assert sweep(app, clock, date(2023, 8, 28)) == []
    assert sweep(app, clock, date(2023, 10, 2)) == []


def test_opening_by_hand(rounds_app: App) -> None:
    app = rounds_app
    with app.sessions.begin() as session:
        first = open_round(session, plan(session), 2023, app.now(), app.today())
        assert open_round(session, plan(session), 2023, app.now(), app.today()) is first
        close_round(session, plan(session), 2023, app.now())
        again = open_round(session, plan(session), 2023, app.now(), app.today())
        assert again.id == first.id and again.status == "open"
        with pytest.raises(RoundError, match="has passed"):
            open_round(session, plan(session), 2022, app.now(), app.today())
        late = open_round(session, plan(session), 2022, app.now(), app.today(),
                          deadline=date(2023, 9, 15))
        assert late.deadline == date(2023, 9, 15)
        with pytest.raises(RoundError, match="no reporting round for 2030"):
            close_round(session, plan(session), 2030, app.now())


def test_done_one_time_activities_are_not_asked_again(rounds_app: App,
                                                      clock: FixedClock) -> None:
    app = rounds_app
    answer(app, "k-1.1", Status.DONE)  # before the round opens, not counted as recent
    clock.at = OPENING_DAY.replace(hour=7)
    with app.sessions.begin() as session:
        open_round(session, plan(session), 2023, app.now(), app.today(), recent_days=0)
        status = round_status(session, plan(session), 2023)
        assert status.total == 2 and "k-1.1" not in {a.key for a in status.activities.values()}


@pytest.mark.parametrize(("days_before", "recent_days", "answered"), [
    (3, 14, True), (13, 14, True), (15, 14, False), (3, 0, False)])
def test_a_recent_report_answers_the_round(rounds_app: App, clock: FixedClock,
                                           days_before: int, recent_days: int,
                                           answered: bool) -> None:
    """A report given shortly before the round opens counts (LOKFLOW_ROUND_RECENT_DAYS)."""
    app = rounds_app
    clock.at = OPENING_DAY - timedelta(days=days_before)
    answer(app, "c-1.1")
    clock.at = OPENING_DAY
    with app.sessions.begin() as session:
        open_round(session, plan(session), 2023, app.now(), app.today(),
                   recent_days=recent_days)
        status = round_status(session, plan(session), 2023)
        owner = next(o for o in status.facts.owners if o.key == "foreningarna")
        keys = {status.activities[a].key for a in owner.answered_ids}
        assert ("c-1.1" in keys) is answered


def test_round_request_email_carries_the_report_link(rounds_app: App, clock: FixedClock,
                                                     smtp_server: SmtpServer) -> None:
    app = rounds_app
    app.settings.smtp_url = smtp_server.url
    sweep(app, clock, date(2023, 8, 21))
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(
        SmtpSettings.from_url(smtp_server.url))).run())
    [email] = smtp_server.to(KIM)
    assert isinstance(email, EmailMessage)
    assert "Rapporteringsomgång" in str(email["Subject"])
    body = email.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Rapporteringsomgång: lämna status senast 1 oktober 2023" in text
    assert f"{app.settings.base_url}/rapport/" in text


@pytest.fixture
def client(rounds_app: App) -> Iterator[TestClient]:
    coordinator(rounds_app)
    with TestClient(create_app(rounds_app), follow_redirects=False) as web:
        form = web.get("/samordnare/logga-in").text
        web.post("/samordnare/logga-in", data={"username": "anna",
                                               "password": "ett-langt-losenord",
                                               "csrf": hidden(form, "csrf")})
        yield web


def test_round_page_opens_shows_and_closes(client: TestClient, rounds_app: App) -> None:
    page = client.get("/samordnare/planer/testby/omgang")
    assert "Det finns ingen rapporteringsomgång för 2023." in page.text
    csrf = hidden(page.text, "csrf")
    assert client.post("/samordnare/planer/testby/omgang",
                       data={"action": "open", "year": "2023"}).status_code == 422
    assert client.post("/samordnare/planer/testby/omgang",
                       data={"action": "open", "year": "2023", "csrf": "x"}).status_code == 403
    opened = client.post("/samordnare/planer/testby/omgang",
                         data={"action": "open", "year": "2023", "csrf": csrf})
    assert opened.status_code == 303
    answer(rounds_app, "k-1.1")
    page = client.get(opened.headers["location"]).text
    assert "1 av 3 aktiviteter har rapporterats (33 %)" in page
    assert "Kultur- och fritidsförvaltningen" in page and "1/2 (50 %)" in page
    assert 'Föreningsrådet: <a href="mailto:rad@testby.example.org">' in page
    client.post("/samordnare/planer/testby/omgang",
                data={"action": "close", "year": "2023", "csrf": csrf})
    assert "Status: stängd." in client.get("/samordnare/planer/testby/omgang?year=2023").text
    refused = client.post("/samordnare/planer/testby/omgang",
                          data={"action": "close", "year": "2031", "csrf": csrf})
    assert refused.status_code == 409 and "no reporting round" not in refused.text
    assert "Det finns ingen rapporteringsomgång för året." in refused.text  # Swedish, not CLI
