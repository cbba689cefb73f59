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
from tests.conftest import FixedClock
from tests.support.meeting_plans import lulea_with_meeting_days
from tests.support.smtp_server import SmtpServer

COORDINATOR = "lok-samordnare@lulea.example.org"


@pytest.fixture
def env_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("LOKFLOW_HOME", str(home))
    monkeypatch.setenv("LOKFLOW_SMTP_URL", smtp_server.url)
    clock = FixedClock(datetime(2021, 2, 1, tzinfo=UTC))
    app = bootstrap(Settings(_env_file=None), clock=clock)
    plans, errors = read_plans([lulea_with_meeting_days(tmp_path / "plans",
                                                        real_contacts=True)])
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


def test_the_meetings_command_lists_and_makes_an_agenda(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """On the real clock (the CLI's): an open-ended plan always has meetings."""
    from sqlalchemy import func, select
    from typer.testing import CliRunner

    from lokflow.agreement.meeting_cycle import plan_document
    from lokflow.cli.app import app as cli
    from lokflow.domain.meetings import meeting_days
    from lokflow.store import tables as t
    from tests.e2e.test_meetings_browser import WITH_MEETINGS
    from tests.support.follow_up import plan_text, write_plan

    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    monkeypatch.delenv("LOKFLOW_SMTP_URL", raising=False)
    app = bootstrap(Settings(_env_file=None))
    text = plan_text(**WITH_MEETINGS, **{"  end: 2026": "  end: null"})
    plans, _ = read_plans([write_plan(tmp_path / "plans", text)])
    with app.sessions.begin() as session:
        sync_plans(session, plans, app.clock)
        plan = session.scalars(select(t.Plan)).one()
        today = app.today()
        days = meeting_days(plan_document(plan), date(today.year - 1, 1, 1),
                            date(today.year + 1, 12, 31))
    runner = CliRunner()
    listing = runner.invoke(cli, ["meetings", "foljby"])
    assert listing.exit_code == 0, listing.output
    assert listing.output.splitlines() == [
        f"{d.day.isoformat()}  agenda due {d.agenda_day.isoformat()}  no minutes" for d in days]
    made = runner.invoke(cli, ["meetings", "foljby", "--agenda", days[-1].day.isoformat()])
    assert made.exit_code == 0, made.output
    assert "agenda made, 3 emails queued" in made.output
    with app.read() as session:
        assert session.scalar(select(func.count()).select_from(t.OutboxItem).where(
            t.OutboxItem.kind == "meeting_agenda")) == 3
    app.close()
    wrong = runner.invoke(cli, ["meetings", "foljby", "--agenda", "2099-03-18"])
    assert wrong.exit_code == 1 and "is not a meeting day of foljby" in wrong.output
