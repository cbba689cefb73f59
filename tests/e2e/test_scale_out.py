"""Scale-out, for real, on one machine: PostgreSQL from Debian's packages, a
`prefect server` on it, a process work pool, two `prefect worker` processes,
`lokflow sync` and `lokflow deploy` for the five bundled plans, then activity
flows and a sweep triggered at once. Every expected reminder must arrive
exactly once at an SMTP server on 127.0.0.1. Everything is stopped by PID."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from lokflow.bootstrap import bootstrap
from lokflow.domain.due_actions import decide
from lokflow.engine.activity_facts import load_facts
from lokflow.plans.activity_names import activity_label
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.support.postgres import PostgresCluster
from tests.support.processes import Children, wait_healthy
from tests.support.real_contacts import with_real_contacts
from tests.support.smtp_server import SmtpServer, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.prefect_server]

DAY = date(2023, 12, 1)
PLANS = ("botkyrka", "lulea", "orebro", "tierp", "vasteras")
PREFECT = str(Path(sys.executable).parent / "prefect")


def expected_by_recipient(settings: Settings) -> tuple[dict[str, set[str]], set[str]]:
    """What the pure decision says is due on DAY, per recipient: activity
    labels; and every activity's label."""
    app = bootstrap(settings)
    with app.sessions() as session:
        facts = load_facts(session, app.settings.tz)
        labels = {a.id: activity_label(a, "sv") for a in session.query(t.Activity)}
    app.close()
    found: dict[str, set[str]] = defaultdict(set)
    for action in decide(facts, set(), DAY):
        found[action.recipient.email.lower()].add(labels[action.activity_id])
    return found, set(labels.values())


def labels_in(body: str, known: set[str]) -> set[str]:
    """The activities an email lists: each item's line starts with its label."""
    return {label for label in known if re.search(rf"^  {re.escape(label)}: ", body, re.M)}


async def run_all(api_url: str) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        runs = await asyncio.gather(
            *(run_deployment(f"activity-reminders/{plan}",
                             parameters={"plans": [plan], "today": DAY.isoformat()},
                             timeout=0)
              for plan in PLANS),
            run_deployment("safety-sweep/daily", parameters={"today": DAY.isoformat()},
                           timeout=0))
        ids = [r.id for r in runs]
        async with get_client() as client:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                states = [(await client.read_flow_run(i)).state for i in ids]
                names = [s.type.value if s else "NONE" for s in states]
                if all(n in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") for n in names):
                    return names
                await asyncio.sleep(1)
    raise TimeoutError("flow runs did not finish")


def test_server_on_postgres_two_workers_each_reminder_once(
    postgres_cluster: PostgresCluster, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    lokflow_url = postgres_cluster.create_database("lokflow_scale_out")
    postgres_cluster.create_database("prefect_scale_out", ("pg_trgm",))
    prefect_db = postgres_cluster.url("prefect_scale_out", driver="asyncpg")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LOKFLOW_"))}
    env.update({
        "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": api,
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_db,
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_WORKER_QUERY_SECONDS": "1",  # pick runs up at once, not within 10 s
        "LOKFLOW_HOME": str(tmp_path / "home"), "LOKFLOW_DATABASE_URL": lokflow_url,
        "LOKFLOW_SMTP_URL": smtp_server.url, "LOKFLOW_WORK_POOL": "scale-out",
        # Contacts confirmed as real: placeholders are never sent over SMTP.
        "LOKFLOW_PLANS_DIR": str(with_real_contacts(tmp_path / "plans")),
    })
    children = Children(tmp_path)
    try:
        server = children.start([PREFECT, "server", "start", "--host", "127.0.0.1",
                                 "--port", str(port)], env, "server")
        wait_healthy(f"{api}/health", server)
        subprocess.run([PREFECT, "work-pool", "create", "scale-out", "--type", "process"],
                       env=env, check=True, capture_output=True)
        for n in (1, 2):
            children.start([PREFECT, "worker", "start", "--pool", "scale-out", "--limit", "4",
                            "--name", f"worker-{n}"], env, f"worker-{n}")
        lokflow = [sys.executable, "-m", "lokflow.cli"]
        subprocess.run([*lokflow, "sync"], env=env, check=True, capture_output=True)
        deployed = subprocess.run([*lokflow, "deploy"], env=env, check=True,
                                  capture_output=True, text=True)
        # 5 plans x 2, Luleå's dialogue meetings, the sweep, the rounds and the sender
        assert "created 14" in deployed.stdout, deployed.stdout

        settings = Settings(home=tmp_path / "home", database_url=lokflow_url,
                            _env_file=None)  # type: ignore[call-arg]
        expected, known = expected_by_recipient(settings)
        assert len(expected) >= 5

        states = asyncio.run(run_all(api))
        assert states == ["COMPLETED"] * 6, children.log("worker-1") + children.log("worker-2")
    finally:
        children.stop_all()

    received: dict[str, list[str]] = defaultdict(list)
    for message in smtp_server.messages:
        body = message.get_body(("plain",)).get_content()
        address = re.search(r"<([^>]+)>", str(message["To"]))
        assert address
        received[address.group(1).lower()].append(body)
    assert set(received) == set(expected)
    for email, bodies in received.items():
        assert len(bodies) == 1, f"{email} got {len(bodies)} emails"
        assert labels_in(bodies[0], known) == expected[email], email
