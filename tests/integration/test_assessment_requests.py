"""Assessors hear of their party's own assessment when the reporting round
opens (issue 17): the request and the reminder go through the outbox once
each, the email (a real SMTP server on 127.0.0.1) carries a fresh personal
link that opens the party's assessment, and a party that has assessed is
not reminded."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.bootstrap import App, bootstrap
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.engine.due_run import sweep_everything
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import KS, RUT, fill, load_plan
from tests.support.smtp_server import SmtpServer

OPENS = date(2024, 10, 4)  # six weeks before the follow-up day, 15 November


@pytest.fixture
def app(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[App]:
    application = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                                     smtp_url=smtp_server.url, _env_file=None),
                            clock=FixedClock(datetime(2024, 10, 1, 8, tzinfo=UTC)))
    load_plan(application)
    yield application
    application.close()


def sweep(app: App, day: date) -> None:
    app.clock.at = datetime.combine(day, time(9), UTC)  # type: ignore[attr-defined]
    with app.sessions.begin() as session:
        sweep_everything(session, app.now(), app.today(), zone=app.settings.tz)


def send(app: App, smtp: SmtpServer) -> None:
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(SmtpSettings.from_url(smtp.url))).run())


def assessment_items(app: App) -> list[tuple[str, str, str]]:
    with app.sessions() as session:
        return [(i.kind, i.recipient_email, i.detail["party"]) for i in session.scalars(
            select(t.OutboxItem).where(t.OutboxItem.kind.like("assessment%"))
            .order_by(t.OutboxItem.id))]


def plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_assessors_are_asked_once_when_the_round_opens(app: App,
                                                       smtp_server: SmtpServer) -> None:
    sweep(app, date(2024, 10, 3))
    assert assessment_items(app) == []  # the round is not open yet
    sweep(app, OPENS)
    sweep(app, OPENS)  # the flow and the sweep may both run: nothing twice
    assert sorted(assessment_items(app)) == [("assessment_request", KS, "municipality"),
                                             ("assessment_request", RUT, "civil_society")]
    send(app, smtp_server)
    [email] = smtp_server.to(KS)
    assert isinstance(email, EmailMessage)
    assert str(email["Subject"]) == "Årlig uppföljning: er parts egen bedömning — LÖK Följby"
    text = plain(email)
    assert "skriv er parts egen bedömning senast 15 november 2024" in text
    [link] = re.findall(rf"{re.escape(app.settings.base_url)}(/bedomning/[A-Za-z0-9_-]+)", text)
    [english] = smtp_server.to(RUT)  # Rut reads English (a contact with language: en)
    assert isinstance(english, EmailMessage)
    assert "write your party's own assessment by 15 November 2024" in plain(english)
    with TestClient(create_app(app), follow_redirects=False) as client:
        page = client.get(link)
        assert page.status_code == 200 and "Kommunens egen bedömning 2024" in page.text
        status, _ = fill(client, link, {"helhet-scale": "4"})
        assert status == 200


def test_only_the_party_that_has_not_assessed_is_reminded(app: App,
                                                          smtp_server: SmtpServer) -> None:
    sweep(app, OPENS)
    send(app, smtp_server)
    [email] = smtp_server.to(KS)
    assert isinstance(email, EmailMessage)
    link = re.findall(r"/bedomning/[A-Za-z0-9_-]+", plain(email))[0]
    with TestClient(create_app(app), follow_redirects=False) as client:
        fill(client, link, {"helhet-text": "Vi har gjort vårt."})
    sweep(app, date(2024, 11, 8))  # a week before the deadline
    reminders = [i for i in assessment_items(app) if i[0] == "assessment_reminder"]
    assert reminders == [("assessment_reminder", RUT, "civil_society")]
    sweep(app, date(2024, 11, 16))  # after the deadline: nothing new
    assert len(assessment_items(app)) == 3
