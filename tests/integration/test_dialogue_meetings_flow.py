"""The dialogue-meetings flow on Prefect's test harness, building its app from
the environment as a worker does, with mail to a real SMTP server on
127.0.0.1: on Luleå's agenda day it makes the agenda and sends it with the
invitation once; its deployment runs on the agenda days."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lokflow.bootstrap import bootstrap
from lokflow.orchestration.deployment_specs import MEETINGS_FLOW, desired_deployments
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings
from tests.conftest import PLANS, FixedClock
from tests.support.smtp_server import SmtpServer

COORDINATOR = "lok-samordnare@lulea.example.org"


@pytest.fixture
def env_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("LOKFLOW_HOME", str(home))
    monkeypatch.setenv("LOKFLOW_SMTP_URL", smtp_server.url)
    clock = FixedClock(datetime(2021, 2, 1, tzinfo=UTC))
    app = bootstrap(Settings(_env_file=None), clock=clock)
    plans, errors = read_plans([PLANS / "lulea.yaml"])
    assert not errors
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)
        specs = [s for s in desired_deployments(session, app.settings, date(2021, 2, 1))
                 if s.flow_name == MEETINGS_FLOW]
    app.close()
    [spec] = specs
    assert spec.name == "lulea" and "RDATE:20210304T" in spec.schedules[0].value
    return home


def test_the_flow_sends_the_agenda_once(prefect_harness: None, env_home: Path,
                                        smtp_server: SmtpServer) -> None:
    from flows.dialogue_meetings import dialogue_meetings

    result = asyncio.run(dialogue_meetings("lulea", today="2021-03-04"))
    assert (result["agendas"], result["queued"], result["failed"]) == (1, 1, 0)
    assert result["sent"] >= 1
    [message] = smtp_server.to(COORDINATOR)
    names = sorted(part.get_filename() or "" for part in message.iter_attachments())
    assert names == ["dagordning-lulea-2021-03-18.pdf", "dialogmote-lulea-2021-03-18.ics"]
    again = asyncio.run(dialogue_meetings("lulea", today="2021-03-05"))  # a rerun
    assert (again["agendas"], again["queued"]) == (0, 0)
    assert len(smtp_server.to(COORDINATOR)) == 1
