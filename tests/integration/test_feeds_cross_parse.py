"""Every bundled plan's feed, read back by two independent parsers
(icalendar + recurring-ical-events, and Mozilla's ical.js through Node),
gives the same occurrences, and those are exactly the due dates the domain
computes: the RRULEs say what the timelines mean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.domain.occurrences import occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.feeds.subscriptions import FeedSpec
from lokflow.feeds.window import FeedWindow
from lokflow.plans.plan_queries import plan_calendar
from lokflow.store import tables as t
from tests.conftest import PLANS, FixedClock
from tests.support.feed_data import loaded_app, render
from tests.support.ical_checks import (
    assert_rfc5545_lines,
    ical_js_occurrences,
    python_occurrences,
)

TODAY = {  # a day inside each plan's period, so its feed is full
    "tierp": date(2023, 6, 1),
    "orebro": date(2017, 6, 1),
    "lulea": date(2019, 6, 1),
    "botkyrka": date(2019, 6, 1),
    "vasteras": date(2021, 6, 1),
}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    clock = FixedClock(datetime(2017, 1, 10, 9, 0, tzinfo=UTC))
    app = loaded_app(tmp_path_factory.mktemp("feeds") / "home", clock, PLANS)
    yield app
    app.close()


def _window(app: App, today: date) -> FeedWindow:
    return FeedWindow(today, app.settings.feed_days_back, app.settings.feed_days_ahead)


def _expected_activity_dates(app: App, slug: str, window: FeedWindow) -> set[tuple[str, str]]:
    with app.sessions() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == slug)).one()
        rows = session.scalars(select(t.Activity).where(
            t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))).all()
        return {
            (row.key, o.due.isoformat())
            for row in rows
            for o in occurrences(schedule_from_json(row.schedule), plan_calendar(plan),
                                 window.start, window.end)
        }


def _activity_dates(found: set[tuple[str, str, str, str]], slug: str) -> set[tuple[str, str]]:
    dates = set()
    for uid, _start, end, _summary in found:
        parts = uid.removesuffix("@lokflow").split("/")
        if len(parts) == 3 and parts[0] == slug:
            last = date.fromisoformat(end) - timedelta(days=1)
            dates.add((parts[1], last.isoformat()))
    return dates


@pytest.mark.parametrize("slug", sorted(TODAY))
def test_plan_feed_reads_the_same_in_both_parsers_and_matches_the_domain(
    bundled: App, slug: str, tmp_path: Path
) -> None:
    today = TODAY[slug]
    feed = render(bundled, FeedSpec("plan", slug), today)
    assert_rfc5545_lines(feed.body)
    calendar = Calendar.from_ical(feed.body)
    events = calendar.walk("VEVENT")
    assert events and feed.events == len({str(e["UID"]) for e in events})
    for event in events:
        assert event.end > event.start  # Outlook breaks on DTEND == DTSTART
        assert "DTSTAMP" in event and "LAST-MODIFIED" in event and "SEQUENCE" in event
    window = _window(bundled, today)
    path = tmp_path / f"{slug}.ics"
    path.write_bytes(feed.body)
    end = window.end + timedelta(days=1)
    python = python_occurrences(feed.body, window.start, end)
    node = ical_js_occurrences(path, window.start, end)
    assert python == node
    assert _activity_dates(python, slug) == _expected_activity_dates(bundled, slug, window)


@pytest.mark.parametrize("slug", sorted(TODAY))
def test_plan_events_recur_on_the_follow_up_day(bundled: App, slug: str) -> None:
    today = TODAY[slug]
    feed = render(bundled, FeedSpec("plan", slug), today)
    window = _window(bundled, today)
    found = python_occurrences(feed.body, window.start, window.end + timedelta(days=1))
    follow_ups = sorted(start for uid, start, _, _ in found
                        if uid == f"{slug}/annual-follow-up@lokflow")
    rounds = sorted(start for uid, start, _, _ in found
                    if uid == f"{slug}/reporting-round@lokflow")
    with bundled.sessions() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == slug)).one()
        annual = plan_calendar(plan).annual_date
        last = plan.period_end or window.end.year
        expected = [annual.in_year(y).isoformat() for y in range(plan.period_start, last + 1)
                    if window.start <= annual.in_year(y) <= window.end]
    assert follow_ups == rounds == expected and expected


def test_lulea_dialogue_meetings_are_marked_as_not_from_the_source(bundled: App) -> None:
    """Luleå's source says two meetings a year and names no days (an older
    file invented 18 March and 18 September as if they were the source's):
    the feed spreads them over the year from the follow-up date, and every
    meeting says that its day is assumed, not the plan's."""
    feed = render(bundled, FeedSpec("plan", "lulea"), date(2019, 6, 1))
    found = python_occurrences(feed.body, date(2019, 1, 1), date(2021, 1, 1))
    meetings = sorted(s for uid, s, _, _ in found if uid == "lulea/dialogue@lokflow")
    assert meetings == ["2019-05-15", "2019-11-15", "2020-05-15", "2020-11-15"]
    [event] = [e for e in Calendar.from_ical(feed.body).walk("VEVENT")
               if str(e["UID"]) == "lulea/dialogue@lokflow"]
    assert "Antaget (anges inte i handlingsplanen): datum." in str(event["DESCRIPTION"])


def test_organisation_feed_reads_the_same_in_both_parsers(bundled: App, tmp_path: Path) -> None:
    today = TODAY["vasteras"]
    feed = render(bundled, FeedSpec("organisation", "vasteras"), today)
    window = _window(bundled, today)
    path = tmp_path / "org.ics"
    path.write_bytes(feed.body)
    end = window.end + timedelta(days=1)
    assert python_occurrences(feed.body, window.start, end) == ical_js_occurrences(
        path, window.start, end)


def test_window_keeps_feeds_small(bundled: App) -> None:
    """Google caps a subscription near 1 MB / ~1,000 events."""
    for slug, today in TODAY.items():
        feed = render(bundled, FeedSpec("organisation", slug), today)
        assert len(feed.body) < 200_000 and feed.events < 200, slug
