"""The web app keeps rendered feeds by a stamp of the data they show: every
change that can alter a feed must reach its subscribers at once, and an
unchanged feed must come from the cache (the same bytes, 304 on its ETag)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.domain.statuses import Status
from lokflow.engine.reporting_rounds import open_round
from lokflow.feeds.subscriptions import FeedSpec, ensure, links
from lokflow.reporting.status_reports import ReportInput, decide_date, record_report
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, FixedClock
from tests.support.feed_data import activity, sync

OWNER = FeedSpec("owner", "testby/kultur")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "testby.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", path)
    return path


@pytest.fixture
def client(app: App, plan_file: Path, clock: FixedClock) -> Iterator[TestClient]:
    clock.at = datetime(2024, 3, 1, 9, tzinfo=UTC)
    sync(app, plan_file)
    with TestClient(create_app(app)) as client:
        yield client


def _url(app: App) -> str:
    with app.sessions.begin() as session:
        raw = ensure(session, app, OWNER).raw
    assert raw
    return links(app.settings, raw).https.removeprefix(app.settings.base_url)


def _etag(client: TestClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["etag"]


def test_every_kind_of_change_reaches_the_feed(
    client: TestClient, app: App, clock: FixedClock, plan_file: Path
) -> None:
    url = _url(app)
    seen = [_etag(client, url)]
    assert client.get(url, headers={"If-None-Match": seen[0]}).status_code == 304

    def changed() -> None:
        seen.append(_etag(client, url))
        assert seen[-1] != seen[-2], "the feed did not change"

    with app.sessions.begin() as session:  # a status report
        row = session.get_one(t.Activity, activity(app, "testby", "k-1.1").id)
        report = record_report(session, row, ReportInput(
            status=Status.DELAYED, reporter_name="Kim", channel="cli",
            proposed_date=date(2025, 3, 31), proposed_reason="Resurser saknas"),
            clock(), clock().date())
        assert report.id
    changed()
    with app.sessions.begin() as session:  # a coordinator accepts the new date
        change = session.scalars(select(t.DateChange)).one()
        decide_date(session, change, True, "Samordnare", clock())
    changed()
    plan_file.write_text(plan_file.read_text().replace("Ta fram en bidragsguide.",
                                                       "Ta fram en ny bidragsguide."))
    sync(app, plan_file)  # the plan file is edited
    changed()
    plan_file.write_text(plan_file.read_text().replace("Kultur- och fritidsförvaltningen",
                                                       "Kulturförvaltningen"))
    sync(app, plan_file)  # only a unit is renamed: no activity changes
    changed()
    with app.sessions.begin() as session:  # a round opens with its own deadline
        plan = session.scalars(select(t.Plan)).one()
        open_round(session, plan, 2024, clock(), clock().date(), deadline=date(2024, 9, 20))
    changed()
    assert _etag(client, url) == seen[-1]  # and when nothing changed: the same feed
    clock.at += timedelta(days=3 * 366 + 200)  # years pass: the deadline leaves the window
    changed()
