"""Everything a coordinator does on the web is also in the CLI and the JSON
API: the same use cases, the same rules, the same outbox keys."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from lokflow.bootstrap import App
from lokflow.cli.app import app as cli
from lokflow.domain.statuses import Status
from lokflow.reporting.activity_columns import columns, heading
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, FixedClock
from tests.integration.test_coordinator import report
from tests.support.reporting import api_key, load_two_organisations

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    monkeypatch.delenv("LOKFLOW_SMTP_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    assert run("sync", str(FIXTURES / "minimal.yaml"))[0] == 0
    return tmp_path / "home"


def test_cli_dashboard_export_and_notices(home: Path, tmp_path: Path) -> None:
    code, out = run("dashboard", "testby", "--json")
    [found] = json.loads(out)
    # The plan ended in 2025: k-1.1 (2024) and k-1.2 (every year) stay overdue.
    assert code == 0 and (found["plan"], found["activities"], found["overdue"]) == (
        "testby", 3, 2)
    code, out = run("export", "testby", "--format", "xlsx", "--where", "overdue=1",
                    "--where", "sort=overdue", "-o", str(tmp_path / "late.xlsx"))
    assert code == 0 and "wrote 2 activities" in out
    sheet = load_workbook(tmp_path / "late.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == [heading(c, "sv") for c in columns(False)]
    assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == [
        "Kommunen 1.2", "Kommunen 1.1"]  # overdue since 2023 before overdue since 2024
    assert run("export", "testby", "--where", "from=31/12")[0] == 1

    code, out = run("remind", "testby", "k-1.1", "--preview")
    assert code == 0 and "kim@testby.example.org" in out
    assert "Påminnelse från samordnaren: rapportera läget" in out
    for _ in range(2):  # the same action twice: queued once
        code, out = run("remind", "testby", "k-1.1", "--action-id", "cli-action-0001x",
                        "--by", "Anna")
        assert code == 0
    assert "queued 0 reminder(s)" in out
    code, out = run("notices", "testby", "--kind", "manual_reminder", "--json")
    [notice] = json.loads(out)
    assert (notice["recipient"], notice["activity"], notice["status"]) == (
        "kim@testby.example.org", "k-1.1", "sent")  # delivered to the maildir
    assert len(list((home / "maildir" / "new").iterdir())) == 1


def test_cli_on_behalf_decisions_and_rounds(home: Path) -> None:
    code, out = run("report", "testby", "k-1.1", "--status", "pågår", "--reporter", "Anna",
                    "--on-behalf-of", "Kim Kultur", "--channel", "phone")
    assert code == 0, out
    assert run("report", "testby", "k-1.1", "--status", "pågår", "--channel", "phone")[0] == 1
    code, out = run("history", "testby", "k-1.1")
    assert "Anna (phone)" in out
    new = date(date.today().year + 1, 3, 31).isoformat()
    run("report", "testby", "k-1.1", "--status", "försenad", "--new-date", new, "--reason",
        "Budgeten", "--reporter", "Kim")
    assert run("dates", "accept", "1")[0] == 2  # --reason is required
    code, out = run("dates", "accept", "1", "--reason", "Rimligt skäl", "--by", "Anna")
    assert code == 0 and "1 owner contact(s) told" in out
    code, out = run("round", "open", "testby", "--year", "2031", "--preview")
    assert code == 0 and "kim@testby.example.org" in out and "rad@testby.example.org" in out
    code, out = run("round", "open", "testby", "--year", "2031")
    assert code == 0 and "answers due 2031-10-01" in out
    code, out = run("round", "remind", "testby", "--preview")
    assert code == 0 and "rad@testby.example.org" in out
    code, out = run("apikeys", "create", "--organisation", "testby", "--label", "Ärenden",
                    "--scope", "coordinator")
    assert code == 0 and "(coordinator)" in out
    assert run("apikeys", "create", "--organisation", "testby", "--label", "x",
                "--scope", "admin")[0] == 1
    assert "coordinator" in run("apikeys", "list")[1]


@pytest.fixture
def api(app: App, tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    clock.at = datetime(2023, 10, 10, 8, tzinfo=UTC)
    with TestClient(create_app(app)) as web:
        yield web


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def coordinator_key(app: App) -> str:
    with app.sessions.begin() as session:
        from lokflow.access.api_keys import create_api_key

        return create_api_key(session, "testby", "Ärenden", app.now(),
                              access="coordinator").raw


def test_api_actions_need_the_coordinator_scope(api: TestClient, app: App) -> None:
    plain = bearer(api_key(app))
    url = "/api/v1/plans/testby/activities/k-1.1/reminders"
    refused = api.post(url, headers=plain, json={})
    assert refused.status_code == 403 and refused.json()["detail"] == "forbidden"
    assert api.get("/api/v1/plans/testby/dashboard", headers=plain).status_code == 200
    key = bearer(coordinator_key(app))
    preview = api.post(url, headers=key, json={"preview": True}).json()
    assert "Påminnelse från samordnaren" in preview["emails"][0]["text"]
    first = api.post(url, headers=key, json={"action_id": "integration-0001"})
    again = api.post(url, headers=key, json={"action_id": "integration-0001"})
    assert (first.status_code, first.json()["queued"], again.json()["queued"]) == (202, 1, 0)
    assert api.post("/api/v1/plans/annanby/activities/k-1.1/reminders", headers=key,
                    json={}).status_code == 404


def test_api_on_behalf_decision_round_and_annual_report(api: TestClient, app: App) -> None:
    key = bearer(coordinator_key(app))
    base = "/api/v1/plans/testby"
    bad = api.post(f"{base}/activities/k-1.1/reports-on-behalf", headers=key,
                   json={"status": "done", "channel": "fax"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"on_behalf_of", "channel"}
    saved = api.post(f"{base}/activities/k-1.1/reports-on-behalf", headers=key, json={
        "status": "delayed", "channel": "meeting", "on_behalf_of": "Kim Kultur",
        "proposed_date": "2024-03-31", "proposed_reason": "Väntar på budget"})
    assert saved.status_code == 201 and saved.json()["channel"] == "meeting"
    with app.sessions() as session:
        change = session.scalars(select(t.DateChange)).one()
    url = f"{base}/date-changes/{change.id}/decision"
    unsaid = api.post(url, headers=key, json={"decision": "accept"})
    assert unsaid.status_code == 422 and unsaid.json()["detail"] == "decision_reason_required"
    decided = api.post(url, headers=key, json={"decision": "accept", "reason": "Rimligt"})
    assert decided.json() == {"id": change.id, "decision": "accepted", "reason": "Rimligt",
                              "owners_told": 1}
    opened = api.post(f"{base}/rounds", headers=key, json={"year": 2023,
                                                            "deadline": "2023-10-31"})
    assert opened.status_code == 200 and opened.json()["requests_queued"] == 2
    passed = api.post(f"{base}/rounds", headers=key, json={"year": 2024,
                                                            "deadline": "2023-10-01"})
    assert passed.status_code == 409 and passed.json()["detail"] == "round_deadline_passed"
    report(app, "k-1.1", Status.IN_PROGRESS)
    assert api.post(f"{base}/rounds/reminders", headers=key, json={}).json()["queued"] == 2
    compiled = api.post(f"{base}/annual-reports", headers=key, json={"year": 2023})
    same = api.post(f"{base}/annual-reports", headers=key, json={"year": 2023})
    assert (compiled.status_code, same.status_code) == (201, 200)
    assert same.json()["id"] == compiled.json()["id"] and same.json()["created"] is False
    pdf = api.get(compiled.json()["downloads"]["pdf"], headers=key)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    listing = api.get(f"{base}/annual-reports", headers=key).json()
    assert [(r["version"], r["latest"]) for r in listing] == [(1, True)]


def test_api_reads_the_tables(api: TestClient, app: App) -> None:
    key = bearer(api_key(app))
    rows = api.get("/api/v1/plans/testby/table?overdue=1&sort=overdue", headers=key).json()
    assert [r["id"] for r in rows] == ["k-1.2"]  # k-1.1 is due in 2024
    assert rows[0]["overdue_since"] == "2023-10-01" and rows[0]["escalation_level"] == 0
    wrong = api.get("/api/v1/plans/testby/table?from=31/12", headers=key)
    assert wrong.status_code == 422
    sheet = load_workbook(io.BytesIO(api.get("/api/v1/plans/testby/table.xlsx?overdue=1",
                                             headers=key).content)).worksheets[0]
    assert sheet.max_row == 2
    dashboard = api.get("/api/v1/plans/testby/dashboard", headers=key).json()
    assert dashboard["counts"]["overdue"] == {"value": 1, "query": {"overdue": "1",
                                                                     "sort": "overdue"}}
    assert api.get("/api/v1/plans/testby/notices", headers=key).json() == []
