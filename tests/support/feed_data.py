"""Shared set-up of the feed tests: an app with plans loaded, and a feed
rendered from it the way the web app does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from lokflow.bootstrap import App, bootstrap
from lokflow.feeds.builder import RenderedFeed, render_feed
from lokflow.feeds.subscriptions import FeedSpec, organisation_of
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FixedClock


def loaded_app(home: Path, clock: FixedClock, *paths: Path) -> App:
    settings = Settings(home=home, database_url="", _env_file=None)  # type: ignore[call-arg]
    app = bootstrap(settings, clock=clock)
    sync(app, *paths)
    return app


def sync(app: App, *paths: Path) -> None:
    plans, errors = read_plans(list(paths))
    assert not errors, errors
    with app.sessions.begin() as session:
        sync_plans(session, plans, app.clock)


def render(app: App, spec: FeedSpec, today: date, report_url: str | None = None) -> RenderedFeed:
    with app.sessions.begin() as session:
        organisation_id, _ = organisation_of(session, spec)
        return render_feed(session, app.settings, spec, organisation_id, today,
                           report_url=report_url)


def activity(app: App, plan: str, key: str) -> t.Activity:
    with app.sessions() as session:
        return session.scalars(select(t.Activity).join(t.Plan).where(
            t.Plan.slug == plan, t.Activity.key == key)).one()
