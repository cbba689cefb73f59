"""Fault injection on the outbox, on SQLite and PostgreSQL: a real aiosmtpd
that answers slowly, refuses with 4xx/5xx or drops the connection, senders
that outlive their lease or lose it, and sender processes killed with SIGKILL
at seeded random points. Each case prints queued/delivered/duplicates/lost
and asserts nothing is lost and nothing is sent twice, except the documented
bound for SIGKILL: at most the messages in flight on the killed sender's SMTP
connections (its send concurrency)."""

from __future__ import annotations

import asyncio
import random
import re
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from lokflow.bootstrap import App, bootstrap
from lokflow.delivery.sender import OutboxSender, SendReport
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.engine.outbox import QUEUED, SENDING
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.attack.outbox_harness import (
    COORDINATOR,
    OffsetClock,
    SmtpProcess,
    kill_at,
    lokflow,
    person,
    queue_people,
    sender_env,
    tally,
)
from tests.conftest import FIXTURES, FixedClock
from tests.support.processes import Children
from tests.support.smtp_server import Handler, SmtpServer

START = datetime(2024, 11, 29, 6, 30, tzinfo=UTC)
NO_SUCH_USER = "550 5.1.1 No such user"


# The senders in this process render a few emails per chunk, so every case
# here sends while the rest of its batch is still being rendered.
SMALL_RENDER_CHUNK = 4


def fault_settings(tmp_path: Path, database_url: str, **values: Any) -> Settings:
    return Settings(home=tmp_path / "home", database_url=database_url,  # type: ignore[call-arg]
                    plans_dir=FIXTURES, _env_file=None, **values)


def smtp_sender(app: App, url: str, worker: str) -> OutboxSender:
    smtp = SmtpSettings.from_url(url)
    return OutboxSender(app, lambda: SmtpTransport(smtp, timeout=5), worker=worker,
                        render_chunk=SMALL_RENDER_CHUNK)


def accepted_ids(server: SmtpServer) -> list[str]:
    return [str(m["Message-ID"]) for m in server.messages]


def backend(database_url: str) -> str:
    return "postgresql" if database_url else "sqlite"


def test_a_batch_outlasting_its_lease_is_not_taken_and_sent_again(
    database_url: str, tmp_path: Path
) -> None:
    """Issue 10, defect 1: each message takes 2 minutes (on the test clock), so
    the first sender's batch runs past its 10-minute lease; a second sender
    starting then must find nothing to take."""
    clock = FixedClock(START)
    app = bootstrap(fault_settings(tmp_path, database_url, send_concurrency=1,
                                   send_lease_seconds=600), clock=clock)

    def two_minutes() -> None:
        clock.at += timedelta(minutes=2)

    server = SmtpServer(handler=Handler(before_answer=two_minutes)).start()
    try:
        ids = queue_people(app, 12)

        async def two_senders() -> tuple[SendReport, SendReport, bool]:
            first = asyncio.create_task(smtp_sender(app, server.url, "first").run())
            while len(server.messages) < 6 and not first.done():
                await asyncio.sleep(0.002)
            first_busy = not first.done()
            second = await smtp_sender(app, server.url, "second").run()
            return await first, second, first_busy

        first, second, first_busy = asyncio.run(two_senders())
        result = tally(app, ids, accepted_ids(server))
        print(result.line(f"slow SMTP, batch longer than its lease, {backend(database_url)}"))
        assert first_busy and clock.at - START >= timedelta(minutes=24)
        assert (result.lost, result.duplicates, result.unfinished) == (0, 0, 0)
        assert (first.sent, second.claimed) == (12, 0)
    finally:
        server.stop()
        app.close()


def test_a_sender_that_lost_its_lease_sends_and_records_nothing_more(
    database_url: str, tmp_path: Path
) -> None:
    """The first sender hangs on its first message longer than its lease (as a
    paused process would); a second sender takes the batch over. When the first
    wakes up it may neither record that message nor send the rest: the only
    copy twice is the one that was on the wire when it lost the lease."""
    clock = FixedClock(START)
    app = bootstrap(fault_settings(tmp_path, database_url, send_concurrency=1,
                                   send_lease_seconds=600), clock=clock)
    stalled, resumed = threading.Event(), threading.Event()

    async def hang_once() -> None:
        if stalled.is_set():
            return
        clock.at += timedelta(minutes=11)
        stalled.set()
        while not resumed.is_set():
            await asyncio.sleep(0.002)

    server = SmtpServer(handler=Handler(before_answer=hang_once)).start()
    try:
        ids = queue_people(app, 5)

        async def takeover() -> tuple[SendReport, SendReport]:
            first = asyncio.create_task(smtp_sender(app, server.url, "first").run())
            while not stalled.is_set():
                await asyncio.sleep(0.002)
            second = await smtp_sender(app, server.url, "second").run()
            resumed.set()
            return await first, second

        first, second = asyncio.run(takeover())
        received = accepted_ids(server)
        result = tally(app, ids, received)
        print(result.line(f"lease lost mid-send, {backend(database_url)}"))
        with app.sessions() as session:
            rows = session.execute(select(t.OutboxMessage.id, t.OutboxMessage.status,
                                          t.OutboxMessage.claimed_by, t.OutboxMessage.server_reply)
                                   .where(t.OutboxMessage.id.in_(ids))).all()
        assert (result.lost, result.duplicates, result.unfinished) == (0, 1, 0)
        assert received.count(received[0]) == 2  # the one on the wire, nothing else
        assert (first.sent, second.sent) == (0, 5)
        assert {(r.status, r.claimed_by) for r in rows} == {("sent", "second")}
    finally:
        server.stop()
        app.close()


FAULTS: dict[str, dict[str, Any]] = {
    "4xx": {"busy_first": 1},
    "5xx": {"refuse": {person(3): NO_SUCH_USER, person(7): NO_SUCH_USER}},
    "drop": {"drop_every": 3},
    "all at once": {"delay": 0.005, "busy_first": 1, "drop_every": 4,
                    "refuse": {person(5): NO_SUCH_USER}},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_smtp_faults_lose_nothing_and_send_nothing_twice(
    fault: str, database_url: str, tmp_path: Path
) -> None:
    """Two senders at once, run again after each backoff until nothing is left."""
    clock = FixedClock(START)
    app = bootstrap(fault_settings(tmp_path, database_url, send_concurrency=2), clock=clock)
    handler = Handler(**FAULTS[fault])
    server = SmtpServer(handler=handler).start()
    try:
        ids = queue_people(app, 12)
        refused = set(handler.refuse)
        failed = 0
        for round_ in range(8):
            async def together() -> list[SendReport]:
                return list(await asyncio.gather(smtp_sender(app, server.url, "a").run(),
                                                 smtp_sender(app, server.url, "b").run()))
            reports = asyncio.run(together())
            failed += sum(r.failed for r in reports)
            if round_ == 0 and fault == "5xx":  # the coordinator hears in the same run
                notices = " ".join(m.get_body(("plain",)).get_content()
                                   for m in server.to(COORDINATOR))
                assert all(address in notices for address in refused)
            with app.sessions() as session:
                left = session.scalar(select(t.OutboxMessage.id).where(
                    t.OutboxMessage.status.in_((QUEUED, SENDING))).limit(1))
            if left is None:
                break
            clock.at += timedelta(hours=3)
        received = accepted_ids(server)
        result = tally(app, ids, received)
        print(result.line(f"{fault} on {backend(database_url)}"))
        assert (result.lost, result.duplicates, result.unfinished) == (0, 0, 0)
        assert (result.failed, failed) == (len(refused), len(refused))
        assert set(handler.refused_ids) <= set(received)  # same Message-ID on every try
        if refused:
            notices = " ".join(m.get_body(("plain",)).get_content()
                               for m in server.to(COORDINATOR))
            assert all(notices.count(address) == 1 for address in refused)
    finally:
        server.stop()
        app.close()


def test_messages_failing_on_their_last_try_are_counted_and_reported_in_the_same_run(
    database_url: str, tmp_path: Path
) -> None:
    """Issue 10, defect 3: `lokflow send` marked two messages failed (their last
    try got 451) but printed "failed 0", and the coordinator heard only on the
    next run."""
    settings = fault_settings(tmp_path, database_url, send_concurrency=2)
    app = bootstrap(settings)
    server = SmtpServer().start()
    try:
        ids = queue_people(app, 2)  # nothing else in the run: no later batch to carry the notice
        for n in (0, 1):
            server.handler.refuse[person(n)] = "451 4.2.2 Mailbox full, try later"
        env = {**sender_env(settings, server.url, 600), "LOKFLOW_SEND_MAX_ATTEMPTS": "1"}
        run = subprocess.run(lokflow("send"), env=env, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        result = tally(app, ids, accepted_ids(server))
        print(result.line(f"last try 4xx, {backend(database_url)}"), "|", run.stdout.strip())
        notices = " ".join(m.get_body(("plain",)).get_content() for m in server.to(COORDINATOR))
        told = [notices.count(person(n)) for n in (0, 1)]
        assert (re.search(r"\bfailed 2\b", run.stdout) is not None, told) == (True, [1, 1])
        assert (result.lost, result.duplicates, result.failed, result.unfinished) == (0, 0, 2, 0)
    finally:
        server.stop()
        app.close()


def test_slow_smtp_and_a_second_sender_process_after_the_lease_ran_out(
    database_url: str, tmp_path: Path
) -> None:
    """The operator's case in real time: a short lease, a slow server, and a
    second `lokflow send` started once the first one's initial lease is over.
    The lease is a few seconds, not one, so that a busy CI machine (two test
    workers on two cores) cannot starve the first sender's renewals past it."""
    lease = 4
    settings = fault_settings(tmp_path, database_url, send_concurrency=2)
    app = bootstrap(settings)
    children = Children(tmp_path)
    try:
        server = SmtpProcess(children, tmp_path, delay_ms=200)
        ids = queue_people(app, 120)  # 12 s of sending: the second starts well before the end
        env = sender_env(settings, server.url, lease_seconds=lease)
        first = children.start(lokflow("send"), env, "first")
        while len(server.received()) < 2:
            assert first.poll() is None, children.log("first")
            time.sleep(0.01)
        time.sleep(lease + 0.5)  # the first sender's claim is older than its lease now
        second = children.start(lokflow("send"), env, "second")
        assert second.wait(timeout=120) == 0, children.log("second")
        first_still_sending = first.poll() is None
        assert first.wait(timeout=120) == 0, children.log("first")
        result = tally(app, ids, server.received())
        print(result.line(f"slow SMTP, two sender processes, {backend(database_url)}"))
        assert first_still_sending  # the second really ran beside the first
        assert "sent 0," in children.log("second")
        assert (result.lost, result.duplicates, result.unfinished) == (0, 0, 0)
    finally:
        children.stop_all()
        app.close()


def test_senders_killed_at_random_points_resend_at_most_what_was_in_flight(
    database_url: str, tmp_path: Path
) -> None:
    """Issue 10, defect 2: SIGKILL two `lokflow send` processes mid-batch at
    seeded random points, then let a clean sender finish after the lease."""
    concurrency = 2
    settings = fault_settings(tmp_path, database_url, send_concurrency=concurrency)
    app = bootstrap(settings)
    children = Children(tmp_path)
    rng = random.Random(f"sigkill-{backend(database_url)}")
    try:
        server = SmtpProcess(children, tmp_path, delay_ms=15)
        ids = queue_people(app, 60)
        env = sender_env(settings, server.url, lease_seconds=1)
        segments = []  # where each killed sender's accepted messages lie in the record
        for name in ("first", "second"):
            before = len(server.received())
            process = children.start(lokflow("send"), env, name)
            killed = kill_at(server, process, before + rng.randint(6, 20), rng.uniform(0, 0.015))
            time.sleep(1.2)  # the killed sender's lease runs out (and its last DATA lands)
            segments.append((before, len(server.received()) if killed else 0))
        clean = bootstrap(settings, clock=OffsetClock(timedelta(hours=1)))
        try:
            asyncio.run(smtp_sender(clean, server.url, "clean").run())
        finally:
            clean.close()
        received = server.received()
        result = tally(app, ids, received)
        resent = [len(set(received[a:b]) & set(received[b:])) for a, b in segments if b]
        print(result.line(f"SIGKILL, resent per kill {resent}, {backend(database_url)}"))
        assert (result.lost, result.unfinished) == (0, 0)
        assert result.duplicates <= concurrency * len(segments)
        assert len(resent) == 2 and max(resent) <= concurrency  # both killed mid-batch
        assert sum(resent) == result.duplicates  # every copy is one a kill left unrecorded
    finally:
        children.stop_all()
        app.close()
