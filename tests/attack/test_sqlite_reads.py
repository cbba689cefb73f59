"""Reads never wait for SQLite's write lock.

A writer in another process takes the write lock (`BEGIN IMMEDIATE`, as a
sync does) and holds it. Meanwhile a feed, an API GET, the owner's report
page, a coordinator page, /healthz and the CLI's read commands must all
answer, and each answer must come while the lock is still held; they show
the last committed data. Write units of work keep `BEGIN IMMEDIATE`: two
read-then-write units still queue instead of deadlocking, and a read session
cannot write at all (SQLite and PostgreSQL).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from lokflow.bootstrap import App, bootstrap
from lokflow.cli.app import app as cli
from lokflow.engine.reporting_rounds import current_year, open_round
from lokflow.feeds.subscriptions import FeedSpec, ensure, links
from lokflow.settings import Settings
from lokflow.store import database
from lokflow.store import tables as t
from tests.conftest import PLANS
from tests.support.feed_data import sync
from tests.support.reporting import PASSWORD, api_key, coordinator, hidden, report_link
from tests.support.web_server import WebServer

BLOCKED = 20  # seconds: only to detect a request stuck behind the lock
MARK = "LOCKTEST"
OWNER = "lok-samordnare@tierp.example.org"  # contact of unit `kommun` in Tierp

# A writer in its own process: lokflow's write unit of work (BEGIN IMMEDIATE)
# changes kommun-1.2's text and holds the lock until told to commit.
WRITER = f"""
import sys
from datetime import UTC, datetime
from sqlalchemy import select
from lokflow.bootstrap import bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
app = bootstrap(Settings(home=sys.argv[1], database_url="", _env_file=None))
with app.sessions.begin() as session:
    activity = session.scalars(select(t.Activity).join(t.Plan).where(
        t.Plan.slug == "tierp", t.Activity.key == "kommun-1.2")).one()
    activity.text += " {MARK}"
    activity.updated_at = datetime.now(UTC)
    session.flush()
    print("holding", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


def write_lock_is_held(database: Path) -> bool:
    """Ask SQLite itself: can anyone else take the write lock right now?"""
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        if probe.in_transaction:
            probe.execute("ROLLBACK")
        probe.close()
    return False


@contextmanager
def writer_holding_the_lock(home: Path) -> Iterator[subprocess.Popen[str]]:
    """A child process holding the write lock until the block ends (then it commits)."""
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(home)], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    try:
        assert process.stdout.readline().strip() == "holding"
        assert write_lock_is_held(home / "lokflow.db")
        yield process
        process.stdin.write("\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "released"
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def answered_under_lock(home: Path, call: Callable[[], Any]) -> Any:
    """`call`'s result, which must come while the writer still holds the lock."""
    pool = ThreadPoolExecutor(1)
    try:
        result = pool.submit(call).result(timeout=BLOCKED)
    finally:
        pool.shutdown(wait=False)  # a stuck call must not hold the test up too
    assert write_lock_is_held(home / "lokflow.db"), "the writer let go before the answer"
    return result


@pytest.fixture
def loaded(tmp_path: Path) -> Iterator[App]:
    """All bundled plans on an SQLite file, with the real clock (the server's)."""
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None))  # type: ignore[call-arg]
    sync(app, PLANS)
    yield app
    app.close()


def _login(client: httpx.Client) -> None:
    form = client.get("/samordnare/logga-in").text
    answer = client.post("/samordnare/logga-in", data={
        "username": "anna", "password": PASSWORD, "next": "/samordnare",
        "csrf": hidden(form, "csrf")})
    assert answer.status_code == 303 and "lokflow_session" in client.cookies


def _api_key_used(home: Path) -> bool:
    """Read with plain sqlite3 (a WAL reader), so the check itself never waits."""
    database = sqlite3.connect(home / "lokflow.db")
    try:
        stamps = database.execute("SELECT last_used_at FROM access_tokens WHERE scope = 'api'")
        return any(stamp is not None for (stamp,) in stamps)
    finally:
        database.close()


def test_web_reads_answer_while_a_writer_holds_the_lock(loaded: App, tmp_path: Path) -> None:
    home = loaded.settings.home
    with loaded.sessions.begin() as session:
        feed = ensure(session, loaded, FeedSpec("plan", "tierp")).raw
    assert feed is not None
    key = api_key(loaded, "tierp")
    owner = report_link(loaded, OWNER, organisation="tierp")
    coordinator(loaded, "anna", "tierp")
    server = WebServer(home).start()
    base = server.base_url
    feed_path = links(loaded.settings, feed).https.removeprefix(loaded.settings.base_url)
    bearer = {"Authorization": f"Bearer {key}"}
    try:
        with httpx.Client(base_url=base, timeout=BLOCKED, follow_redirects=False) as client:
            _login(client)
            with writer_holding_the_lock(home):
                calendar = answered_under_lock(home, lambda: client.get(feed_path))
                assert calendar.status_code == 200, calendar.text
                unfolded = calendar.text.replace("\r\n ", "")
                assert "Kommunen 1.2 LÖK Tierp" in unfolded and MARK not in unfolded

                api = answered_under_lock(home, lambda: client.get(
                    "/api/v1/plans/tierp/activities", headers=bearer))
                assert api.status_code == 200, api.text
                texts = {a["id"]: a["text"] for a in api.json()}
                assert "kommun-1.2" in texts and MARK not in texts["kommun-1.2"]
                assert not _api_key_used(home)  # the stamp never waits for the lock

                page = answered_under_lock(home, lambda: client.get(f"/rapport/{owner}"))
                assert page.status_code == 200, page.text
                assert "Informera internt i kommunen" in page.text and MARK not in page.text
                assert "/feeds/" not in page.text  # no personal feed can be made just now

                plan = answered_under_lock(home, lambda: client.get(
                    "/samordnare/planer/tierp"))
                assert plan.status_code == 200, plan.text
                table = answered_under_lock(home, lambda: client.get(
                    "/samordnare/planer/tierp/aktiviteter"))
                assert table.status_code == 200, table.text
                assert "Informera internt i kommunen" in table.text and MARK not in table.text

                health = answered_under_lock(home, lambda: client.get("/healthz"))
                assert health.status_code == 200 and health.json() == {"status": "ok"}

            assert not write_lock_is_held(home / "lokflow.db")
            changed = client.get(feed_path)
            assert MARK in changed.text.replace("\r\n ", "")  # the commit is seen at once
            assert client.get("/api/v1/plans/tierp/activities", headers=bearer).is_success
            assert _api_key_used(home)  # with the lock free, the stamp is written
            again = client.get(f"/rapport/{owner}")
            assert again.status_code == 200 and "/feeds/" in again.text
    finally:
        server.stop()


def test_cli_read_commands_answer_while_a_writer_holds_the_lock(
    loaded: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = loaded.settings.home
    with loaded.sessions.begin() as session:
        tierp = session.scalars(select(t.Plan).where(t.Plan.slug == "tierp")).one()
        year = current_year(session, tierp, loaded.today())
        open_round(session, tierp, year, loaded.now(), loaded.today())
        ensure(session, loaded, FeedSpec("plan", "tierp"))
    monkeypatch.setenv("LOKFLOW_HOME", str(home))
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    runner = CliRunner()
    commands = {
        ("plans",): "LÖK Tierp",
        ("activities", "--plan", "tierp"): "kommun-1.2",
        ("show", "tierp", "kommun-1.2"): "Informera internt i kommunen",
        ("outbox",): "recipient",
        ("history", "tierp", "kommun-1.2"): "no reports yet",
        ("round", "status", "tierp", "--year", str(year)): f"tierp {year}: open",
        ("feeds", "list"): "plan         tierp",
    }
    with writer_holding_the_lock(home):
        for args, expected in commands.items():
            result = answered_under_lock(home, lambda a=args: runner.invoke(cli, list(a)))
            assert result.exit_code == 0, (args, result.output, result.exception)
            assert expected in result.output and MARK not in result.output, args


def test_two_read_then_write_units_queue_instead_of_deadlocking(app: App) -> None:
    with app.sessions.begin() as session:
        session.add(t.Organisation(slug="counter", name="0"))
    both_read = threading.Barrier(2)

    def add_one() -> None:
        with app.sessions.begin() as session:
            row = session.scalars(select(t.Organisation).where(
                t.Organisation.slug == "counter")).one()
            value = int(row.name)
            with suppress(threading.BrokenBarrierError):  # the other unit cannot read now
                both_read.wait(timeout=1)
            row.name = str(value + 1)

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(add_one), pool.submit(add_one)]:
            done.result(timeout=60)
    with app.sessions() as session:
        assert session.scalars(select(t.Organisation.name).where(
            t.Organisation.slug == "counter")).one() == "2"


@pytest.fixture
def any_app(either_settings: Settings) -> Iterator[App]:
    application = bootstrap(either_settings)
    with application.sessions.begin() as session:
        session.add(t.Organisation(slug="kept", name="as it was"))
    yield application
    application.close()


def test_a_read_session_refuses_to_write(any_app: App) -> None:
    with any_app.read() as session:
        row = session.scalars(select(t.Organisation)).one()
        row.name = "changed"
        with pytest.raises(database.ReadOnlySession):
            session.flush()
    with any_app.read() as session, pytest.raises(DBAPIError):
        session.execute(update(t.Organisation).values(name="changed by SQL"))
    with any_app.read() as session, pytest.raises(database.ReadOnlySession):
        session.add(t.Organisation(slug="new", name="new"))
        session.flush()
    with any_app.read() as session:
        assert [(o.slug, o.name) for o in session.scalars(select(t.Organisation))] == [
            ("kept", "as it was")]


def test_read_transactions_are_read_only_and_write_transactions_are_not(any_app: App) -> None:
    if any_app.engine.dialect.name != "postgresql":
        with any_app.read() as session:
            assert session.execute(text("PRAGMA query_only")).scalar() == 1
        with any_app.sessions() as session:
            assert session.execute(text("PRAGMA query_only")).scalar() == 0
        return
    with any_app.read() as session:
        assert session.execute(text("SHOW transaction_read_only")).scalar() == "on"
    with any_app.sessions() as session:
        assert session.execute(text("SHOW transaction_read_only")).scalar() == "off"


def test_a_write_that_must_not_wait_gives_up_at_once_and_writers_still_wait(
    loaded: App
) -> None:
    home = loaded.settings.home

    def rename(name: str, nowait: bool) -> str:
        try:
            with loaded.write_if_free() if nowait else loaded.sessions.begin() as session:
                session.execute(update(t.Organisation).where(t.Organisation.slug == "tierp")
                                .values(name=name))
        except database.Busy:
            return "busy"
        return "written"

    with ThreadPoolExecutor(1) as pool:
        with writer_holding_the_lock(home):
            assert answered_under_lock(home, lambda: rename("never", nowait=True)) == "busy"
            queued = pool.submit(rename, "after the writer", nowait=False)
            assert write_lock_is_held(home / "lokflow.db") and not queued.done()
        assert queued.result(timeout=60) == "written"  # a write unit waits its turn
    with loaded.read() as session:
        assert session.scalars(select(t.Organisation.name).where(
            t.Organisation.slug == "tierp")).one() == "after the writer"
    assert rename("free now", nowait=True) == "written"
