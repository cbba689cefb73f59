"""The coordinator's dashboards, tables, sent log and actions on PostgreSQL:
the same answers as on SQLite (the queries are new: grouped reads, JSON
fields, one-statement watermarks, savepoints for previews)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.domain.statuses import Status
from lokflow.engine.due_run import decide_and_queue
from lokflow.settings import Settings
from lokflow.web.app import create_app
from tests.conftest import FIXTURES
from tests.integration.test_coordinator import login, report
from tests.integration.test_coordinator_dashboard import shown, tiles
from tests.support.reporting import coordinator, hidden, load

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(pg_settings: Settings) -> Iterator[App]:
    clock = FixedClock(datetime(2025, 1, 2, 7, tzinfo=UTC))
    app = bootstrap(pg_settings, clock=clock)
    load(app, FIXTURES / "minimal.yaml")
    with app.sessions.begin() as session:  # level 1 for k-1.1 (due 2024-12-31), sent
        decide_and_queue(session, app.now(), app.today(), zone=app.settings.tz)
    asyncio.run(app.send_queued())
    clock.at = datetime(2025, 3, 10, 9, tzinfo=UTC)
    coordinator(app)
    yield app
    app.close()


def test_dashboards_and_actions_on_postgres(pg_app: App) -> None:
    app = pg_app
    with TestClient(create_app(app), follow_redirects=False) as client:
        login(client, "anna")
        found = tiles(client.get("/samordnare/planer/testby").text)
        assert {k: n for k, (n, _) in found.items()} == {
            "overdue": 2, "soon": 1, "round": 0, "pending": 0}
        late = client.get("/samordnare/planer/testby/forsenade").text
        assert shown(late) == 2 and "nivå 1" in late
        report(app, "k-1.1", Status.DONE)  # the cache sees a report from elsewhere
        assert tiles(client.get("/samordnare").text)["overdue"][0] == 1
        csv = client.get("/samordnare/planer/testby/aktiviteter.csv?overdue=1")
        assert csv.content.decode("utf-8-sig").count("\r\n") == 2
        sent = client.get("/samordnare/planer/testby/utskick?kind=escalation").text
        assert "kim@testby.example.org" in sent and "levererat" in sent

        preview = client.get("/samordnare/planer/testby/aktivitet/k-1.2/paminn").text
        assert "Påminnelse från samordnaren" in preview
        form = {"csrf": hidden(preview, "csrf"), "action": hidden(preview, "action")}
        for _ in range(2):
            client.post("/samordnare/planer/testby/aktivitet/k-1.2/paminn", data=form)
        log = client.get("/samordnare/planer/testby/utskick?kind=manual_reminder").text
        assert "2 av 2 utskick visas." in log  # Kim and the association, once each

        round_page = client.get(
            "/samordnare/planer/testby/omgang?year=2025&deadline=2025-04-30").text
        assert "får en begäran om rapport" in round_page
        opened = client.post("/samordnare/planer/testby/omgang", data={
            "csrf": hidden(round_page, "csrf"), "action": "open", "year": "2025",
            "deadline": "2025-04-30"})
        assert opened.status_code == 303
        dashboard = client.get("/samordnare/planer/testby").text
        assert "Omgången inför uppföljningen 2025 (svar senast 2025-04-30)" in dashboard
        assert date(2025, 4, 30).isoformat() in dashboard
