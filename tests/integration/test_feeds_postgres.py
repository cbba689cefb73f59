"""Feeds on PostgreSQL: subscriptions found by their JSON subject, and the
same data giving byte-for-byte the same feed as on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from lokflow.bootstrap import App, bootstrap
from lokflow.feeds.service import serve_feed
from lokflow.feeds.subscriptions import FeedSpec, ensure, feeds_of_contact, revoke
from lokflow.settings import Settings
from tests.conftest import FIXTURES, FixedClock
from tests.support.feed_data import render, sync

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(pg_settings: Settings, clock: FixedClock) -> Iterator[App]:
    application = bootstrap(pg_settings.model_copy(update={"secret_key": "test key"}),
                            clock=clock)
    yield application
    application.close()


def test_subscriptions_on_postgresql(pg_app: App) -> None:
    sync(pg_app, FIXTURES / "minimal.yaml")
    spec = FeedSpec("contact", "testby/kim@testby.example.org")
    with pg_app.sessions.begin() as session:
        first = ensure(session, pg_app, spec)
        assert ensure(session, pg_app, spec).raw == first.raw
        assert [s.row.id for s in feeds_of_contact(
            session, pg_app, "kim@testby.example.org", first.row.organisation_id)] == [first.row.id]
        revoke(session, pg_app, first.row.id)
        second = ensure(session, pg_app, spec)
    assert first.raw and second.raw and second.raw != first.raw and second.version == 2
    with pg_app.sessions.begin() as session:
        assert serve_feed(session, pg_app, first.raw) is None
        assert serve_feed(session, pg_app, second.raw) is not None


def test_the_same_feed_as_on_sqlite(pg_app: App, app: App) -> None:
    for application in (pg_app, app):
        sync(application, FIXTURES / "minimal.yaml")
    on_pg = render(pg_app, FeedSpec("plan", "testby"), date(2024, 1, 10))
    on_sqlite = render(app, FeedSpec("plan", "testby"), date(2024, 1, 10))
    assert on_pg.body == on_sqlite.body and on_pg.last_modified == on_sqlite.last_modified
