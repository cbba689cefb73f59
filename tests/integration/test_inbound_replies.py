"""Reporting by replying to a reminder, end to end: the reminder goes out
through a real SMTP server (aiosmtpd), the owner's reply lands in a real IMAP
mailbox (Dovecot on a loopback port, started by the test), lokflow reads it,
records the report with channel "email" and answers through the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import default
from email.utils import make_msgid
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from lokflow.bootstrap import App, bootstrap
from lokflow.cli.app import app as cli
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.engine.reporting_rounds import auto_open_rounds, due_round_notices
from lokflow.inbound.reading import read_replies
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FIXTURES, PLANS, FixedClock
from tests.support.imap_server import ImapServer
from tests.support.reporting import KIM, RAD, load, reports
from tests.support.smtp_server import SmtpServer

COORDINATOR = "samordnare@testby.example.org"
INBOUND = "svar@testby.example.org"


@pytest.fixture(scope="module")
def imap() -> Iterator[ImapServer]:
    server = ImapServer().start()
    yield server
    server.stop()


@pytest.fixture
def world(tmp_path: Path, imap: ImapServer, smtp_server: SmtpServer) -> Iterator[App]:
    with imap.client() as client:  # each test starts with an empty mailbox
        _, count = client.select("INBOX")
        if int(count[0] or 0):
            client.store("1:*", "+FLAGS", "\\Deleted")
            client.expunge()
    settings = Settings(home=tmp_path / "home", plans_dir=PLANS, smtp_url=smtp_server.url,
                        inbound_address=INBOUND, inbound_imap_url=imap.url,
                        _env_file=None)  # type: ignore[call-arg]
    app = bootstrap(settings, clock=FixedClock(datetime(2024, 11, 29, 6, 30, tzinfo=UTC)))
    # k-1.2 ("Årligen", due 1 October) fell due before this first start: its
    # owners get a late notice. Kim owns only k-1.1 here, so Kim's email is
    # the one reminder these tests answer.
    plan = tmp_path / "testby.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("owners: [kultur, foreningarna]", "owners: [foreningarna]"),
                    encoding="utf-8")
    load(app, plan)
    yield app
    app.close()


def send(app: App, smtp: SmtpServer) -> None:
    smtp_settings = SmtpSettings.from_url(smtp.url)
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(smtp_settings, timeout=5)).run())


def reminder(app: App, smtp: SmtpServer) -> EmailMessage:
    """Kim's reminder about k-1.1, due 31 December 2024."""
    with app.sessions.begin() as session:
        decide_and_queue(session, app.now(), date(2024, 11, 29), zone=app.settings.tz)
    send(app, smtp)
    [email] = smtp.to(KIM)
    assert isinstance(email, EmailMessage)
    return email


def reply_to(original: EmailMessage, body: str, sender: str = KIM,
             to: str | None = None) -> bytes:
    """What a mail program sends when the owner presses Reply."""
    reply = EmailMessage(policy=default)
    reply["From"] = f"Someone <{sender}>"
    reply["To"] = to or str(original["Reply-To"])
    reply["Subject"] = "Re: " + str(original["Subject"])
    reply["Message-ID"] = make_msgid("phone")
    reply["In-Reply-To"] = str(original["Message-ID"])
    reply["References"] = str(original["Message-ID"])
    quoted = "\n".join("> " + line for line in
                       original.get_body(("plain",)).get_content().splitlines())  # type: ignore[union-attr]
    reply.set_content(f"{body}\n\nDen 29 nov. 2024 kl. 07:30 skrev Testby kommun:\n{quoted}\n")
    return reply.as_bytes()


def answers(smtp: SmtpServer, address: str) -> list[EmailMessage]:
    found = [m for m in smtp.to(address) if "Re" not in str(m["Subject"])]
    return [m for m in found if isinstance(m, EmailMessage)]


def text_of(email: EmailMessage) -> str:
    body = email.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_the_reminder_invites_a_reply(world: App, smtp_server: SmtpServer) -> None:
    email = reminder(world, smtp_server)
    assert str(email["Subject"]) == "Rapportera senast 31 december: 1 aktivitet — LÖK Testby"
    assert str(email["From"]) == "Testby kommun <lokflow@localhost>"
    assert str(email["Reply-To"]).startswith("svar+m") and str(email["Reply-To"]).endswith(
        "@testby.example.org")
    text = text_of(email)
    assert text.startswith("Hej Kim Kultur!")
    assert "Kommunen 1.1: Ta fram en bidragsguide." in text and "k-1.1" not in text
    assert "Kommunen 1.1: klar" in text  # how to answer by replying
    assert "Frågor? Kontakta samordnaren Samordnare, samordnare@testby.example.org." in text


def test_a_reply_klar_is_recorded_and_confirmed(world: App, smtp_server: SmtpServer,
                                                imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    imap.deliver(reply_to(email, "Klar!\n\nMvh Kim"))
    summary = read_replies(world)
    assert summary.counts == {"recorded": 1}
    [report] = reports(world)
    assert (report.status, report.channel, report.reporter_email, report.reporter_name,
            report.occurrence_key) == ("done", "email", KIM, "Kim Kultur", "deadline")
    send(world, smtp_server)
    [answer] = [m for m in smtp_server.to(KIM) if "Tack" in str(m["Subject"])]
    assert str(answer["Subject"]) == "Tack, din rapport är sparad — LÖK Testby"
    assert "Kommunen 1.1: klar" in text_of(answer)  # type: ignore[arg-type]
    assert "Samordnaren läser rapporten." in text_of(answer)  # type: ignore[arg-type]
    assert read_replies(world).total == 0  # done in the mailbox: not read again
    assert imap.keywords() == [{"$LokflowDone", "\\Seen", "\\Recent"}] or all(
        "$LokflowDone" in k for k in imap.keywords())
    assert len(reports(world)) == 1


def test_a_reply_with_progress_and_a_new_date(world: App, smtp_server: SmtpServer,
                                              imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    imap.deliver(reply_to(email, "Försenad 60 %, ny tid 2025-03-01 – väntar på beslut"))
    assert read_replies(world).counts == {"recorded": 1}
    [report] = reports(world)
    assert (report.status, report.progress, report.proposed_date, report.proposed_reason) == (
        "delayed", 60, date(2025, 3, 1), "väntar på beslut")
    with world.sessions() as session:
        change = session.scalars(select(t.DateChange)).one()
        assert (change.occurrence_key, change.decision) == ("deadline", "pending")


def test_the_same_reply_read_twice_records_once(world: App, smtp_server: SmtpServer,
                                                imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    raw = reply_to(email, "pågår 40 %")
    imap.deliver(raw)
    imap.deliver(raw)  # delivered twice (a resend, a second mailbox rule)
    assert read_replies(world).total == 2
    assert len(reports(world)) == 1
    with world.sessions() as session:
        kinds = session.scalars(select(t.OutboxItem.kind).where(
            t.OutboxItem.kind.like("reply%"))).all()
    assert kinds == ["reply_confirmed"]


def test_a_reply_that_cannot_be_read_gets_the_link(world: App, smtp_server: SmtpServer,
                                                   imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    imap.deliver(reply_to(email, "Vi har inte hunnit titta på det"))
    assert read_replies(world).counts == {"unclear": 1}
    assert reports(world) == []
    send(world, smtp_server)
    [answer] = [m for m in smtp_server.to(KIM) if "kunde inte" in str(m["Subject"])]
    text = text_of(answer)  # type: ignore[arg-type]
    assert "Det här kunde vi inte tolka:" in text and "Vi har inte hunnit titta på det" in text
    assert f"{world.settings.base_url}/rapport/" in text


def test_a_reply_from_another_address_goes_to_the_coordinator(
        world: App, smtp_server: SmtpServer, imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    imap.deliver(reply_to(email, "klar", sender="chef@testby.example.org"))
    assert read_replies(world).counts == {"forwarded": 1}
    assert reports(world) == []
    send(world, smtp_server)
    [forwarded] = smtp_server.to(COORDINATOR)
    text = text_of(forwarded)  # type: ignore[arg-type]
    assert "Från: chef@testby.example.org" in text and "> klar" in text
    assert "inte sparats som rapport" in text


def test_a_forged_token_matches_nothing(world: App, smtp_server: SmtpServer,
                                        imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    forged = str(email["Reply-To"])[:-25] + "0" * 5 + str(email["Reply-To"])[-20:]
    raw = reply_to(email, "klar", to=forged).replace(
        str(email["Message-ID"]).encode(), b"<lokflow.1.0000000000000000@localhost>")
    imap.deliver(raw)
    assert read_replies(world).counts == {"unmatched": 1}
    assert reports(world) == []


def test_an_out_of_office_answer_is_skipped(world: App, smtp_server: SmtpServer,
                                            imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    raw = reply_to(email, "klar").replace(b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:",
                                          1)
    imap.deliver(raw)
    assert read_replies(world).counts == {"automatic": 1}
    assert reports(world) == []


def test_a_bundled_round_request_answered_per_activity(world: App, smtp_server: SmtpServer,
                                                       imap: ImapServer) -> None:
    """The association's round request covers two activities, both numbered 1.x."""
    assert isinstance(world.clock, FixedClock)
    world.clock.at = datetime(2024, 8, 20, 8, tzinfo=UTC)
    with world.sessions.begin() as session:
        auto_open_rounds(session, world.now(), world.today())
        due_round_notices(session, world.now(), world.today())
    send(world, smtp_server)
    [request] = smtp_server.to(RAD)
    assert isinstance(request, EmailMessage)
    assert str(request["Subject"]).startswith("Reporting round: report by 1 October")
    imap.deliver(reply_to(request, "Hi,\nMunicipality 1.2: done\n"
                                   "Civil society 1.1: in progress 50 % new members", RAD))
    assert read_replies(world).counts == {"recorded": 1}  # one reply, two reports
    saved = {(r.status, r.progress, r.comment) for r in reports(world)}
    assert saved == {("done", None, None), ("in_progress", 50, "new members")}


def test_the_cli_reads_the_mailbox(world: App, smtp_server: SmtpServer,
                                   imap: ImapServer) -> None:
    email = reminder(world, smtp_server)
    imap.deliver(reply_to(email, "klar"))
    settings = world.settings
    result = CliRunner().invoke(cli, ["replies", "fetch", "--no-send"], env={
        "LOKFLOW_HOME": str(settings.home), "LOKFLOW_PLANS_DIR": str(PLANS),
        "LOKFLOW_INBOUND_IMAP_URL": settings.inbound_imap_url,
        "LOKFLOW_INBOUND_ADDRESS": INBOUND})
    assert result.exit_code == 0, result.output
    assert "read 1 replies: recorded 1" in result.output
    assert [r.channel for r in reports(world)] == ["email"]
    unset = CliRunner().invoke(cli, ["replies", "fetch"], env={
        "LOKFLOW_HOME": str(settings.home), "LOKFLOW_INBOUND_IMAP_URL": ""})
    assert unset.exit_code != 0 and "LOKFLOW_INBOUND_IMAP_URL is not set" in unset.output


def test_the_flow_reads_replies_on_its_schedule(
        prefect_harness: None, world: App, smtp_server: SmtpServer, imap: ImapServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`inbound-replies/poll` is deployed when a mailbox is set, and its flow
    records the replies and sends the answers (on Prefect's test harness)."""
    from flows.inbound_replies import inbound_replies
    from lokflow.orchestration.deployment_specs import INBOUND_FLOW, desired_deployments

    with world.sessions() as session:
        specs = desired_deployments(session, world.settings, date(2024, 11, 29))
    [poll] = [s for s in specs if s.flow_name == INBOUND_FLOW]
    assert (poll.name, poll.schedules[0].value) == ("poll", "*/5 * * * *")
    email = reminder(world, smtp_server)
    imap.deliver(reply_to(email, "klar"))
    for name, value in (("HOME", str(world.settings.home)), ("SMTP_URL", smtp_server.url),
                        ("INBOUND_ADDRESS", INBOUND), ("INBOUND_IMAP_URL", imap.url)):
        monkeypatch.setenv(f"LOKFLOW_{name}", value)
    result = asyncio.run(inbound_replies())
    assert result == {"recorded": 1, "sent": 1}
    assert [r.channel for r in reports(world)] == ["email"]
    assert any("Tack" in str(m["Subject"]) for m in smtp_server.to(KIM))
