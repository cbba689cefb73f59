"""Delivery through a real SMTP server on 127.0.0.1: down then up, 4xx then
success, 5xx, concurrent sweeps in real processes, and a crash between the
outbox write and the send."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FIXTURES, FixedClock
from tests.support.smtp_server import SmtpServer

# In the minimal plan, k-1.1 is due 2024-12-31: 30 days before is Sun 1 Dec,
# so its first reminder goes out on Fri 29 Nov 2024.
REMINDER_DAY = date(2024, 11, 29)
KIM = "kim@testby.example.org"
COORDINATOR = "samordnare@testby.example.org"


def without_yearly(folder: Path) -> Path:
    """The minimal plan with its yearly item made 'Vid behov': loaded on 29 Nov
    2024, that item's 1 Oct date has passed and its owners would get a late
    notice (tests/unit/test_escalation_order.py); these tests are about delivery."""
    path = folder / "minimal.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
                    .replace("timeline: Årligen", "timeline: Vid behov"), encoding="utf-8")
    return path


def load_minimal(app: App, clock: FixedClock) -> None:
    plans, errors = read_plans([without_yearly(app.settings.home)])
    assert not errors
    clock.at = datetime(2024, 11, 29, 6, 30, tzinfo=UTC)
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)
        run = decide_and_queue(session, app.now(), REMINDER_DAY, zone=app.settings.tz)
    assert [(a.recipient.email, a.stage) for a in run.actions] == [(KIM, "d30")]


def sender(app: App, server: SmtpServer) -> OutboxSender:
    smtp = SmtpSettings.from_url(server.url)
    return OutboxSender(app, lambda: SmtpTransport(smtp, timeout=5))


def statuses(app: App) -> list[tuple[str, str, int]]:
    with app.sessions() as session:
        return [(m.recipient_email, m.status, m.attempts) for m in session.scalars(
            select(t.OutboxMessage).order_by(t.OutboxMessage.id))]


def test_smtp_down_then_up_delivers_everything_once(app: App, clock: FixedClock) -> None:
    load_minimal(app, clock)
    server = SmtpServer()  # not started: the port refuses connections
    report = asyncio.run(sender(app, server).run())
    assert (report.sent, report.retried) == (0, 1) and report.errors
    assert statuses(app) == [(KIM, "queued", 1)]
    assert asyncio.run(sender(app, server).run()).claimed == 0  # backing off

    server.start()
    try:
        clock.at += timedelta(minutes=2)
        assert asyncio.run(sender(app, server).run()).sent == 1
        clock.at += timedelta(hours=1)
        assert asyncio.run(sender(app, server).run()).claimed == 0
        assert [str(m["To"]) for m in server.messages] == [f"Kim Kultur <{KIM}>"]
        assert statuses(app) == [(KIM, "sent", 2)]
    finally:
        server.stop()


def test_4xx_is_retried_then_delivered(app: App, clock: FixedClock,
                                       smtp_server: SmtpServer) -> None:
    load_minimal(app, clock)
    smtp_server.handler.refuse[KIM] = "451 4.3.0 Mailbox busy, try later"
    report = asyncio.run(sender(app, smtp_server).run())
    assert (report.sent, report.retried) == (0, 1)
    with app.sessions() as session:
        message = session.scalars(select(t.OutboxMessage)).one()
        assert message.last_error and message.last_error.startswith("451")
        assert message.next_attempt_at == clock.at + timedelta(minutes=1)
    smtp_server.handler.refuse.clear()
    clock.at += timedelta(minutes=1)
    assert asyncio.run(sender(app, smtp_server).run()).sent == 1
    assert len(smtp_server.to(KIM)) == 1
    with app.sessions() as session:
        message = session.scalars(select(t.OutboxMessage)).one()
        assert message.server_reply and "accepted" in message.server_reply


def test_5xx_fails_and_tells_the_coordinator(app: App, clock: FixedClock,
                                             smtp_server: SmtpServer) -> None:
    load_minimal(app, clock)
    smtp_server.handler.refuse[KIM] = "550 5.1.1 No such user"
    report = asyncio.run(sender(app, smtp_server).run())
    assert report.failed == 1
    assert statuses(app)[0] == (KIM, "failed", 1)
    notices = smtp_server.to(COORDINATOR)
    assert len(notices) == 1
    body = notices[0].get_body(("plain",)).get_content()
    assert KIM in body and "550 5.1.1 No such user" in body
    clock.at += timedelta(days=1)
    assert asyncio.run(sender(app, smtp_server).run()).claimed == 0  # never retried


def _env(settings: Settings, server: SmtpServer) -> dict[str, str]:
    return {**os.environ, "LOKFLOW_HOME": str(settings.home), "LOKFLOW_DATABASE_URL": "",
            "LOKFLOW_SMTP_URL": server.url, "LOKFLOW_PLANS_DIR": str(FIXTURES)}


def _lokflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "lokflow.cli", *args]


def test_two_sweeps_in_parallel_processes_send_each_notice_once(
    settings: Settings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = _env(settings, smtp_server)
    subprocess.run(_lokflow("sync", str(without_yearly(tmp_path))), env=env, check=True,
                   capture_output=True)
    # 2 Jan 2025: k-1.1 (due 2024-12-31) escalates to its owners (level 1).
    runs = [subprocess.Popen(_lokflow("sweep", "--today", "2025-01-02"), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    received = Counter(str(m["To"]) for m in smtp_server.messages)
    assert received == Counter({f"Kim Kultur <{KIM}>": 1})


def test_crash_between_outbox_write_and_send_delivers_once_after_restart(
    settings: Settings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = _env(settings, smtp_server)
    subprocess.run(_lokflow("sync", str(without_yearly(tmp_path))), env=env, check=True,
                   capture_output=True)
    script = tmp_path / "queue_then_hang.py"
    script.write_text(
        "import sys, time\n"
        "from datetime import date\n"
        "from lokflow.bootstrap import bootstrap\n"
        "from lokflow.engine.due_run import decide_and_queue\n"
        "app = bootstrap()\n"
        "with app.sessions.begin() as session:\n"
        "    decide_and_queue(session, app.now(), date(2025, 1, 2), zone=app.settings.tz)\n"
        "print('queued', flush=True)\n"
        "time.sleep(120)\n")
    worker = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE)
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == b"queued"
    os.kill(worker.pid, signal.SIGKILL)  # dies before sending anything
    worker.wait()
    assert smtp_server.messages == []
    for _ in range(2):  # restart, then once more: nothing twice
        subprocess.run(_lokflow("send"), env=env, check=True, capture_output=True)
    assert [str(m["To"]) for m in smtp_server.messages] == [f"Kim Kultur <{KIM}>"]


@pytest.mark.parametrize("url", ["smtp+starttls://user:s3cret@mail.example.org:587"])
def test_smtp_url_keeps_its_password_out_of_repr(url: str) -> None:
    smtp = SmtpSettings.from_url(url)
    assert (smtp.host, smtp.port, smtp.username, smtp.starttls) == (
        "mail.example.org", 587, "user", True)
    assert "s3cret" not in repr(smtp)
