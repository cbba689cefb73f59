"""What the outbox fault cases share: queue one message to each of many people,
count what an SMTP server accepted against what was queued, and run the SMTP
server and `lokflow send` as child processes that the test stops (or kills) by
PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.domain.due_actions import Person
from lokflow.engine.outbox import FAILED, SENT, Notice, queue_notices
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FIXTURES
from tests.support.processes import Children
from tests.support.smtp_server import free_port

COORDINATOR = "samordnare@testby.example.org"


def person(n: int) -> str:
    return f"person{n}@attack.example.org"


def queue_people(app: App, count: int) -> list[int]:
    """Load the minimal plan and queue one reminder to each of `count` people;
    returns the outbox message ids."""
    plans, errors = read_plans([FIXTURES / "minimal.yaml"])
    assert not errors
    day = app.today()
    with app.sessions.begin() as session:
        sync_plans(session, plans, app.now)
        activity = session.scalars(select(t.Activity).order_by(t.Activity.id)).first()
        assert activity is not None
        notices = [
            Notice(key=f"attack|{n}", plan_id=activity.plan_id, kind="reminder", stage="d30",
                   recipient=Person(person(n), f"Person {n}"), planned_day=day,
                   activity_id=activity.id, occurrence_key="deadline",
                   due=day + timedelta(days=30))
            for n in range(count)
        ]
        result = queue_notices(session, notices, app.now(), day)
    assert len(result.messages) == count
    return sorted(result.messages)


@dataclass(frozen=True)
class Tally:
    """Queued messages against what the server accepted (by Message-ID)."""

    queued: int
    delivered: int
    duplicates: int
    lost: int
    failed: int
    unfinished: int

    def line(self, case: str) -> str:
        return (f"{case}: queued {self.queued} delivered {self.delivered} "
                f"duplicates {self.duplicates} lost {self.lost} failed {self.failed} "
                f"unfinished {self.unfinished}")


def tally(app: App, message_ids: list[int], received: list[str]) -> Tally:
    """Lost: neither accepted by the server nor marked failed. Duplicates:
    accepted copies beyond the first. Unfinished: rows not `sent`/`failed`."""
    with app.sessions() as session:
        rows = session.execute(select(
            t.OutboxMessage.id, t.OutboxMessage.message_header_id, t.OutboxMessage.status)
            .where(t.OutboxMessage.id.in_(message_ids))).all()
    header = {row.id: row.message_header_id for row in rows}
    ours = [r for r in received if r in set(header.values())]
    distinct = set(ours)
    failed = {row.id for row in rows if row.status == FAILED}
    lost = [m for m in message_ids if header.get(m) not in distinct and m not in failed]
    unfinished = [row.id for row in rows if row.status not in (SENT, FAILED)]
    return Tally(len(message_ids), len(distinct), len(ours) - len(distinct), len(lost),
                 len(failed), len(unfinished))


class OffsetClock:
    """The system clock moved by a fixed offset (the only fake the suite allows)."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def wait_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class SmtpProcess:
    """aiosmtpd in its own process, appending each accepted Message-ID to a file."""

    def __init__(self, children: Children, folder: Path, delay_ms: float) -> None:
        self.port = free_port()
        self.record = folder / "received.txt"
        self.record.touch()
        process = children.start(
            [sys.executable, "-m", "tests.support.smtp_server", "--port", str(self.port),
             "--record", str(self.record), "--delay-ms", str(delay_ms)],
            dict(os.environ), "smtp")
        wait_port(self.port, process)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def received(self) -> list[str]:
        return [line.split(" ", 1)[0] for line in self.record.read_text().splitlines()]


def sender_env(settings: Settings, smtp_url: str, lease_seconds: int) -> dict[str, str]:
    return {**os.environ, "LOKFLOW_HOME": str(settings.home),
            "LOKFLOW_DATABASE_URL": settings.database_url, "LOKFLOW_SMTP_URL": smtp_url,
            "LOKFLOW_SEND_CONCURRENCY": str(settings.send_concurrency),
            "LOKFLOW_SEND_LEASE_SECONDS": str(lease_seconds),
            "LOKFLOW_PLANS_DIR": str(FIXTURES)}


def lokflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "lokflow.cli", *args]


def kill_at(server: SmtpProcess, process: subprocess.Popen[bytes], count: int,
            extra_seconds: float, timeout: float = 60) -> bool:
    """SIGKILL `process` (by PID, its whole group) once the server has accepted
    `count` messages and `extra_seconds` more have passed. False if the sender
    finished first."""
    deadline = time.monotonic() + timeout
    while len(server.received()) < count:
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server never reached {count} messages")
        time.sleep(0.002)
    time.sleep(extra_seconds)
    if process.poll() is not None:
        return False
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return True
