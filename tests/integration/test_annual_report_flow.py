"""The annual-report flow on Prefect's test harness (a real, temporary Prefect
server), building its app from the environment as a worker does, with mail
to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lokflow.bootstrap import bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.support.report_history import seeded_copy
from tests.support.smtp_server import SmtpServer

COORDINATOR = "lok-samordnare@tierp.example.org"


@pytest.fixture
def env_home(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
             monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer) -> Path:
    """Tierp with three years of history; everything the seeding queued is
    already delivered (to the maildir), so the flow sends only its own mail.
    Its contacts are confirmed as real: placeholders are never sent over SMTP."""
    home = tmp_path / "home"
    monkeypatch.setenv("LOKFLOW_HOME", str(home))
    monkeypatch.setenv("LOKFLOW_SMTP_URL", smtp_server.url)
    seeded_copy(tmp_path_factory, home, ("tierp",), datetime(2021, 12, 1, tzinfo=UTC),
                send_from_year=2022, real_contacts=True)  # seeded once per run, copied
    return home


def pdf_attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    return [(part.get_filename() or "", part.get_content())
            for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"]


def stored_reports() -> int:
    app = bootstrap(Settings(_env_file=None))
    with app.sessions() as session:
        count = session.scalar(select(func.count()).select_from(t.AnnualReport)) or 0
    app.close()
    return count


def test_flow_compiles_stores_and_emails_the_report_once(
        prefect_harness: None, env_home: Path, smtp_server: SmtpServer, tmp_path: Path) -> None:
    from flows.annual_report import annual_report

    follow_up = "2024-11-15T20:00:00+01:00"
    result = asyncio.run(annual_report("tierp", as_of=follow_up))
    assert (result["year"], result["as_of"], result["created"]) == (2024, follow_up, True)
    assert (result["queued"], result["sent"], result["failed"]) == (1, 1, 0)
    [message] = smtp_server.to(COORDINATOR)
    assert str(message["Subject"]) == "Årlig uppföljning 2024 — LÖK Tierp"
    [(name, pdf)] = pdf_attachments(message)  # type: ignore[arg-type]
    assert name == "arlig-uppfoljning-tierp-2024.pdf" and pdf.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Årlig uppföljning 2024" in text and "Kommunen 1.1" in text
    assert "Civilsamhället 6.3" in text  # activities by their readable labels

    again = asyncio.run(annual_report("tierp", as_of=follow_up))  # a retry or a rerun
    assert (again["report"], again["created"], again["queued"], again["sent"]) == (
        result["report"], False, 0, 0)
    assert len(smtp_server.messages) == 1 and stored_reports() == 1


def test_a_late_scheduled_run_reads_the_data_as_of_its_scheduled_time(
        prefect_harness: None, env_home: Path, smtp_server: SmtpServer) -> None:
    """Deployments pass only the plan. Here the run was scheduled for the
    follow-up evening of 2023 and a worker picks it up only now: the report is
    still 2023's, with the data as of that evening."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow_async
    from prefect.states import Scheduled

    from flows.annual_report import annual_report

    scheduled = datetime(2023, 11, 15, 19, 0, tzinfo=UTC)

    async def scheduled_run() -> dict[str, Any]:
        async with get_client() as client:
            run = await client.create_flow_run(
                annual_report, parameters={"plan": "tierp"},
                state=Scheduled(scheduled_time=scheduled))
        result = await run_flow_async(annual_report, flow_run=run,
                                      parameters={"plan": "tierp"})
        assert isinstance(result, dict)
        return result

    result = asyncio.run(scheduled_run())
    assert (result["year"], result["as_of"], result["sent"]) == (
        2023, "2023-11-15T20:00:00+01:00", 1)
    assert [pdf_attachments(m)[0][0] for m in smtp_server.to(COORDINATOR)] == [  # type: ignore[arg-type]
        "arlig-uppfoljning-tierp-2023.pdf"]
