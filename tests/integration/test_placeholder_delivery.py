"""Placeholder addresses: the maildir keeps their mail, a real SMTP server
never gets it, and the coordinators are told what was not sent."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.delivery.sender import PLACEHOLDER_SKIPPED, OutboxSender
from lokflow.delivery.transports import MaildirTransport, SmtpSettings, SmtpTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.store import tables as t
from tests.conftest import FIXTURES, FixedClock
from tests.support.smtp_server import SmtpServer

RAD = "rad@testby.example.org"
KIM = "kim@testby.example.org"
COORDINATOR = "samordnare@testby.example.org"


def load_with_placeholder(app: App, clock: FixedClock, folder: Path) -> None:
    path = folder / "testby.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace(
        f"email: {RAD}\n", f"email: {RAD}\n        placeholder: true\n"), encoding="utf-8")
    plans, errors = read_plans([path])
    assert not errors and [w.message for w in plans[0].warnings] == [
        f"placeholder address {RAD} for Alla föreningar: mail to it is kept, never sent "
        "over SMTP"]
    clock.at = datetime(2024, 11, 29, 6, 30, tzinfo=UTC)
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)
        run = decide_and_queue(session, app.now(), date(2024, 11, 29), zone=app.settings.tz)
    assert RAD in {a.recipient.email for a in run.actions}


def test_smtp_skips_placeholders_and_tells_the_coordinator(
    app: App, clock: FixedClock, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    load_with_placeholder(app, clock, tmp_path)
    smtp = SmtpSettings.from_url(smtp_server.url)
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(smtp)).run())
    assert smtp_server.to(RAD) == [] and len(smtp_server.to(KIM)) == 1
    told = smtp_server.to(COORDINATOR)
    assert len(told) == 1
    body = told[0].get_body(("plain",)).get_content()
    assert RAD in body and PLACEHOLDER_SKIPPED in body
    with app.sessions() as session:
        status = session.scalar(select(t.OutboxMessage.status).where(
            t.OutboxMessage.recipient_email == RAD))
    assert status == "failed"


def test_the_maildir_keeps_placeholder_mail(app: App, clock: FixedClock, tmp_path: Path) -> None:
    load_with_placeholder(app, clock, tmp_path)
    asyncio.run(OutboxSender(app, lambda: MaildirTransport(app.settings.maildir)).run())
    recipients = {line for p in (app.settings.maildir / "new").iterdir()
                  for line in p.read_text(encoding="utf-8").splitlines()
                  if line.startswith("To:")}
    assert any(RAD in line for line in recipients)
