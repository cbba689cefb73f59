"""The same code on PostgreSQL: migrations, loading, and real concurrent
processes deciding and sending at once (unique keys + SKIP LOCKED)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lokflow.bootstrap import bootstrap
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS, FixedClock
from tests.support.real_contacts import with_real_contacts
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.postgres


def test_plans_load_twice_without_change_on_postgres(pg_settings: Settings) -> None:
    app = bootstrap(pg_settings, clock=FixedClock(datetime(2023, 1, 1, tzinfo=UTC)))
    plans, errors = read_plans([PLANS])
    assert not errors
    with app.sessions.begin() as session:
        first = sync_plans(session, plans, app.clock)
    with app.sessions.begin() as session:
        second = sync_plans(session, plans, app.clock)
    assert sum(len(r.added) for r in first) == 157
    assert all(r.unchanged for r in second)
    app.close()


def _lokflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "lokflow.cli", *args]


def test_concurrent_sweeps_and_senders_in_processes_send_each_notice_once(
    pg_settings: Settings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    # The plans' contacts confirmed as real: placeholders are never sent over SMTP.
    plans = with_real_contacts(tmp_path / "plans")
    env = {**os.environ, "LOKFLOW_HOME": str(pg_settings.home),
           "LOKFLOW_DATABASE_URL": pg_settings.database_url, "LOKFLOW_SMTP_URL": smtp_server.url,
           "LOKFLOW_SEND_CONCURRENCY": "2", "LOKFLOW_PLANS_DIR": str(plans)}
    subprocess.run(_lokflow("sync"), env=env, check=True, capture_output=True)
    # 16 Oct 2023: Tierp's yearly items get their 30-day reminders and its
    # reporting round (six weeks before 15 Nov) is open: two sweeps that also
    # open rounds and send, and two plain senders, all at once.
    commands = [_lokflow("sweep", "--today", "2023-10-16"),
                _lokflow("sweep", "--today", "2023-10-16"), _lokflow("send"), _lokflow("send")]
    runs = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for c in commands]
    for run in runs:
        _, err = run.communicate(timeout=180)
        assert run.returncode == 0, err.decode()
    subprocess.run(_lokflow("send"), env=env, check=True, capture_output=True)

    app = bootstrap(pg_settings)
    with app.sessions() as session:
        messages = session.scalar(select(func.count()).select_from(t.OutboxMessage))
        unsent = session.scalar(select(func.count()).select_from(t.OutboxMessage).where(
            t.OutboxMessage.status != "sent"))
        items = session.scalar(select(func.count()).select_from(t.OutboxItem))
        kinds = set(session.scalars(select(t.OutboxItem.kind)))
        rounds = session.execute(select(t.ReportingRound.plan_id, t.ReportingRound.year)).all()
    app.close()
    assert {"reminder", "round_request"} <= kinds
    assert len(rounds) == len(set(rounds)) >= 1
    received = Counter(str(m["To"]) for m in smtp_server.messages)
    assert items and messages and unsent == 0
    assert sum(received.values()) == messages  # every message once, none twice
    assert max(received.values()) == 1  # one email per person that day
