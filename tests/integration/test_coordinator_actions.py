"""What a coordinator does from the web, on a real database and a real SMTP
server (aiosmtpd): remind now (the preview is the email that arrives; a
double click sends once), record a report on an owner's behalf, decide a
date with a reason the owner gets, open a round after its follow-up day with
a preview of who gets what, remind everyone missing, and see it all in the
activity's log and the plan's sent log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.domain.statuses import Status
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FixedClock
from tests.integration.test_coordinator import login, report
from tests.support.reporting import KIM, RAD, coordinator, hidden, load_two_organisations
from tests.support.smtp_server import SmtpServer

TUESDAY = datetime(2023, 10, 10, 8, tzinfo=UTC)  # after the 2023 follow-up day (1 October)
ACTIVITY = "/samordnare/planer/testby/aktivitet/k-1.1"


@pytest.fixture
def client(app: App, tmp_path: Path, clock: FixedClock,
           smtp_server: SmtpServer) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    app.settings.smtp_url = smtp_server.url
    clock.at = TUESDAY
    coordinator(app)
    with TestClient(create_app(app), follow_redirects=False) as web:
        login(web, "anna")
        yield web


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content()


def items(app: App, kind: str) -> list[t.OutboxItem]:
    with app.sessions() as session:
        return list(session.scalars(select(t.OutboxItem).where(t.OutboxItem.kind == kind)))


def test_remind_now_sends_the_previewed_email_once(client: TestClient, app: App,
                                                   smtp_server: SmtpServer) -> None:
    preview = client.get(f"{ACTIVITY}/paminn")
    assert preview.status_code == 200 and "kim@testby.example.org" in preview.text
    shown = re.search(r'<pre class="email-text">(.*?)</pre>', preview.text, re.S)
    assert shown is not None
    form = {"csrf": hidden(preview.text, "csrf"), "action": hidden(preview.text, "action")}
    first = client.post(f"{ACTIVITY}/paminn", data=form)
    again = client.post(f"{ACTIVITY}/paminn", data=form)  # a double click
    assert first.status_code == again.status_code == 303
    assert again.headers["location"].endswith("klart=paminnelse-igen")
    assert len(items(app, "manual_reminder")) == 1
    [message] = smtp_server.to(KIM)
    assert isinstance(message, EmailMessage)
    sent = body(message)
    link = re.search(r"http://[^\s]+/rapport/[A-Za-z0-9_-]{40,}", sent)
    feed = re.search(r"http://[^\s]+/feeds/[A-Za-z0-9_-]{20,}\.ics", sent)
    assert link is not None and feed is not None  # real, working links in the email
    expected = _unescape(shown.group(1)).replace(
        "http://127.0.0.1:8000/rapport/…", link.group(0)).replace(
        "http://127.0.0.1:8000/feeds/….ics", feed.group(0)).replace(
        "webcal://127.0.0.1:8000/feeds/….ics", feed.group(0).replace("http://", "webcal://"))
    assert sent.strip() == expected.strip()
    assert "/rapport/…" in shown.group(1) and feed.group(0) not in preview.text
    assert "Påminnelse från samordnaren" in str(message["Subject"]) or \
        "Påminnelse" in str(message["Subject"])
    page = client.get(ACTIVITY + "?klart=paminnelse-1").text
    assert "Anna Samordnare skickade en påminnelse nu till 1 kontaktperson(er)" in page
    assert "påminnelse från samordnaren" in page and "levererat" in page
    log = client.get("/samordnare/planer/testby/utskick?kind=manual_reminder").text
    assert "1 av 1 utskick visas." in log and KIM in log
    other = client.get(f"{ACTIVITY}/paminn")  # a new preview is a new action
    client.post(f"{ACTIVITY}/paminn", data={"csrf": hidden(other.text, "csrf"),
                                            "action": hidden(other.text, "action")})
    assert len(items(app, "manual_reminder")) == 2
    assert client.post(f"{ACTIVITY}/paminn", data={"csrf": form["csrf"],
                                                   "action": "x"}).status_code == 409


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))


def test_report_on_an_owners_behalf(client: TestClient, app: App) -> None:
    form = client.get(f"{ACTIVITY}/rapport").text
    values = {"csrf": hidden(form, "csrf"), "submission_key": hidden(form, "submission_key")}
    wrong = client.post(f"{ACTIVITY}/rapport", data={**values, "status": "done"})
    assert wrong.status_code == 422
    assert "Skriv vems rapport det är" in wrong.text and "Välj hur rapporten kom in." in wrong.text
    assert 'id="error-summary"' in wrong.text and "autofocus" in wrong.text
    good = {**values, "status": "in_progress", "progress": "50", "channel": "phone",
            "on_behalf_of": "Kim Kultur", "comment": "Berättat i telefon",
            "occurrence": "deadline"}
    assert client.post(f"{ACTIVITY}/rapport", data=good).status_code == 303
    assert client.post(f"{ACTIVITY}/rapport", data=good).status_code == 303  # twice: once
    with app.sessions() as session:
        [saved] = session.scalars(select(t.StatusReport)).all()
    assert (saved.reporter_name, saved.channel, saved.on_behalf_of, saved.progress) == (
        "Anna Samordnare", "phone", "Kim Kultur", 50)
    page = client.get(ACTIVITY).text
    assert "Anna Samordnare (telefon), åt Kim Kultur" in page
    assert "Anna Samordnare registrerade rapporten åt Kim Kultur (telefon)" in page
    refused = client.post(f"{ACTIVITY}/rapport", data={**good, "submission_key": "",
                                                       "occurrence": "1999"})
    assert refused.status_code == 422 and "Välj en av aktivitetens tidpunkter." in refused.text


def test_a_decision_tells_the_owner_why(client: TestClient, app: App,
                                        smtp_server: SmtpServer) -> None:
    report(app, "k-1.1", Status.DELAYED, proposed_date=date(2025, 3, 31),
           proposed_reason="Budgeten saknas")
    dates = client.get("/samordnare/planer/testby/datum").text
    with app.sessions() as session:
        change = session.scalars(select(t.DateChange)).one()
    answer = client.post(f"/samordnare/planer/testby/datum/{change.id}", data={
        "csrf": hidden(dates, "csrf"), "decision": "reject",
        "reason": "Sista dagen står i avtalet med Regionen."})
    assert answer.status_code == 303
    [message] = smtp_server.to(KIM)
    assert isinstance(message, EmailMessage)
    assert "Beslut om ditt datumförslag" in str(message["Subject"])
    text = body(message)
    assert "Ditt förslag om nytt datum är avslaget: 31 december 2024 gäller fortfarande" in text
    assert "Motivering: Sista dagen står i avtalet med Regionen." in text
    page = client.get(ACTIVITY).text
    assert "Datumförslaget avslogs: 2025-03-31" in page
    assert "Skäl: Sista dagen står i avtalet med Regionen." in page


def test_open_a_round_after_its_follow_up_day(client: TestClient, app: App,
                                              smtp_server: SmtpServer) -> None:
    page = client.get("/samordnare/planer/testby/omgang?year=2023").text
    assert "Uppföljningsdagen 2023-10-01 har redan passerat" in page
    assert "give a later --deadline" not in page
    wrong = client.get("/samordnare/planer/testby/omgang?year=2023&deadline=2023-10-01")
    assert "Sista dag för svar måste vara efter i dag." in wrong.text
    preview = client.get("/samordnare/planer/testby/omgang?year=2023&deadline=2023-10-31").text
    assert "2 person(er) får en begäran om rapport för 3 aktivitet(er)" in preview
    assert "Rapporteringsomgång: lämna status senast 31 oktober 2023" in preview
    assert not items(app, "round_request")  # a preview writes nothing
    opened = client.post("/samordnare/planer/testby/omgang", data={
        "csrf": hidden(preview, "csrf"), "action": "open", "year": "2023",
        "deadline": "2023-10-31"})
    assert opened.status_code == 303 and "oppnad=2" in opened.headers["location"]
    with app.sessions() as session:
        row = session.scalars(select(t.ReportingRound)).one()
        assert (row.deadline, row.status) == (date(2023, 10, 31), "open")
    [request] = smtp_server.to(KIM)
    assert "Rapporteringsomgång: lämna status senast 31 oktober 2023" in body(request)
    assert "Omgången är öppnad och begäran skickas nu till 2 person(er)." in client.get(
        opened.headers["location"]).text


def test_remind_everyone_missing_in_the_round(client: TestClient, app: App,
                                              smtp_server: SmtpServer) -> None:
    page = client.get("/samordnare/planer/testby/omgang?year=2023&deadline=2023-10-31").text
    client.post("/samordnare/planer/testby/omgang", data={
        "csrf": hidden(page, "csrf"), "action": "open", "year": "2023", "deadline": "2023-10-31"})
    report(app, "k-1.1", Status.IN_PROGRESS)
    report(app, "k-1.2", Status.IN_PROGRESS)  # Kim has answered; the association owes c-1.1
    preview = client.get("/samordnare/planer/testby/omgang/paminn")
    assert preview.status_code == 200 and RAD in preview.text and KIM not in preview.text
    form = {"csrf": hidden(preview.text, "csrf"), "action": hidden(preview.text, "action")}
    for _ in range(2):
        assert client.post("/samordnare/planer/testby/omgang/paminn", data=form).status_code == 303
    manual = [i for i in items(app, "round_reminder") if i.stage == "manual"]
    assert [i.recipient_email for i in manual] == [RAD]
    assert len([m for m in smtp_server.to(RAD)
                if "Reporting round reminder" in body(m)]) == 1  # Rad reads English
    history = client.get("/samordnare/planer/testby/aktivitet/c-1.1").text
    assert "Påminnelse i rapporteringsomgången till rad@testby.example.org" in history
    assert "skickad nu av Anna Samordnare" in history
