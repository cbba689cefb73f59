"""A timeline edited in the web moves the plan's Prefect deployment: the real
web server (uvicorn, a child process) refreshes the deployments after the
save, on Prefect's test harness (a real, temporary Prefect server)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL

from lokflow.access.accounts import add_user
from lokflow.bootstrap import FixedClock, bootstrap
from lokflow.orchestration.refresh import refresh_deployments
from lokflow.plans.notice_preview import planned_notices
from lokflow.plans.plan_reading import current_document
from lokflow.settings import Settings
from tests.conftest import PLANS
from tests.support.html_forms import as_data, form_fields, replaced
from tests.support.reporting import PASSWORD, hidden, load
from tests.support.web_server import WebServer

ACTIVITY = "/samordnare/planer/tierp/redigera/aktivitet/kommun-1.1"


@pytest.fixture
def server(tmp_path: Path, prefect_harness: None) -> Iterator[WebServer]:
    web = WebServer(tmp_path / "home", env={"PREFECT_API_URL": str(PREFECT_API_URL.value())})
    yield web
    web.stop()


async def deployment(name: str) -> tuple[str, str]:
    async with get_client() as client:
        found = await client.read_deployment_by_name(name)
        rule = found.schedules[0].schedule.rrule if found.schedules else ""  # type: ignore[union-attr]
        return str(found.version), str(rule)


def test_a_timeline_edit_refreshes_the_deployment(server: WebServer) -> None:
    settings = Settings(home=server.home, plans_dir=PLANS, base_url=server.base_url,
                        _env_file=None)
    app = bootstrap(settings, clock=FixedClock(datetime.now(UTC)))
    load(app, PLANS / "tierp.yaml")
    with app.sessions.begin() as session:
        add_user(session, "anna", PASSWORD, "Anna", "tierp", app.now())
    asyncio.run(refresh_deployments(app.sessions, app.settings, app.today()))
    before = asyncio.run(deployment("activity-reminders/tierp"))
    due = app.today() + timedelta(days=45)
    server.start()
    with httpx.Client(base_url=server.base_url, follow_redirects=False) as web:
        login = web.get("/samordnare/logga-in")
        web.post("/samordnare/logga-in", data={"username": "anna", "password": PASSWORD,
                                               "csrf": hidden(login.text, "csrf")})
        form = web.get(ACTIVITY).text
        saved = web.post(ACTIVITY, data=as_data(replaced(form_fields(form, ACTIVITY),
                                                         timeline=due.isoformat(),
                                                         reason="Nytt datum")))
        assert saved.status_code == 303 and "omraknad=1" in saved.headers["location"]
    deadline = time.monotonic() + 60
    after = before
    while time.monotonic() < deadline and after == before:
        time.sleep(0.5)
        after = asyncio.run(deployment("activity-reminders/tierp"))
    assert after[0] != before[0]
    with app.read() as session:
        _, document, _ = current_document(session, "tierp")
    activity = next(a for _, a in document.activities() if a.id == "kommun-1.1")
    assert activity.timeline == due.isoformat()
    horizon = app.today() + timedelta(days=app.settings.schedule_horizon_days)
    days = {n.day for n in planned_notices(document, activity, app.today()) if n.day <= horizon}
    assert days and all(day.strftime("%Y%m%d") in after[1] for day in days), (days, after)
    app.close()
